"""API keys: format, salted hash, the SQLite store, the `keys` commands, and the API's
answers to good, wrong and revoked keys."""

from __future__ import annotations

import json
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from auth_helpers import MakeApp, run_cli

from contract_analyzer.auth import keys as keys_module
from contract_analyzer.auth.keys import generate_key, parse_key, parse_key_id, secret_matches
from contract_analyzer.auth.sqlite_store import SQLiteKeyStore
from contract_analyzer.errors import UsageError
from service.service_helpers import assert_error_shape

KEY_FORMAT = re.compile(r"^ca_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$")


def test_key_format_and_what_is_stored() -> None:
    key, record = generate_key("alice", "free")
    other, other_record = generate_key("alice", "free")
    assert KEY_FORMAT.match(key) and key != other
    key_id, secret = key[3:19], key[20:]
    assert record.key_id == key_id and record.public_id == key[:19]
    stored = json.dumps(record.__dict__)
    assert secret not in stored and key not in stored
    assert record.salt != other_record.salt and len(bytes.fromhex(record.salt)) == 16
    assert len(record.secret_hash) == 64
    assert secret_matches(record, secret)
    assert not secret_matches(record, secret[:-1] + ("A" if secret[-1] != "A" else "B"))
    assert not secret_matches(other_record, secret)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "ca_",
        "ca_0123456789abcdef",
        "ca_0123456789ABCDEF_" + "a" * 43,
        "ca_0123456789abcdef_" + "a" * 42,
        "ca_0123456789abcdef_" + "a" * 44,
        "xx_0123456789abcdef_" + "a" * 43,
        " ca_0123456789abcdef_" + "a" * 43 + "\n",
        "ca_0123456789abcdef_" + "a" * 42 + "=",
    ],
)
def test_malformed_keys_are_not_parsed(text: str) -> None:
    assert parse_key(text) is None


def test_key_ids_are_accepted_in_three_spellings() -> None:
    key, record = generate_key("x", "free")
    assert parse_key_id(key) == parse_key_id(record.public_id) == parse_key_id(record.key_id)
    assert parse_key_id("alice") is None


def test_comparison_is_constant_time_even_for_unknown_ids(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, str]] = []
    real = keys_module.hmac.compare_digest

    def spy(a: Any, b: Any) -> bool:
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(keys_module.hmac, "compare_digest", spy)
    key, record = generate_key("x", "free")
    assert not secret_matches(None, "whatever")
    assert not secret_matches(record, "wrong")
    assert secret_matches(record, key[20:])
    assert len(calls) == 3


def test_names_are_checked() -> None:
    for bad in ("", "   ", "x" * 65, "tab\there", "new\nline"):
        with pytest.raises(UsageError):
            generate_key(bad, "free")


def test_sqlite_store(tmp_path: Path) -> None:
    path = tmp_path / "state" / "keys.sqlite3"
    store = SQLiteKeyStore(path)
    assert store.get("0123456789abcdef") is None
    assert store.list_keys() == []
    assert not store.revoke("0123456789abcdef", "now")
    assert not path.exists(), "reading must not create the store"
    _, first = generate_key("first", "free")
    _, second = generate_key("second", "pro")
    store.create(first)
    store.create(second)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert store.get(first.key_id) == first
    assert [r.name for r in store.list_keys()] == ["first", "second"]
    assert store.revoke(first.key_id, "2026-01-01T00:00:00Z")
    assert not store.revoke(first.key_id, "2026-01-02T00:00:00Z")
    revoked = store.get(first.key_id)
    assert revoked is not None and revoked.revoked_at == "2026-01-01T00:00:00Z"
    assert not revoked.active


# -- the commands ---------------------------------------------------------------------


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Iterator[Any]:
    """``cli(data_dir, *args, **env)``: ``contract-analyzer keys ARGS`` in this process
    (fast); the console script itself runs in test_keys_commands_console_script."""
    from contract_analyzer.cli import main
    from contract_analyzer.config import get_settings

    def run(data_dir: Path, *args: str, **env: str) -> Result:
        with monkeypatch.context() as patch:
            patch.setenv("CONTRACT_ANALYZER_DATA_DIR", str(data_dir))
            for name, value in env.items():
                patch.setenv(name, value)
            get_settings.cache_clear()
            try:
                code = main(["keys", *args])
            except SystemExit as exc:  # argparse
                code = int(exc.code or 0)
            finally:
                get_settings.cache_clear()
        out, err = capsys.readouterr()
        return Result(code, out, err)

    yield run


def test_keys_commands_console_script(tmp_path: Path) -> None:
    created = run_cli(
        "keys", "create", "--name", "s", "--json", CONTRACT_ANALYZER_DATA_DIR=str(tmp_path)
    )
    assert created.returncode == 0, created.stderr
    assert KEY_FORMAT.match(json.loads(created.stdout)["key"])
    listing = run_cli("keys", "list", CONTRACT_ANALYZER_DATA_DIR=str(tmp_path))
    assert listing.returncode == 0 and " s " in listing.stdout


def test_keys_commands(tmp_path: Path, cli: Any) -> None:
    created = cli(tmp_path, "create", "--name", "alice", "--plan", "pro", "--json")
    assert created.returncode == 0, created.stderr
    answer = json.loads(created.stdout)
    assert set(answer) == {"name", "key", "plan"}
    assert answer["name"] == "alice" and answer["plan"] == "pro"
    alice_key = answer["key"]
    assert KEY_FORMAT.match(alice_key)

    plain = cli(tmp_path, "create", "--name", "bob")
    assert plain.returncode == 0
    bob_key = plain.stdout.strip()
    assert KEY_FORMAT.match(bob_key), "the key alone on stdout"
    assert "shown only this once" in plain.stderr and "plan free" in plain.stderr
    assert bob_key not in plain.stderr

    listing = cli(tmp_path, "list")
    assert listing.returncode == 0
    assert "alice" in listing.stdout and "bob" in listing.stdout
    assert alice_key[:19] in listing.stdout
    rows = json.loads(cli(tmp_path, "list", "--json").stdout)
    assert [(r["name"], r["plan"], r["revoked_at"]) for r in rows] == [
        ("alice", "pro", None),
        ("bob", "free", None),
    ]
    everything = listing.stdout + json.dumps(rows) + (tmp_path / "keys.sqlite3").read_bytes().hex()
    for key in (alice_key, bob_key):
        assert key[20:] not in everything and key[20:].encode().hex() not in everything

    assert cli(tmp_path, "revoke", "bob").returncode == 0  # by name
    assert cli(tmp_path, "revoke", alice_key[:19]).returncode == 0  # by id
    again = cli(tmp_path, "revoke", alice_key)  # by the whole key: already revoked
    assert again.returncode == 0 and "already revoked" in again.stderr
    states = {
        r["name"]: r["revoked_at"] for r in json.loads(cli(tmp_path, "list", "--json").stdout)
    }
    assert all(states.values())


def test_keys_command_errors(tmp_path: Path, cli: Any) -> None:
    unknown_plan = cli(tmp_path, "create", "--name", "x", "--plan", "gold")
    assert unknown_plan.returncode == 2
    assert "unknown plan 'gold'" in unknown_plan.stderr and "free, pro" in unknown_plan.stderr
    assert cli(tmp_path, "create").returncode == 2  # --name is required
    assert cli(tmp_path, "create", "--name", " ").returncode == 2
    assert cli(tmp_path, "revoke", "nobody").returncode == 2
    assert cli(tmp_path, "revoke", "ca_0123456789abcdef").returncode == 2
    assert cli(tmp_path).returncode == 2
    assert "no API keys" in cli(tmp_path, "list").stdout
    assert not (tmp_path / "keys.sqlite3").exists()


def test_keys_follow_the_configured_plans(tmp_path: Path, cli: Any) -> None:
    plans = '{"team": {"requests_per_minute": 30, "requests_per_day": 900, "ai": true}}'
    created = cli(tmp_path, "create", "--name", "t", "--json", PLANS=plans)
    assert created.returncode == 2  # default_plan "free" is not among the plans
    assert "invalid configuration" in created.stderr and "Traceback" not in created.stderr
    created = cli(
        tmp_path,
        "create",
        "--name",
        "t",
        "--json",
        PLANS=plans,
        CONTRACT_ANALYZER_DEFAULT_PLAN="team",
    )
    assert created.returncode == 0, created.stderr
    assert json.loads(created.stdout)["plan"] == "team"


# -- the API --------------------------------------------------------------------------


def test_the_api_reads_the_keys_the_command_writes(
    tmp_path: Path, make_app: MakeApp, cli: Any
) -> None:
    key = json.loads(cli(tmp_path, "create", "--name", "alice", "--json").stdout)["key"]
    _, client = make_app(auth_mode="api_key")
    response = client.get("/detectors", headers={"X-API-Key": key})
    assert response.status_code == 200
    assert response.headers["x-ratelimit-limit"] == "10"

    key_id, secret = key[3:19], key[20:]
    for wrong in (
        f"ca_{key_id}_{secret[:-1]}{'B' if secret[-1] == 'A' else 'A'}",  # right id, wrong secret
        f"ca_{'0' * 16}_{secret}",  # unknown id
        key.upper(),
        key + "x",
    ):
        refused = client.get("/detectors", headers={"X-API-Key": wrong})
        assert refused.status_code == 401
        assert refused.json()["error"]["message"] == "The credential is invalid or expired."

    assert cli(tmp_path, "revoke", "alice").returncode == 0
    revoked = client.get("/detectors", headers={"X-API-Key": key})
    assert revoked.status_code == 403
    assert_error_shape(revoked.json(), "forbidden")
    assert revoked.json()["error"]["message"] == "This API key has been revoked."
    # a wrong secret for a revoked id is still "invalid", not "revoked"
    wrong = f"ca_{key_id}_{'A' * 43}"
    assert client.get("/detectors", headers={"X-API-Key": wrong}).status_code == 401


def test_a_key_whose_plan_was_removed_is_403(tmp_path: Path, make_app: MakeApp, cli: Any) -> None:
    key = json.loads(cli(tmp_path, "create", "--name", "p", "--plan", "pro", "--json").stdout)[
        "key"
    ]
    plans = {"free": {"requests_per_minute": 10, "requests_per_day": 500}}
    _, client = make_app(auth_mode="api_key", plans=plans)
    response = client.get("/detectors", headers={"X-API-Key": key})
    assert response.status_code == 403
    assert_error_shape(response.json(), "forbidden")


def test_plans_without_ai_refuse_use_ai(tmp_path: Path, make_app: MakeApp, cli: Any) -> None:
    free = json.loads(cli(tmp_path, "create", "--name", "f", "--json").stdout)["key"]
    _, client = make_app(auth_mode="api_key")
    body = {"contract_code": "contract A {}", "use_ai": True}
    response = client.post("/analyze", json=body, headers={"X-API-Key": free})
    assert response.status_code == 403
    assert_error_shape(response.json(), "forbidden")
    assert "does not include AI" in response.json()["error"]["message"]
    batch = {"files": {"a.sol": "contract A {}"}, "use_ai": True}
    assert client.post("/analyze/batch", json=batch, headers={"X-API-Key": free}).status_code == 403


def test_api_key_or_jwt_prefers_the_key_header(tmp_path: Path, make_app: MakeApp, cli: Any) -> None:
    from auth_helpers import claims, hs256

    key = json.loads(cli(tmp_path, "create", "--name", "k", "--plan", "pro", "--json").stdout)[
        "key"
    ]
    _, client = make_app(auth_mode="api_key_or_jwt")
    token = hs256(claims(iss=None, aud=None))
    assert (
        client.get("/detectors", headers={"X-API-Key": key}).headers["x-ratelimit-limit"] == "120"
    )
    assert client.get("/detectors", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    both_bad_key = {"X-API-Key": "nope", "Authorization": f"Bearer {token}"}
    assert client.get("/detectors", headers=both_bad_key).status_code == 401
    # api_key mode ignores bearer tokens; jwt mode ignores API keys
    _, keys_only = make_app(auth_mode="api_key")
    assert (
        keys_only.get("/detectors", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    )
    _, jwt_only = make_app(auth_mode="jwt")
    assert jwt_only.get("/detectors", headers={"X-API-Key": key}).status_code == 401


def test_the_plan_decides_use_ai() -> None:
    from contract_analyzer.auth.authenticator import check_ai
    from contract_analyzer.auth.base import AuthError, Principal
    from contract_analyzer.auth.plans import Plan

    free = Principal("key:1", "api_key", "f", Plan("free", 10, 500, False))
    pro = Principal("sub:2", "jwt", "p", Plan("pro", 120, 20_000, True))
    assert [check_ai(None, v) for v in (None, True, False)] == [None, True, False]
    assert [check_ai(pro, v) for v in (None, True, False)] == [None, True, False]
    assert [check_ai(free, v) for v in (None, False)] == [False, False]  # default: off
    with pytest.raises(AuthError) as refused:
        check_ai(free, True)
    assert refused.value.status == 403
