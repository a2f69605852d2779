"""The AWS backends against moto in server mode on loopback: the DynamoDB key store and
the DynamoDB rate limiter (conditional atomic counters), alone and behind the app."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from auth_helpers import AWS_ENV, MakeApp, claims, create_table, hs256, moto_server, run_cli

from contract_analyzer.auth.aws import LazyDynamoDB
from contract_analyzer.auth.dynamodb_limiter import DynamoDBRateLimiter
from contract_analyzer.auth.dynamodb_store import DynamoDBKeyStore
from contract_analyzer.auth.keys import generate_key
from contract_analyzer.auth.plans import Plan
from service.service_helpers import assert_error_shape, free_port

KEYS_TABLE = "contract-analyzer-api-keys"
LIMITS_TABLE = "contract-analyzer-rate-limits"


@pytest.fixture(scope="module")
def aws() -> Iterator[dict[str, str]]:
    """moto on loopback, the two tables, and the environment that points boto3 at it."""
    with moto_server() as endpoint, pytest.MonkeyPatch.context() as patch:
        env = {**AWS_ENV, "AWS_ENDPOINT_URL": endpoint}
        for name, value in env.items():
            patch.setenv(name, value)
        create_table(endpoint, KEYS_TABLE, "key_id")
        create_table(endpoint, LIMITS_TABLE, "pk")
        yield env


def test_key_store(aws: dict[str, str]) -> None:
    store = DynamoDBKeyStore(KEYS_TABLE)
    _, record = generate_key("dynamo", "pro")
    assert store.get(record.key_id) is None
    store.create(record)
    assert store.get(record.key_id) == record
    assert record.key_id in {r.key_id for r in store.list_keys()}
    assert store.revoke(record.key_id, "2026-01-01T00:00:00Z")
    assert not store.revoke(record.key_id, "2026-01-02T00:00:00Z")
    assert not store.revoke("0" * 16, "2026-01-02T00:00:00Z")
    stored = store.get(record.key_id)
    assert stored is not None and stored.revoked_at == "2026-01-01T00:00:00Z"


def test_cli_and_app_share_the_table(
    aws: dict[str, str], make_app: MakeApp, tmp_path: Path
) -> None:
    env = {**aws, "API_KEYS_TABLE": KEYS_TABLE, "CONTRACT_ANALYZER_DATA_DIR": str(tmp_path)}
    created = run_cli("keys", "create", "--name", "from-cli", "--plan", "pro", "--json", **env)
    assert created.returncode == 0, created.stderr
    key = json.loads(created.stdout)["key"]
    assert not (tmp_path / "keys.sqlite3").exists()
    _, client = make_app(auth_mode="api_key", api_keys_table=KEYS_TABLE)
    ok = client.get("/detectors", headers={"X-API-Key": key})
    assert ok.status_code == 200 and ok.headers["x-ratelimit-limit"] == "120"
    assert run_cli("keys", "revoke", key[:19], **env).returncode == 0
    assert client.get("/detectors", headers={"X-API-Key": key}).status_code == 403


class WallClock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def _item(aws: dict[str, str], pk: str) -> dict[str, Any]:
    import boto3

    client = boto3.client("dynamodb", endpoint_url=aws["AWS_ENDPOINT_URL"])
    item: dict[str, Any] = client.get_item(TableName=LIMITS_TABLE, Key={"pk": {"S": pk}})["Item"]
    return item


@contextlib.contextmanager
def serial_endpoint() -> Iterator[str]:
    """A second moto endpoint, over the same in-process state, that handles one request
    at a time. DynamoDB applies each conditional update to an item atomically; moto's
    threaded server does not (two updates can read the same count), so the race below
    goes through this one: clients still race, the store serialises like DynamoDB."""
    from moto.moto_server.threaded_moto_server import MotoRequestHandler
    from moto.server import DomainDispatcherApplication, create_backend_app
    from werkzeug.serving import make_server

    app = DomainDispatcherApplication(create_backend_app)
    server = make_server("127.0.0.1", 0, app, False, request_handler=MotoRequestHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()


def test_counters_under_concurrency(aws: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    """N+1 requests at once from N+1 threads (each its own limiter, as separate Lambda
    environments would be): exactly N pass."""
    n = 8
    plan = Plan("p", n, 1000, False)
    clock = WallClock(1_800_000_000.0 + 5)
    barrier = threading.Barrier(n + 1)
    decisions: list[Any] = []
    lock = threading.Lock()
    shared = LazyDynamoDB()

    def worker() -> None:
        limiter = DynamoDBRateLimiter(LIMITS_TABLE, dynamodb=shared, clock=clock)
        barrier.wait()
        decision = limiter.hit("sub:concurrent", plan)
        with lock:
            decisions.append(decision)

    with serial_endpoint() as endpoint:
        monkeypatch.setenv("AWS_ENDPOINT_URL", endpoint)
        _ = shared.client  # made on the serial endpoint before the threads race
        threads = [threading.Thread(target=worker) for _ in range(n + 1)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    monkeypatch.setenv("AWS_ENDPOINT_URL", aws["AWS_ENDPOINT_URL"])
    assert sorted(d.allowed for d in decisions) == [False] + [True] * n
    assert sorted(d.remaining for d in decisions if d.allowed) == list(range(n))
    refused = next(d for d in decisions if not d.allowed)
    assert refused.retry_after == 55 and refused.window == "minute"
    minute = _item(aws, f"sub:concurrent#m#{int(clock.now // 60)}")
    assert minute["n"] == {"N": str(n)}
    assert int(minute["expires_at"]["N"]) == (int(clock.now // 60) + 1) * 60 + 3600


def test_windows_roll_over_and_a_refused_request_costs_nothing(aws: dict[str, str]) -> None:
    clock = WallClock(1_800_000_000.0)
    limiter = DynamoDBRateLimiter(LIMITS_TABLE, clock=clock)
    plan = Plan("p", 2, 3, False)
    assert [limiter.hit("sub:roll", plan).allowed for _ in range(3)] == [True, True, False]
    clock.now += 60  # next minute: allowed again until the day's 3 are spent
    first = limiter.hit("sub:roll", plan)
    assert first.allowed and first.window == "day" and first.remaining == 0
    refused = limiter.hit("sub:roll", plan)
    assert not refused.allowed and refused.window == "day"
    minute = _item(aws, f"sub:roll#m#{int(clock.now // 60)}")
    assert minute["n"] == {"N": "1"}, "the day's refusal gave the minute's count back"
    day = _item(aws, f"sub:roll#d#{int(clock.now // 86400)}")
    assert day["n"] == {"N": "3"}


def test_the_app_limits_jwt_users_in_dynamodb(aws: dict[str, str], make_app: MakeApp) -> None:
    plans = {"free": {"requests_per_minute": 3, "requests_per_day": 100}}
    app, client = make_app(auth_mode="jwt", rate_limit_table=LIMITS_TABLE, plans=plans)
    assert isinstance(app.state.authenticator.limiter, DynamoDBRateLimiter)
    # the same limiter, on a clock that cannot cross a minute boundary mid-test
    app.state.authenticator.limiter = DynamoDBRateLimiter(
        LIMITS_TABLE, clock=WallClock(1_800_000_030.0)
    )
    headers = {"Authorization": f"Bearer {hs256(claims(sub='dyn-user', iss=None, aud=None))}"}
    statuses = [client.get("/detectors", headers=headers).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = client.get("/detectors", headers=headers)
    assert refused.status_code == 429
    assert_error_shape(refused.json(), "rate_limited")
    assert refused.headers["retry-after"] == "30"


def test_unreachable_backends(
    aws: dict[str, str], make_app: MakeApp, monkeypatch: pytest.MonkeyPatch, caplog: Any
) -> None:
    """Keys cannot be checked: 503. Counters cannot be reached: allowed, and logged."""
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{free_port()}")
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    key, _ = generate_key("x", "free")
    _, client = make_app(auth_mode="api_key", api_keys_table=KEYS_TABLE)
    response = client.get("/detectors", headers={"X-API-Key": key})
    assert response.status_code == 503
    assert_error_shape(response.json(), "service_unavailable")
    limiter = DynamoDBRateLimiter(LIMITS_TABLE)
    with caplog.at_level(logging.ERROR, logger="contract_analyzer.auth"):
        assert limiter.hit("sub:x", Plan("p", 1, 1, False)).allowed
    assert "unreachable" in caplog.text
    assert os.environ["AWS_ENDPOINT_URL"] != aws["AWS_ENDPOINT_URL"]


def test_keys_join_api_gateway_usage_plans(aws: dict[str, str], tmp_path: Path) -> None:
    """With API_GATEWAY_USAGE_PLANS, `keys create` registers the key in its plan's usage
    plan (so API Gateway throttles it before the function runs); `keys revoke` disables
    it there too."""
    import boto3

    gateway = boto3.client("apigateway", endpoint_url=aws["AWS_ENDPOINT_URL"])
    free = gateway.create_usage_plan(
        name="free",
        throttle={"rateLimit": 1, "burstLimit": 10},
        quota={"limit": 500, "period": "DAY"},
    )["id"]
    pro = gateway.create_usage_plan(name="pro")["id"]
    env = {
        **aws,
        "API_KEYS_TABLE": KEYS_TABLE,
        "API_GATEWAY_USAGE_PLANS": json.dumps({"free": free, "pro": pro}),
        "CONTRACT_ANALYZER_DATA_DIR": str(tmp_path),
    }
    created = run_cli("keys", "create", "--name", "gw", "--plan", "pro", "--json", **env)
    assert created.returncode == 0, created.stderr
    key = json.loads(created.stdout)["key"]
    members = gateway.get_usage_plan_keys(usagePlanId=pro)["items"]
    assert [(m["name"], m["value"]) for m in members] == [(key[:19], key)]
    assert gateway.get_usage_plan_keys(usagePlanId=free)["items"] == []
    assert DynamoDBKeyStore(KEYS_TABLE).get(key[3:19]) is not None

    revoked = run_cli("keys", "revoke", key[:19], **env)
    assert revoked.returncode == 0 and "disabled" in revoked.stderr
    assert gateway.get_api_key(apiKey=members[0]["id"])["enabled"] is False

    no_usage_plan = run_cli(
        "keys",
        "create",
        "--name",
        "x",
        "--json",
        **{**env, "API_GATEWAY_USAGE_PLANS": json.dumps({"pro": pro})},
    )
    assert no_usage_plan.returncode == 2 and "no API Gateway usage plan" in no_usage_plan.stderr
