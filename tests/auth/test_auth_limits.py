"""Per-user rate limits: the in-process token buckets, alone, under threads, and behind
a real ``contract-analyzer serve`` hit by concurrent clients."""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from auth_helpers import MakeApp, claims, hs256, run_cli, serve

from contract_analyzer.auth.limiter import TokenBucketLimiter
from contract_analyzer.auth.plans import Plan
from service.service_helpers import assert_error_shape, http_request

FREE = Plan("free", 10, 500, False)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_n_then_refused_then_refilled() -> None:
    clock = Clock()
    limiter = TokenBucketLimiter(clock)
    decisions = [limiter.hit("u", FREE) for _ in range(11)]
    assert [d.allowed for d in decisions] == [True] * 10 + [False]
    assert [d.remaining for d in decisions[:10]] == list(range(9, -1, -1))
    refused = decisions[-1]
    assert refused.retry_after == 6  # one token per 6 s at 10/minute
    assert refused.headers() == {
        "X-RateLimit-Limit": "10",
        "X-RateLimit-Remaining": "0",
        "X-RateLimit-Reset": "60",
        "Retry-After": "6",
    }
    clock.now += 5.9
    assert not limiter.hit("u", FREE).allowed
    clock.now += 0.2
    assert limiter.hit("u", FREE).allowed
    assert not limiter.hit("u", FREE).allowed
    clock.now += 60
    assert sum(limiter.hit("u", FREE).allowed for _ in range(20)) == 10
    assert limiter.hit("someone-else", FREE).allowed  # buckets are per user


def test_the_day_limit_binds_when_it_is_lower() -> None:
    clock = Clock()
    limiter = TokenBucketLimiter(clock)
    plan = Plan("tiny", 10, 3, False)
    decisions = [limiter.hit("u", plan) for _ in range(4)]
    assert [d.allowed for d in decisions] == [True, True, True, False]
    assert decisions[0].window == "day" and decisions[0].limit == 3
    assert decisions[-1].retry_after == 28_800  # 86400 / 3
    clock.now += 60  # a minute later the day bucket is still empty
    assert not limiter.hit("u", plan).allowed


@pytest.mark.parametrize("threads", [4, 16])
def test_no_lost_updates_under_threads(threads: int) -> None:
    """Many threads spend one user's bucket at once: exactly the capacity is allowed,
    and every remaining count from 99 down to 0 is handed out exactly once."""
    limiter = TokenBucketLimiter(Clock())
    plan = Plan("p", 100, 10_000, False)
    barrier = threading.Barrier(threads)
    results: list[Any] = []
    lock = threading.Lock()

    def worker() -> None:
        barrier.wait()
        mine = [limiter.hit("shared", plan) for _ in range(50)]
        with lock:
            results.extend(mine)

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    allowed = [d for d in results if d.allowed]
    assert len(allowed) == 100
    assert sorted(d.remaining for d in allowed) == list(range(100))


def test_idle_buckets_are_forgotten() -> None:
    clock = Clock()
    limiter = TokenBucketLimiter(clock, max_users=3)
    for user in ("a", "b", "c"):
        limiter.hit(user, FREE)
    clock.now += 86_400
    limiter.hit("d", FREE)
    assert len(limiter) == 1


def test_429_in_the_error_shape(tmp_path: Path, make_app: MakeApp) -> None:
    plans = {"free": {"requests_per_minute": 2, "requests_per_day": 100}}
    _, client = make_app(auth_mode="jwt", plans=plans)
    headers = {"Authorization": f"Bearer {hs256(claims(iss=None, aud=None))}"}
    ok = [client.get("/detectors", headers=headers) for _ in range(2)]
    assert [r.status_code for r in ok] == [200, 200]
    assert [r.headers["x-ratelimit-remaining"] for r in ok] == ["1", "0"]
    refused = client.get("/detectors", headers=headers)
    assert refused.status_code == 429
    assert_error_shape(refused.json(), "rate_limited", refused.headers["x-request-id"])
    # 2/minute: one request back every 30 s (29 if the machine took over a second)
    retry = refused.headers["retry-after"]
    assert retry in ("29", "30")
    assert refused.json()["error"]["message"] == (
        f"Rate limit exceeded: 2 requests per minute on the free plan. Retry in {retry} seconds."
    )
    assert refused.headers["x-ratelimit-limit"] == "2"
    assert refused.headers["x-ratelimit-remaining"] == "0"
    assert int(refused.headers["x-ratelimit-reset"]) > 0
    assert client.get("/health").status_code == 200  # exempt, not counted


def test_concurrent_clients_against_a_real_server(tmp_path: Path) -> None:
    """N+1 requests at once from N+1 threads against `serve` (uvicorn): exactly N pass,
    for an API key and, separately, for a JWT subject."""
    n = 6
    env = {
        "CONTRACT_ANALYZER_DATA_DIR": str(tmp_path),
        # The day's limit binds: its bucket refills one request per 4 hours, so however
        # slowly the machine serves the burst, no token comes back during the test.
        "PLANS": json.dumps({"tiny": {"requests_per_minute": 1000, "requests_per_day": n}}),
        "CONTRACT_ANALYZER_DEFAULT_PLAN": "tiny",
        "AUTH_MODE": "api_key_or_jwt",
        "JWT_HS256_SECRET": "a-shared-secret-of-at-least-32-bytes-for-hs256!",
        "CONTRACT_ANALYZER_ACCESS_LOG": "false",
    }
    created = run_cli("keys", "create", "--name", "load", "--json", **env)
    key = json.loads(created.stdout)["key"]
    token = hs256(claims(sub="jwt-user", iss=None, aud=None))
    with serve(**env) as server:
        for headers in ({"X-API-Key": key}, {"Authorization": f"Bearer {token}"}):
            barrier = threading.Barrier(n + 1)

            def call(
                _: int, headers: dict[str, str] = headers, barrier: Any = barrier
            ) -> tuple[int, dict[str, str]]:
                barrier.wait()
                status, answer_headers, _body = http_request(
                    server.port, "GET", "/detectors?analysis_type=gas", headers=headers
                )
                return status, answer_headers

            with ThreadPoolExecutor(n + 1) as executor:
                answers = list(executor.map(call, range(n + 1)))
            statuses = sorted(status for status, _ in answers)
            assert statuses == [200] * n + [429], statuses
            remaining = sorted(int(h["x-ratelimit-remaining"]) for s, h in answers if s == 200)
            assert remaining == list(range(n))
            refused = next(h for s, h in answers if s == 429)
            assert int(refused["retry-after"]) >= 1
