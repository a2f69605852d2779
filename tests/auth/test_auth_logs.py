"""Credentials never reach the logs, and an open server says so loudly."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest
from auth_helpers import HS_SECRET, MakeApp, claims, hs256, serve

from contract_analyzer.auth.exposure import exposure_warning
from contract_analyzer.auth.keys import generate_key, open_key_store
from contract_analyzer.config import Settings
from service.service_helpers import http_request


def _secrets_of(key: str, token: str) -> list[str]:
    return [key, key[20:], token, token.split(".")[2], HS_SECRET]


def _assert_absent(text: str, secrets: list[str]) -> None:
    for secret in secrets:
        assert secret not in text, f"a credential ({secret[:6]}...) is in the logs"


def test_no_credential_in_the_app_logs(
    tmp_path: Path, make_app: MakeApp, caplog: pytest.LogCaptureFixture
) -> None:
    plans = {"free": {"requests_per_minute": 3, "requests_per_day": 100}}
    settings = Settings(data_dir=tmp_path)
    key, record = generate_key("logged", "free")
    revoked_key, revoked = generate_key("revoked", "free")
    store = open_key_store(settings)
    store.create(record)
    store.create(revoked)
    store.revoke(revoked.key_id, "2026-01-01T00:00:00Z")
    token = hs256(claims(iss=None, aud=None))
    _, client = make_app(auth_mode="api_key_or_jwt", plans=plans, log_level="debug")
    wrong_secret = key[:-4] + "AAAA"
    with caplog.at_level(logging.DEBUG):
        for headers in (
            {"X-API-Key": key},
            {"X-API-Key": key},
            {"X-API-Key": key},
            {"X-API-Key": key},  # 429
            {"X-API-Key": wrong_secret},
            {"X-API-Key": revoked_key},
            {"Authorization": f"Bearer {token}"},
            {"Authorization": f"Bearer {token[:-3]}xyz"},
            {"Authorization": f"Basic {key}"},
        ):
            client.get("/detectors", headers=headers)
        client.post(
            "/analyze",
            json={"contract_code": "contract A {}", "use_ai": True},
            headers={"Authorization": f"Bearer {token}"},
        )
    assert "refused 429" in caplog.text and "refused 403" in caplog.text
    everything = caplog.text + json.dumps(
        [[str(r.msg), *map(str, r.args or ())] for r in caplog.records]
    )
    _assert_absent(everything, [*_secrets_of(key, token), wrong_secret, revoked_key[20:]])


def test_no_credential_in_a_real_servers_output(tmp_path: Path) -> None:
    env = {
        "CONTRACT_ANALYZER_DATA_DIR": str(tmp_path),
        "AUTH_MODE": "api_key_or_jwt",
        "JWT_HS256_SECRET": HS_SECRET,
        "CONTRACT_ANALYZER_LOG_LEVEL": "debug",
        "CONTRACT_ANALYZER_ACCESS_LOG": "true",
    }
    key, record = generate_key("served", "free")
    open_key_store(Settings(data_dir=tmp_path)).create(record)
    token = hs256(claims(iss=None, aud=None))
    with serve(**env) as server:
        statuses = [
            http_request(server.port, "GET", "/detectors", headers=headers)[0]
            for headers in (
                {"X-API-Key": key},
                {"X-API-Key": key[:-4] + "AAAA"},
                {"Authorization": f"Bearer {token}"},
                {"Authorization": f"Bearer {token}x"},
            )
        ]
        assert statuses == [200, 401, 200, 401]
        server.process.terminate()
        server.process.wait(10)
    output = server.output()
    assert "GET /detectors" in output, "the access log is on: it must be there"
    assert "AUTHENTICATION IS OFF" not in output
    _assert_absent(output, _secrets_of(key, token))


def test_an_open_server_on_a_public_address_warns() -> None:
    with serve("--host", "0.0.0.0", CONTRACT_ANALYZER_ACCESS_LOG="false") as server:
        server.process.terminate()
        server.process.wait(10)
    output = server.output()
    assert "AUTHENTICATION IS OFF" in output and "0.0.0.0" in output
    assert "WARNING" in output


@pytest.mark.parametrize(
    ("mode", "host", "warns"),
    [
        ("none", "127.0.0.1", False),
        ("none", "localhost", False),
        ("none", "::1", False),
        ("none", "[::1]", False),
        ("none", "127.0.0.2", False),
        ("none", "0.0.0.0", True),
        ("none", "::", True),
        ("none", "192.0.2.10", True),
        ("none", "api.example", True),
        ("api_key", "0.0.0.0", False),
        ("jwt", "0.0.0.0", False),
    ],
)
def test_exposure_warning(mode: str, host: str, warns: bool) -> None:
    warning: Any = exposure_warning(mode, host)
    assert (warning is not None) is warns


def test_lambda_without_authentication_warns(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_NAME", "contract-analyzer-api")
    with caplog.at_level(logging.WARNING, logger="contract_analyzer.auth"):
        make_app()
    assert "AUTH_MODE=none" in caplog.text
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="contract_analyzer.auth"):
        make_app(auth_mode="api_key")
    assert "AUTH_MODE=none" not in caplog.text
