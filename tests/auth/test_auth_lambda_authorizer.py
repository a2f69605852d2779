"""The API Gateway TOKEN authorizer: the API's JWT check, answering with an IAM policy."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import pytest
from auth_helpers import (
    AUDIENCE,
    HS_SECRET,
    ISSUER,
    JWKSServer,
    claims,
    forge,
    hs256,
    jwks_server,
    rsa_key,
)

from contract_analyzer.aws import lambda_authorizer
from contract_analyzer.aws.local import LocalContext
from contract_analyzer.config import get_settings

RSA = rsa_key("authorizer-key", 0)
METHOD_ARN = "arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/POST/analyze"


@pytest.fixture
def jwks(monkeypatch: pytest.MonkeyPatch) -> Iterator[JWKSServer]:
    with jwks_server(RSA) as server:
        for name, value in {
            "JWT_JWKS_URL": server.url,
            "JWT_ISSUER": ISSUER,
            "JWT_AUDIENCE": AUDIENCE,
            "JWT_HS256_SECRET": HS_SECRET,
        }.items():
            monkeypatch.setenv(name, value)
        get_settings.cache_clear()
        lambda_authorizer.reset()
        try:
            yield server
        finally:
            get_settings.cache_clear()
            lambda_authorizer.reset()


def _event(token: str, arn: str = METHOD_ARN) -> dict[str, Any]:
    return {"type": "TOKEN", "authorizationToken": token, "methodArn": arn}


def _call(event: dict[str, Any]) -> dict[str, Any]:
    return lambda_authorizer.handler(event, LocalContext("authorizer"))


def test_a_valid_token_gets_a_cacheable_allow_policy(jwks: JWKSServer) -> None:
    answer = _call(_event(f"Bearer {RSA.sign(claims(sub='alice', plan='pro'))}"))
    assert answer == {
        "principalId": "alice",
        "policyDocument": {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Action": "execute-api:Invoke",
                    "Effect": "Allow",
                    # every route of the stage, so API Gateway may reuse the cached answer
                    "Resource": "arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/*",
                }
            ],
        },
        "context": {
            "sub": "alice",
            "plan": "pro",
            "ai": True,
            "requests_per_minute": 120,
            "requests_per_day": 20000,
        },
    }
    json.dumps(answer)  # context values are plain JSON scalars, as API Gateway requires
    hs = _call(_event(f"bearer {hs256(claims(sub='bob'))}"))
    assert hs["principalId"] == "bob" and hs["context"]["plan"] == "free"
    assert jwks.requests == 1


@pytest.mark.parametrize(
    "token",
    [
        "",
        "eyJhbGciOi",
        "Basic YWxpY2U6c2VjcmV0",
        "Bearer ",
        "Bearer not-a-jwt",
        "Bearer " + RSA.sign(claims(exp=int(time.time()) - 120)),
        "Bearer " + RSA.sign(claims(nbf=int(time.time()) + 120)),
        "Bearer " + RSA.sign(claims(iss="https://evil.test/")),
        "Bearer " + RSA.sign(claims(aud="other")),
        "Bearer " + rsa_key("authorizer-key", 1).sign(claims()),
        "Bearer " + forge({"alg": "none", "kid": "authorizer-key"}, claims(), None),
        "Bearer " + forge({"alg": "HS256", "kid": "authorizer-key"}, claims(), RSA.public_pem),
        "Bearer " + rsa_key("unknown-kid", 1).sign(claims()),
    ],
)
def test_bad_tokens_are_unauthorized(jwks: JWKSServer, token: str) -> None:
    with pytest.raises(lambda_authorizer.Unauthorized) as raised:
        _call(_event(token))
    assert str(raised.value) == "Unauthorized"  # API Gateway's cue for 401


@pytest.mark.parametrize(
    "arn", ["", "not-an-arn", "arn:aws:s3:::bucket/key", "arn:aws:execute-api:x"]
)
def test_a_bad_method_arn_is_refused(jwks: JWKSServer, arn: str) -> None:
    with pytest.raises(lambda_authorizer.Unauthorized):
        _call(_event(f"Bearer {RSA.sign(claims())}", arn))


def test_the_authorizer_follows_key_rotation(jwks: JWKSServer) -> None:
    _call(_event(f"Bearer {RSA.sign(claims())}"))
    lambda_authorizer._get().verifier.jwks.min_refresh_seconds = 0.0  # type: ignore[union-attr]
    rotated = rsa_key("rotated", 2)
    jwks.keys = [rotated]
    assert _call(_event(f"Bearer {rotated.sign(claims(sub='r'))}"))["principalId"] == "r"
    with pytest.raises(lambda_authorizer.Unauthorized):
        _call(_event(f"Bearer {RSA.sign(claims())}"))


def test_importing_the_authorizer_stays_light() -> None:
    code = (
        "import sys, json; import contract_analyzer.aws.lambda_authorizer; "
        "print(json.dumps(sorted(sys.modules)))"
    )
    modules = set(json.loads(subprocess.check_output([sys.executable, "-c", code], text=True)))
    for heavy in ("boto3", "botocore", "fastapi", "starlette", "contract_analyzer.engine"):
        assert heavy not in modules, heavy
