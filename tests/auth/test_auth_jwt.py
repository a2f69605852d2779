"""JWT bearer tokens against a JWKS served over HTTP on loopback, and HS256.

Every bad token is a 401 with the same message: the caller never learns which check
failed."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
from auth_helpers import (
    AUDIENCE,
    HS_SECRET,
    ISSUER,
    JWKSServer,
    MakeApp,
    SigningKey,
    claims,
    ec_key,
    forge,
    hs256,
    jwks_server,
    rsa_key,
)
from fastapi.testclient import TestClient

from contract_analyzer.auth.base import CredentialBackendError, InvalidCredentialError
from contract_analyzer.auth.jwt_auth import JWKSCache, JWTVerifier, parse_jwks
from contract_analyzer.errors import ConfigError
from service.service_helpers import assert_error_shape

INVALID = "The credential is invalid or expired."
RSA = rsa_key("rsa-1", 0)
OTHER_RSA_SAME_KID = rsa_key("rsa-1", 1)
EC = ec_key("ec-1")


@pytest.fixture(scope="module")
def jwks() -> Iterator[JWKSServer]:
    with jwks_server(RSA, EC) as server:
        yield server


@pytest.fixture
def client(make_app: MakeApp, jwks: JWKSServer) -> TestClient:
    _, test_client = make_app(
        auth_mode="jwt",
        jwt_jwks_url=jwks.url,
        jwt_issuer=ISSUER,
        jwt_audience=AUDIENCE,
        jwt_hs256_secret=HS_SECRET,
    )
    return test_client


def _get(client: TestClient, token: str) -> Any:
    return client.get("/detectors", headers={"Authorization": f"Bearer {token}"})


def _assert_refused(response: Any) -> None:
    assert response.status_code == 401, response.text
    assert_error_shape(response.json(), "unauthorized")
    assert response.json()["error"]["message"] == INVALID
    assert response.headers["www-authenticate"].startswith("Bearer ")


@pytest.mark.parametrize("key", [RSA, EC], ids=["RS256", "ES256"])
def test_valid_tokens_from_the_jwks(client: TestClient, key: SigningKey) -> None:
    response = _get(client, key.sign(claims()))
    assert response.status_code == 200, response.text
    assert response.headers["x-ratelimit-limit"] == "10"  # the default plan: free


def test_valid_hs256_token(client: TestClient) -> None:
    assert _get(client, hs256(claims())).status_code == 200


def test_leeway_accepts_small_clock_skew(client: TestClient) -> None:
    now = int(time.time())
    assert _get(client, RSA.sign(claims(exp=now - 10))).status_code == 200
    assert _get(client, RSA.sign(claims(nbf=now + 10, iat=now + 10))).status_code == 200


def _alg_none(payload: dict[str, Any]) -> str:
    return forge({"alg": "none", "typ": "JWT", "kid": "rsa-1"}, payload, None)


BAD_TOKENS: dict[str, Any] = {
    "expired": lambda: RSA.sign(claims(exp=int(time.time()) - 120)),
    "not_yet_valid": lambda: RSA.sign(claims(nbf=int(time.time()) + 120)),
    "wrong_issuer": lambda: RSA.sign(claims(iss="https://evil.test/")),
    "wrong_audience": lambda: RSA.sign(claims(aud="another-api")),
    "no_audience": lambda: RSA.sign(claims(aud=None)),
    "no_expiry": lambda: RSA.sign(claims(exp=None)),
    "no_subject": lambda: RSA.sign(claims(sub=None)),
    "empty_subject": lambda: RSA.sign(claims(sub="")),
    "wrong_signature": lambda: OTHER_RSA_SAME_KID.sign(claims()),
    "tampered_payload": lambda: _tamper(RSA.sign(claims())),
    "alg_none": lambda: _alg_none(claims()),
    "alg_none_with_signature": lambda: _alg_none(claims()) + "c2lnbmF0dXJl",
    "alg_None_capitalised": lambda: forge({"alg": "None", "kid": "rsa-1"}, claims(), None),
    # The classic confusion: HS256 "signed" with the RSA public key as the HMAC secret.
    "hs_rs_confusion_pem": lambda: forge(
        {"alg": "HS256", "typ": "JWT", "kid": "rsa-1"}, claims(), RSA.public_pem
    ),
    "hs_rs_confusion_jwk_n": lambda: forge(
        {"alg": "HS256", "kid": "rsa-1"}, claims(), RSA.public_jwk["n"].encode()
    ),
    "wrong_hs256_secret": lambda: hs256(claims(), "another-secret-that-is-also-32-bytes-long"),
    "unknown_kid": lambda: rsa_key("never-published", 1).sign(claims()),
    "kid_not_a_string": lambda: forge({"alg": "RS256", "kid": 123}, claims(), None),
    "rs384_not_allowed": lambda: __import__("jwt").encode(
        claims(), RSA.private, algorithm="RS384", headers={"kid": "rsa-1"}
    ),
    "ec_key_claims_rs256": lambda: forge({"alg": "RS256", "kid": "ec-1"}, claims(), None),
    "malformed": lambda: "not-a-jwt",
    "two_parts": lambda: "abc.def",
    "garbage_base64": lambda: "e30.!!!.@@@",
    "header_not_json": lambda: "bm90IGpzb24.e30.c2ln",
    "oversized": lambda: "a" * 10_000,
}


def _tamper(token: str) -> str:
    header, _, signature = token.split(".")
    forged = forge({"alg": "RS256"}, claims(sub="mallory"), None).split(".")[1]
    return f"{header}.{forged}.{signature}"


@pytest.mark.parametrize("case", sorted(BAD_TOKENS))
def test_bad_tokens_are_401_with_one_message(client: TestClient, case: str) -> None:
    _assert_refused(_get(client, BAD_TOKENS[case]()))


@pytest.mark.parametrize(
    "header", ["Basic YWxpY2U6c2VjcmV0", "Bearer", "Bearer    ", "Token abc", "bearer"]
)
def test_not_a_bearer_token(client: TestClient, header: str) -> None:
    _assert_refused(client.get("/detectors", headers={"Authorization": header}))


def test_hs256_confusion_without_a_secret_configured(make_app: MakeApp, jwks: JWKSServer) -> None:
    """With only a JWKS configured, an HS256 token is refused whatever it is signed with."""
    _, client = make_app(
        auth_mode="jwt", jwt_jwks_url=jwks.url, jwt_issuer=ISSUER, jwt_audience=AUDIENCE
    )
    assert _get(client, RSA.sign(claims())).status_code == 200
    _assert_refused(_get(client, forge({"alg": "HS256", "kid": "rsa-1"}, claims(), RSA.public_pem)))
    _assert_refused(_get(client, hs256(claims())))


def test_the_plan_comes_from_the_token(client: TestClient) -> None:
    pro = _get(client, RSA.sign(claims(sub="bob", plan="pro")))
    assert pro.headers["x-ratelimit-limit"] == "120"
    unknown = _get(client, RSA.sign(claims(sub="carol", plan="platinum")))
    assert unknown.headers["x-ratelimit-limit"] == "10"  # the default plan


def test_key_rotation_during_the_test(make_app: MakeApp) -> None:
    """The provider rotates from key A to key B: a token signed with B (a kid the cache
    does not know) makes the server fetch the JWKS again and is accepted; A's tokens stop
    working once A is gone from the set."""
    key_a, key_b = rsa_key("key-a", 0), rsa_key("key-b", 2)
    with jwks_server(key_a) as server:
        app, client = make_app(
            auth_mode="jwt", jwt_jwks_url=server.url, jwt_issuer=ISSUER, jwt_audience=AUDIENCE
        )
        app.state.authenticator.verifier.jwks.min_refresh_seconds = 0.0
        token_a = key_a.sign(claims())
        assert _get(client, token_a).status_code == 200
        assert _get(client, token_a).status_code == 200
        assert server.requests == 1  # cached

        server.keys = [key_a, key_b]  # the provider publishes B...
        assert _get(client, key_b.sign(claims())).status_code == 200
        assert server.requests == 2  # ...and the unknown kid triggered one fetch
        assert _get(client, token_a).status_code == 200  # A still published

        server.keys = [key_b]  # ...then retires A
        _assert_refused(_get(client, rsa_key("key-c", 1).sign(claims())))  # unknown: refetch
        assert server.requests == 3
        _assert_refused(_get(client, token_a))  # A is gone from the cache now
        assert _get(client, key_b.sign(claims())).status_code == 200


def test_unknown_kids_do_not_hammer_the_identity_provider(make_app: MakeApp) -> None:
    with jwks_server(RSA) as server:
        app, client = make_app(
            auth_mode="jwt", jwt_jwks_url=server.url, jwt_issuer=ISSUER, jwt_audience=AUDIENCE
        )
        assert app.state.authenticator.verifier.jwks.min_refresh_seconds == 5.0
        app.state.authenticator.verifier.jwks.min_refresh_seconds = 60.0  # a slow machine
        for number in range(20):
            _assert_refused(_get(client, rsa_key(f"random-{number}", 1).sign(claims())))
        assert server.requests == 1  # one fetch, then at most one per min_refresh_seconds


def test_jwks_fetch_has_a_timeout_and_failure_is_503(make_app: MakeApp) -> None:
    with jwks_server(RSA) as server:
        server.delay = 6.0
        _, client = make_app(
            auth_mode="jwt",
            jwt_jwks_url=server.url,
            jwt_issuer=ISSUER,
            jwt_audience=AUDIENCE,
            jwks_timeout_seconds=0.3,
        )
        started = time.monotonic()
        response = _get(client, RSA.sign(claims()))
        assert time.monotonic() - started < 4.0  # the provider would take 6 s
        assert response.status_code == 503
        assert_error_shape(response.json(), "service_unavailable")


def test_a_failing_refresh_keeps_the_cached_keys() -> None:
    now = [0.0]
    answers: list[bytes | Exception] = []

    def fetch(url: str, timeout: float) -> bytes:
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    cache = JWKSCache(
        "https://idp.example/jwks", ttl=60, min_refresh_seconds=5, clock=lambda: now[0], fetch=fetch
    )
    document = json.dumps({"keys": [RSA.public_jwk]}).encode()
    answers.append(document)
    assert cache.key_for("rsa-1").key_id == "rsa-1"
    now[0] = 100.0  # stale: refresh, which fails; the old key is still used
    answers.append(OSError("down"))
    assert cache.key_for("rsa-1").key_id == "rsa-1"
    assert cache.fetches == 2
    with pytest.raises(InvalidCredentialError):
        cache.key_for("unknown")  # no second fetch within 5 s
    assert cache.fetches == 2


def test_no_keys_and_no_provider_is_a_backend_error() -> None:
    def fetch(url: str, timeout: float) -> bytes:
        raise OSError("connection refused")

    cache = JWKSCache("https://idp.example/jwks", fetch=fetch)
    with pytest.raises(CredentialBackendError):
        cache.key_for("rsa-1")


def test_parse_jwks_keeps_only_signing_keys_it_can_use() -> None:
    document = {
        "keys": [
            RSA.public_jwk,
            {**EC.public_jwk, "kid": "enc", "use": "enc"},
            {"kty": "oct", "k": "c2VjcmV0", "kid": "hmac"},
            {**RSA.public_jwk, "kid": "rs512", "alg": "RS512"},
            {"kty": "RSA", "kid": "broken", "n": "!!", "e": "AQAB"},
            "not an object",
        ]
    }
    keys = parse_jwks(json.dumps(document).encode())
    assert set(keys) == {"rsa-1"}
    with pytest.raises(ValueError, match="JWKS"):
        parse_jwks(b'{"no": "keys"}')


def test_configuration_errors() -> None:
    with pytest.raises(ConfigError, match="32 bytes"):
        JWTVerifier(hs256_secret=b"short")
    with pytest.raises(ConfigError, match="JWKS_URL or"):
        JWTVerifier()
    with pytest.raises(ConfigError, match="https"):
        JWKSCache("http://idp.example/jwks")
    JWKSCache("http://localhost:8080/jwks")  # loopback http is fine (tests, sidecars)


def test_settings_refuse_an_incomplete_jwt_configuration() -> None:
    from pydantic import ValidationError

    from contract_analyzer.config import Settings

    with pytest.raises(ValidationError, match="JWT_JWKS_URL or JWT_HS256_SECRET"):
        Settings(auth_mode="jwt")
    with pytest.raises(ValidationError, match="32 bytes"):
        Settings(auth_mode="jwt", jwt_hs256_secret="short")
    with pytest.raises(ValidationError, match="JWT_ISSUER"):
        Settings(auth_mode="jwt", jwt_jwks_url="https://idp.example/jwks")
