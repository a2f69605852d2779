"""The HS256 secret read from AWS Secrets Manager (``JWT_HS256_SECRET_ARN``), against
moto in server mode on loopback: by the app, by the Lambda TOKEN authorizer and by
``invoke-local``. It is read at the first HS256 token, cached, never logged; when it
cannot be read (or is too short) HS256 tokens are refused."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from auth_helpers import AWS_ENV, HS_SECRET, MakeApp, claims, hs256, moto_server, run_cli
from pydantic import ValidationError

from contract_analyzer.auth.base import InvalidCredentialError
from contract_analyzer.auth.jwt_auth import SecretsManagerHS256Secret
from contract_analyzer.aws import lambda_authorizer
from contract_analyzer.aws.local import LocalContext
from contract_analyzer.config import Settings, get_settings
from service.service_helpers import assert_error_shape

INVALID = "The credential is invalid or expired."
VAULT_SECRET = "the-hs256-secret-kept-in-secrets-manager-0123456789"
METHOD_ARN = "arn:aws:execute-api:us-east-1:123456789012:abc123/prod/POST/analyze"
MISSING_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:no-such-secret-AbCdEf"
JWT_VARIABLES = (
    "JWT_HS256_SECRET",
    "JWT_HS256_SECRET_ARN",
    "JWT_JWKS_URL",
    "JWT_ISSUER",
    "JWT_AUDIENCE",
    "AUTH_MODE",
)


@pytest.fixture(scope="module")
def aws() -> Iterator[dict[str, str]]:
    """moto on loopback and the environment that points boto3 at it."""
    from contract_analyzer.aws.clients import reset_clients

    with moto_server() as endpoint, pytest.MonkeyPatch.context() as patch:
        env = {**AWS_ENV, "AWS_ENDPOINT_URL": endpoint}
        for name, value in env.items():
            patch.setenv(name, value)
        patch.delenv("AWS_PROFILE", raising=False)
        reset_clients()  # the shared clients may point at another test's endpoint
        try:
            yield env
        finally:
            reset_clients()


def _create_secret(aws: dict[str, str], value: str) -> str:
    import boto3

    client = boto3.client("secretsmanager", endpoint_url=aws["AWS_ENDPOINT_URL"])
    arn: str = client.create_secret(Name=f"jwt-{uuid.uuid4().hex[:12]}", SecretString=value)["ARN"]
    return arn


def _get(client: Any, token: str) -> Any:
    return client.get("/detectors", headers={"Authorization": f"Bearer {token}"})


def _token(secret: str = VAULT_SECRET, **overrides: Any) -> str:
    return hs256(claims(iss=None, aud=None, **overrides), secret)


@pytest.fixture
def authorizer_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """A clean ``JWT_*`` environment for the authorizer; settings re-read per test."""
    for name in JWT_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(f"CONTRACT_ANALYZER_{name}", raising=False)
    get_settings.cache_clear()
    lambda_authorizer.reset()
    try:
        yield monkeypatch
    finally:
        get_settings.cache_clear()
        lambda_authorizer.reset()


def _authorize(token: str) -> dict[str, Any]:
    event = {"type": "TOKEN", "authorizationToken": f"Bearer {token}", "methodArn": METHOD_ARN}
    return lambda_authorizer.handler(event, LocalContext("authorizer"))


# -- the app --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "stored",
    [
        VAULT_SECRET,
        json.dumps({"jwt_hs256_secret": VAULT_SECRET}),
        json.dumps({"secret": VAULT_SECRET, "note": "rotated yearly"}),
    ],
    ids=["raw", "json-jwt_hs256_secret", "json-secret"],
)
def test_the_app_accepts_tokens_signed_with_the_stored_secret(
    aws: dict[str, str], make_app: MakeApp, stored: str
) -> None:
    arn = _create_secret(aws, stored)
    _, client = make_app(auth_mode="jwt", jwt_hs256_secret=None, jwt_hs256_secret_arn=arn)
    ok = _get(client, _token(sub="vault-user", plan="pro"))
    assert ok.status_code == 200, ok.text
    assert ok.headers["x-ratelimit-limit"] == "120"
    for bad in (_token(HS_SECRET), _token()[:-4] + "AAAA", _token(exp=int(time.time()) - 600)):
        refused = _get(client, bad)
        assert refused.status_code == 401
        assert_error_shape(refused.json(), "unauthorized")
        assert refused.json()["error"]["message"] == INVALID


def test_the_secret_is_read_once_then_cached(aws: dict[str, str], make_app: MakeApp) -> None:
    from contract_analyzer.aws import secrets

    arn = _create_secret(aws, VAULT_SECRET)
    reads: list[str] = []
    real_fetch = secrets._LOADER._fetch

    def counting_fetch(requested: str) -> str:
        reads.append(requested)
        return real_fetch(requested)

    secrets._LOADER._fetch = counting_fetch
    try:
        _, client = make_app(auth_mode="jwt", jwt_hs256_secret=None, jwt_hs256_secret_arn=arn)
        assert reads == []  # not at start-up
        results: list[int] = []
        threads = [
            threading.Thread(target=lambda: results.append(_get(client, _token()).status_code))
            for _ in range(6)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        assert results == [200] * 6
        assert reads == [arn]
    finally:
        secrets._LOADER._fetch = real_fetch


@pytest.mark.parametrize(
    ("stored", "reason"),
    [
        (None, "ResourceNotFoundException"),
        ("too-short-for-hs256", "shorter than 32 bytes"),
        (json.dumps({"password": VAULT_SECRET}), "no 'jwt_hs256_secret' or 'secret' string"),
    ],
    ids=["missing", "short", "json-without-the-field"],
)
def test_a_secret_that_cannot_be_used_fails_closed(
    aws: dict[str, str],
    make_app: MakeApp,
    caplog: pytest.LogCaptureFixture,
    stored: str | None,
    reason: str,
) -> None:
    arn = MISSING_ARN if stored is None else _create_secret(aws, stored)
    _, client = make_app(auth_mode="jwt", jwt_hs256_secret=None, jwt_hs256_secret_arn=arn)
    token = _token()
    with caplog.at_level(logging.INFO):  # botocore's DEBUG lines would print bodies
        for _ in range(3):
            refused = _get(client, token)
            assert refused.status_code == 401
            assert_error_shape(refused.json(), "unauthorized")
            assert refused.json()["error"]["message"] == INVALID
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1, errors  # retried at most every 10 s: no log flood
    assert "JWT_HS256_SECRET_ARN" in errors[0] and reason in errors[0]
    assert "HS256 tokens are refused" in errors[0]
    for secret in (VAULT_SECRET, "too-short-for-hs256", token, arn.rsplit(":", 1)[-1]):
        assert secret not in caplog.text


def test_a_direct_secret_wins_over_the_arn(
    aws: dict[str, str], make_app: MakeApp, caplog: pytest.LogCaptureFixture
) -> None:
    arn = _create_secret(aws, VAULT_SECRET)
    _, client = make_app(auth_mode="jwt", jwt_hs256_secret=HS_SECRET, jwt_hs256_secret_arn=arn)
    assert _get(client, _token(HS_SECRET)).status_code == 200
    assert _get(client, _token(VAULT_SECRET)).status_code == 401
    # The ARN is not even read: a broken one does no harm.
    _, client = make_app(
        auth_mode="jwt", jwt_hs256_secret=HS_SECRET, jwt_hs256_secret_arn=MISSING_ARN
    )
    with caplog.at_level(logging.INFO):
        assert _get(client, _token(HS_SECRET)).status_code == 200
    assert "JWT_HS256_SECRET_ARN" not in caplog.text


# -- the Lambda TOKEN authorizer --------------------------------------------------------


def test_the_authorizer_reads_the_secret_from_secrets_manager(
    aws: dict[str, str], authorizer_env: pytest.MonkeyPatch
) -> None:
    arn = _create_secret(aws, json.dumps({"jwt_hs256_secret": VAULT_SECRET}))
    authorizer_env.setenv("JWT_HS256_SECRET_ARN", arn)
    answer = _authorize(_token(sub="carol", plan="pro"))
    assert answer["principalId"] == "carol"
    assert answer["policyDocument"]["Statement"][0]["Effect"] == "Allow"
    assert answer["context"]["plan"] == "pro"
    for bad in (_token(HS_SECRET), _token()[:-4] + "AAAA"):
        with pytest.raises(lambda_authorizer.Unauthorized) as raised:
            _authorize(bad)
        assert str(raised.value) == "Unauthorized"


def test_the_authorizer_fails_closed_on_a_missing_secret(
    aws: dict[str, str], authorizer_env: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    authorizer_env.setenv("CONTRACT_ANALYZER_JWT_HS256_SECRET_ARN", MISSING_ARN)
    token = _token()
    with caplog.at_level(logging.INFO), pytest.raises(lambda_authorizer.Unauthorized):
        _authorize(token)
    [error] = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert "JWT_HS256_SECRET_ARN" in error and "ResourceNotFoundException" in error
    assert token not in caplog.text and "no-such-secret" not in caplog.text


def test_the_authorizer_prefers_the_direct_secret(
    aws: dict[str, str], authorizer_env: pytest.MonkeyPatch
) -> None:
    authorizer_env.setenv("JWT_HS256_SECRET_ARN", MISSING_ARN)
    authorizer_env.setenv("JWT_HS256_SECRET", HS_SECRET)
    assert _authorize(_token(HS_SECRET, sub="dave"))["principalId"] == "dave"


def test_invoke_local_runs_the_authorizer_with_the_stored_secret(
    aws: dict[str, str], tmp_path: Path
) -> None:
    arn = _create_secret(aws, VAULT_SECRET)
    # An empty JWT_HS256_SECRET (a template's "no value") does not win over the ARN.
    env = {**aws, "JWT_HS256_SECRET_ARN": arn, "JWT_HS256_SECRET": ""}
    event = tmp_path / "event.json"
    answers = []
    for token in (_token(sub="erin"), _token(HS_SECRET)):
        event.write_text(
            json.dumps(
                {"type": "TOKEN", "authorizationToken": f"Bearer {token}", "methodArn": METHOD_ARN}
            )
        )
        result = run_cli("invoke-local", str(event), "--handler", "authorizer", **env)
        assert "Traceback" not in result.stderr, result.stderr
        answers.append((result.returncode, json.loads(result.stdout)))
    assert answers[0][0] == 0 and answers[0][1]["principalId"] == "erin"
    assert answers[1] == (1, {"errorMessage": "Unauthorized", "errorType": "Unauthorized"})


# -- settings and the secret holder -----------------------------------------------------


def test_the_settings_accept_the_arn_under_both_names(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in JWT_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(f"CONTRACT_ANALYZER_{name}", raising=False)
    monkeypatch.setenv("AUTH_MODE", "jwt")
    with pytest.raises(ValidationError, match="JWT_HS256_SECRET_ARN"):
        Settings()
    monkeypatch.setenv("JWT_HS256_SECRET_ARN", MISSING_ARN)
    assert Settings().jwt_hs256_secret_arn == MISSING_ARN  # not read here
    monkeypatch.setenv("CONTRACT_ANALYZER_JWT_HS256_SECRET_ARN", MISSING_ARN + "2")
    assert Settings().jwt_hs256_secret_arn == MISSING_ARN + "2"
    assert Settings(auth_mode="api_key_or_jwt").auth_mode == "api_key_or_jwt"
    monkeypatch.setenv("JWT_HS256_SECRET", " ")
    assert Settings().jwt_hs256_secret is None  # empty: unset, the ARN applies


def test_boto3_is_imported_only_when_an_hs256_token_needs_the_secret() -> None:
    code = f"""
import sys
from contract_analyzer.auth.base import InvalidCredentialError
from contract_analyzer.auth.jwt_auth import verifier_from_settings
from contract_analyzer.config import Settings
verifier = verifier_from_settings(Settings(auth_mode="jwt", jwt_hs256_secret_arn={MISSING_ARN!r}))
assert "boto3" not in sys.modules
try:
    verifier.verify("not-a-token")
except InvalidCredentialError:
    pass
assert "boto3" not in sys.modules
"""
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_failed_read_is_retried_after_a_pause() -> None:
    from contract_analyzer.aws.secrets import SecretError

    clock = FakeClock()
    answers: list[str | Exception] = [SecretError("ThrottlingException"), VAULT_SECRET]
    reads: list[str] = []

    def read(arn: str) -> str:
        reads.append(arn)
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    secret = SecretsManagerHS256Secret("arn:x", retry_seconds=10, clock=clock, read=read)
    for _ in range(2):
        with pytest.raises(InvalidCredentialError):
            secret()
    assert len(reads) == 1  # the second call came too soon to try again
    clock.now += 10
    assert secret() == VAULT_SECRET.encode()
    assert secret() == VAULT_SECRET.encode()
    assert len(reads) == 2
