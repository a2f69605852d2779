"""JWT bearer tokens, verified with PyJWT (and cryptography for RS256/ES256).

Two kinds of keys, each bound to its own algorithms so they can never be confused:

* RS256/ES256 public keys from a JWKS URL (``JWT_JWKS_URL``). The key set is fetched
  with a timeout, cached (``CONTRACT_ANALYZER_JWKS_CACHE_SECONDS``), fetched again when
  a token names a ``kid`` the cache does not know (key rotation) - at most once per
  ``min_refresh_seconds``, so random ``kid`` values cannot turn the server into a
  load generator against the identity provider - and kept when a refresh fails.
  Each key verifies only its own algorithm (``PyJWK`` binds it).
* An HS256 shared secret (``JWT_HS256_SECRET``, at least 32 bytes), used only for
  tokens whose header says HS256. On AWS it can live in Secrets Manager instead
  (``JWT_HS256_SECRET_ARN``, :class:`SecretsManagerHS256Secret`): read at the first
  HS256 token, not at start-up; while it cannot be read (or is too short) HS256 tokens
  are refused, so a missing secret fails closed.

A token with ``alg: none``, with any other algorithm, with HS256 when no secret is
configured (the "HS256 signed with the RSA public key" confusion), with an unknown
``kid``, a bad signature, a wrong ``iss`` or ``aud``, without ``exp`` or ``sub``,
expired or not yet valid (with ``leeway`` seconds of tolerance), or that is not a JWT
at all, is refused with :class:`~contract_analyzer.auth.base.InvalidCredentialError`.

This module does not import FastAPI: the Lambda authorizer uses it alone.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import jwt

from contract_analyzer.auth.base import CredentialBackendError, InvalidCredentialError
from contract_analyzer.auth.exposure import is_loopback
from contract_analyzer.errors import ConfigError

if TYPE_CHECKING:
    from contract_analyzer.config import Settings

log = logging.getLogger("contract_analyzer.auth")

ASYMMETRIC_ALGORITHMS = ("RS256", "ES256")
MAX_TOKEN_CHARS = 8192
MAX_JWKS_BYTES = 512 * 1024
MIN_HS256_SECRET_BYTES = 32

Fetch = Callable[[str, float], bytes]
HS256Secret = bytes | Callable[[], bytes]
"""The HS256 secret itself, or a callable that returns it (read on first use); the
callable raises InvalidCredentialError when the secret is not available."""


def check_jwks_url(url: str) -> str:
    """The URL when it is https (or http to a loopback address, for tests)."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return url
    if parts.scheme == "http" and parts.hostname and is_loopback(parts.hostname):
        return url
    raise ConfigError(f"JWT_JWKS_URL must be an https:// URL (got {url!r})")


def _fetch(url: str, timeout: float) -> bytes:
    request = urllib.request.Request(
        url, headers={"Accept": "application/json", "User-Agent": "contract-analyzer"}
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        data: bytes = response.read(MAX_JWKS_BYTES + 1)
    if len(data) > MAX_JWKS_BYTES:
        raise ValueError("the key set is larger than 512 KiB")
    return data


def parse_jwks(data: bytes) -> dict[str, jwt.PyJWK]:
    """Signing keys by ``kid`` from a JWKS document: RSA and EC keys whose algorithm is
    RS256 or ES256; others (encryption keys, HMAC keys, unknown types) are skipped."""
    document = json.loads(data)
    entries = document.get("keys") if isinstance(document, dict) else None
    if not isinstance(entries, list):
        raise ValueError("not a JWKS document (no 'keys' list)")
    keys: dict[str, jwt.PyJWK] = {}
    for entry in entries:
        if not isinstance(entry, dict) or entry.get("kty") not in ("RSA", "EC"):
            continue
        if entry.get("use", "sig") != "sig":
            continue
        if entry.get("alg") not in (None, *ASYMMETRIC_ALGORITHMS):
            continue
        try:
            key = jwt.PyJWK(entry)
        except (jwt.PyJWTError, ValueError, TypeError, KeyError):
            continue
        if key.algorithm_name in ASYMMETRIC_ALGORITHMS:
            keys[str(entry.get("kid", ""))] = key
    return keys


class JWKSCache:
    """The identity provider's signing keys, fetched on demand and cached. Thread-safe:
    one thread fetches while the others wait for its answer."""

    def __init__(
        self,
        url: str,
        *,
        timeout: float = 3.0,
        ttl: float = 600.0,
        min_refresh_seconds: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
        fetch: Fetch = _fetch,
    ) -> None:
        self.url = check_jwks_url(url)
        self.timeout = timeout
        self.ttl = ttl
        self.min_refresh_seconds = min_refresh_seconds
        self._clock = clock
        self._fetch = fetch
        self._lock = threading.Lock()
        self._keys: dict[str, jwt.PyJWK] = {}
        self._fetched_at: float | None = None
        self._attempted_at: float | None = None
        self._failed = False
        self.fetches = 0

    def key_for(self, kid: str | None) -> jwt.PyJWK:
        """The key with this ``kid`` (or the only key, for a token without one)."""
        with self._lock:
            now = self._clock()
            refreshed = False
            stale = self._fetched_at is None or now - self._fetched_at >= self.ttl
            if stale and self._may_try(now):
                self._refresh(now)
                refreshed = True
            key = self._find(kid)
            if key is None and not refreshed and self._may_try(now):
                self._refresh(now)  # an unknown kid: the keys may have been rotated
                key = self._find(kid)
            if key is None and not self._keys and self._failed:
                raise CredentialBackendError("the JWKS cannot be fetched")
        if key is None:
            raise InvalidCredentialError("no key for this kid")
        return key

    def _may_try(self, now: float) -> bool:
        return self._attempted_at is None or now - self._attempted_at >= self.min_refresh_seconds

    def _find(self, kid: str | None) -> jwt.PyJWK | None:
        if kid is None:
            return next(iter(self._keys.values())) if len(self._keys) == 1 else None
        return self._keys.get(kid)

    def _refresh(self, now: float) -> None:
        self.fetches += 1
        self._attempted_at = now
        try:
            keys = parse_jwks(self._fetch(self.url, self.timeout))
        except Exception as exc:  # network, HTTP, JSON: keep the keys we have
            self._failed = True
            log.warning("cannot fetch the JWKS from %s: %s", self.url, type(exc).__name__)
            return
        self._failed = False
        self._keys = keys
        self._fetched_at = now


class SecretsManagerHS256Secret:
    """The HS256 secret held in the Secrets Manager secret ``arn`` names: read at the
    first call (boto3 is imported then, not before), checked (at least 32 bytes) and
    kept; thread-safe, one read at a time. A failure is logged - naming
    ``JWT_HS256_SECRET_ARN`` and the AWS error code, never the secret - and makes the
    call raise InvalidCredentialError (the token is refused); the secret is
    read again on a call at least ``retry_seconds`` later, so a broken configuration
    neither hammers Secrets Manager nor floods the log."""

    variable = "JWT_HS256_SECRET_ARN"

    def __init__(
        self,
        arn: str,
        *,
        retry_seconds: float = 10.0,
        clock: Callable[[], float] = time.monotonic,
        read: Callable[[str], str] | None = None,
    ) -> None:
        self.arn = arn
        self.retry_seconds = retry_seconds
        self._clock = clock
        self._read = read or _read_hs256_secret
        self._lock = threading.Lock()
        self._value: bytes | None = None
        self._failed_at: float | None = None

    def __call__(self) -> bytes:
        value = self._value
        if value is not None:
            return value
        with self._lock:
            if self._value is not None:
                return self._value
            now = self._clock()
            if self._failed_at is not None and now - self._failed_at < self.retry_seconds:
                raise InvalidCredentialError("the HS256 secret is not available")
            try:
                value = self._read(self.arn).encode()
            except Exception as exc:
                self._failed_at = now
                log.error(
                    "cannot read the HS256 secret named by %s (%s): HS256 tokens are refused",
                    self.variable,
                    _secret_error(exc),
                )
                raise InvalidCredentialError("the HS256 secret is not available") from None
            if len(value) < MIN_HS256_SECRET_BYTES:
                self._failed_at = now
                log.error(
                    "the HS256 secret named by %s is shorter than %d bytes: HS256 tokens "
                    "are refused",
                    self.variable,
                    MIN_HS256_SECRET_BYTES,
                )
                raise InvalidCredentialError("the HS256 secret is too short")
            self._value = value
            return value


def _read_hs256_secret(arn: str) -> str:
    from contract_analyzer.aws.secrets import read_secret

    return read_secret(arn, "jwt_hs256_secret", "secret", required=True)


def _secret_error(exc: Exception) -> str:
    """What went wrong, without the secret: SecretError messages are AWS error codes."""
    from contract_analyzer.aws.secrets import SecretError

    return str(exc) if isinstance(exc, SecretError) else type(exc).__name__


class JWTVerifier:
    """Verifies bearer tokens; :meth:`verify` returns the claims."""

    def __init__(
        self,
        *,
        jwks: JWKSCache | None = None,
        hs256_secret: HS256Secret | None = None,
        issuer: str = "",
        audience: str = "",
        leeway: float = 30.0,
    ) -> None:
        if jwks is None and hs256_secret is None:
            raise ConfigError(
                "JWT authentication needs JWT_JWKS_URL or JWT_HS256_SECRET (or "
                "JWT_HS256_SECRET_ARN)"
            )
        if isinstance(hs256_secret, bytes) and len(hs256_secret) < MIN_HS256_SECRET_BYTES:
            raise ConfigError(f"JWT_HS256_SECRET must be at least {MIN_HS256_SECRET_BYTES} bytes")
        self.jwks = jwks
        self._secret = hs256_secret
        self.issuer = issuer
        self.audience = audience
        self.leeway = leeway

    def verify(self, token: str) -> dict[str, Any]:
        """The verified claims; raises InvalidCredentialError (or CredentialBackendError
        when the key set cannot be fetched)."""
        if not token or len(token) > MAX_TOKEN_CHARS:
            raise InvalidCredentialError("empty or oversized token")
        try:
            header = jwt.get_unverified_header(token)
        except (jwt.PyJWTError, ValueError, TypeError) as exc:
            raise InvalidCredentialError("malformed token") from exc
        alg = header.get("alg")
        key: Any
        if alg == "HS256" and self._secret is not None:
            secret = self._secret
            key, algorithms = (secret if isinstance(secret, bytes) else secret()), ["HS256"]
        elif alg in ASYMMETRIC_ALGORITHMS and self.jwks is not None:
            kid = header.get("kid")
            if kid is not None and not isinstance(kid, str):
                raise InvalidCredentialError("kid is not a string")
            key = self.jwks.key_for(kid)
            algorithms = [key.algorithm_name]
        else:
            raise InvalidCredentialError("algorithm not accepted")
        required = ["exp", "sub"]
        if self.issuer:
            required.append("iss")
        if self.audience:
            required.append("aud")
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key,
                algorithms=algorithms,
                audience=self.audience or None,
                issuer=self.issuer or None,
                leeway=self.leeway,
                options={
                    "require": required,
                    "verify_aud": bool(self.audience),
                    "enforce_minimum_key_length": True,
                },
            )
        except (jwt.PyJWTError, ValueError, TypeError, KeyError) as exc:
            raise InvalidCredentialError(type(exc).__name__) from exc
        subject = claims.get("sub")
        if not isinstance(subject, str) or not subject or len(subject) > 256:
            raise InvalidCredentialError("bad subject")
        return claims


def verifier_from_settings(settings: Settings) -> JWTVerifier:
    """The verifier the ``JWT_*`` settings describe."""
    jwks = None
    if settings.jwt_jwks_url:
        if not settings.jwt_issuer:
            raise ConfigError("JWT_JWKS_URL needs JWT_ISSUER (the tokens' expected 'iss')")
        jwks = JWKSCache(
            settings.jwt_jwks_url,
            timeout=settings.jwks_timeout_seconds,
            ttl=settings.jwks_cache_seconds,
        )
    secret = settings.jwt_hs256_secret
    hs256: HS256Secret | None = None
    if secret is not None:  # given directly: wins over the ARN
        hs256 = secret.get_secret_value().encode()
    elif settings.jwt_hs256_secret_arn:
        hs256 = SecretsManagerHS256Secret(settings.jwt_hs256_secret_arn)
    return JWTVerifier(
        jwks=jwks,
        hs256_secret=hs256,
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
        leeway=settings.jwt_leeway_seconds,
    )


def bearer_token(authorization: str) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` value, else None."""
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() != "bearer":
        return None
    token = token.strip()
    return token or None


def plan_claim(claims: Mapping[str, Any], claim: str) -> str | None:
    value = claims.get(claim)
    return value if isinstance(value, str) else None
