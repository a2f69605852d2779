"""From request headers to a :class:`~contract_analyzer.auth.base.Principal`, or a refusal.

``AUTH_MODE`` decides what is accepted:

=================  ==============================================================
``none``           nobody is asked for anything (no authenticator at all)
``api_key``        ``X-API-Key: ca_...``
``jwt``            ``Authorization: Bearer <JWT>``
``api_key_or_jwt`` either; when both headers are sent, the API key is the one checked
=================  ==============================================================

This module imports no web framework: the HTTP middleware and the CLI both use it.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING

from contract_analyzer.auth.base import (
    INVALID_MESSAGE,
    REALM,
    REVOKED_MESSAGE,
    UNAVAILABLE_MESSAGE,
    AuthError,
    CredentialBackendError,
    InvalidCredentialError,
    Principal,
)
from contract_analyzer.auth.keys import KeyStore, open_key_store, parse_key, secret_matches
from contract_analyzer.auth.limiter import Decision, RateLimiter, limiter_from_settings
from contract_analyzer.auth.plans import Plan, plans_from_settings
from contract_analyzer.errors import ConfigError

if TYPE_CHECKING:
    from contract_analyzer.auth.jwt_auth import JWTVerifier
    from contract_analyzer.config import Settings

log = logging.getLogger("contract_analyzer.auth")

AUTH_MODES = ("none", "api_key", "jwt", "api_key_or_jwt")
API_KEY_HEADER = "x-api-key"

_MISSING = {
    "api_key": "Authentication required: send your API key in the X-API-Key header.",
    "jwt": "Authentication required: send a bearer token in the Authorization header.",
    "api_key_or_jwt": "Authentication required: send an API key in the X-API-Key header "
    "or a bearer token in the Authorization header.",
}


class Authenticator:
    """Checks credentials (:meth:`authenticate`) and counts requests (:meth:`limit`)."""

    def __init__(
        self,
        mode: str,
        plans: Mapping[str, Plan],
        default_plan: str,
        *,
        key_store: KeyStore | None = None,
        verifier: JWTVerifier | None = None,
        limiter: RateLimiter | None = None,
        plan_claim: str = "plan",
    ) -> None:
        if mode not in AUTH_MODES or mode == "none":
            raise ConfigError(f"an authenticator needs an auth mode other than none, not {mode!r}")
        if default_plan not in plans:
            raise ConfigError(f"the default plan {default_plan!r} is not a configured plan")
        self.mode = mode
        self.accepts_keys = mode in ("api_key", "api_key_or_jwt")
        self.accepts_jwt = mode in ("jwt", "api_key_or_jwt")
        if self.accepts_keys and key_store is None:
            raise ConfigError(f"AUTH_MODE={mode} needs an API key store")
        if self.accepts_jwt and verifier is None:
            raise ConfigError(f"AUTH_MODE={mode} needs a JWT verifier")
        self.plans = dict(plans)
        self.default_plan = self.plans[default_plan]
        self.key_store = key_store
        self.verifier = verifier
        self.limiter = limiter
        self.plan_claim = plan_claim

    # -- credentials ---------------------------------------------------------------

    def authenticate(self, api_key: str | None, authorization: str | None) -> Principal:
        """The caller, from the ``X-API-Key`` and ``Authorization`` header values (None
        when absent). Raises :class:`AuthError`."""
        try:
            if self.accepts_keys and api_key is not None:
                return self._from_key(api_key)
            if self.accepts_jwt and authorization is not None:
                return self._from_jwt(authorization)
        except InvalidCredentialError as exc:
            raise AuthError(
                401, "unauthorized", INVALID_MESSAGE, self._challenge(invalid=True)
            ) from exc
        except CredentialBackendError as exc:
            log.error("cannot check a credential: %s", exc)
            raise AuthError(
                503, "service_unavailable", UNAVAILABLE_MESSAGE, {"Retry-After": "5"}
            ) from None
        raise AuthError(401, "unauthorized", _MISSING[self.mode], self._challenge(invalid=False))

    def _from_key(self, api_key: str) -> Principal:
        parsed = parse_key(api_key.strip())
        if parsed is None:
            raise InvalidCredentialError("not an API key")
        key_id, secret = parsed
        assert self.key_store is not None
        record = self.key_store.get(key_id)
        if not secret_matches(record, secret):
            raise InvalidCredentialError("unknown key or wrong secret")
        assert record is not None
        if not record.active:
            raise AuthError(403, "forbidden", REVOKED_MESSAGE)
        plan = self.plans.get(record.plan)
        if plan is None:
            log.error(
                "API key %s has plan %r, which is not configured", record.public_id, record.plan
            )
            raise AuthError(403, "forbidden", "This credential's plan is not available.")
        return Principal(f"key:{key_id}", "api_key", record.name, plan)

    def _from_jwt(self, authorization: str) -> Principal:
        from contract_analyzer.auth.jwt_auth import bearer_token, plan_claim

        token = bearer_token(authorization)
        if token is None:
            raise InvalidCredentialError("not a bearer token")
        assert self.verifier is not None
        claims = self.verifier.verify(token)
        subject = str(claims["sub"])
        plan_name = plan_claim(claims, self.plan_claim)
        plan = self.plans.get(plan_name) if plan_name else None
        return Principal(f"sub:{subject}", "jwt", subject, plan or self.default_plan)

    def _challenge(self, *, invalid: bool) -> dict[str, str]:
        if self.accepts_jwt:
            value = f'Bearer realm="{REALM}"'
            if invalid:
                value += ', error="invalid_token"'
        else:
            value = f'ApiKey realm="{REALM}", header="X-API-Key"'
        return {"WWW-Authenticate": value}

    # -- quotas --------------------------------------------------------------------

    def limit(self, principal: Principal) -> Decision | None:
        """Count one request of ``principal``; raises a 429 :class:`AuthError` when it is
        over its plan's limits. None when no limiter is configured."""
        if self.limiter is None:
            return None
        decision = self.limiter.hit(principal.user_id, principal.plan)
        if not decision.allowed:
            plan = principal.plan
            per = (
                f"{plan.requests_per_minute:,} requests per minute"
                if decision.window == "minute"
                else f"{plan.requests_per_day:,} requests per day"
            )
            seconds = decision.retry_after or 1
            raise AuthError(
                429,
                "rate_limited",
                f"Rate limit exceeded: {per} on the {plan.name} plan. "
                f"Retry in {seconds} second{'s' if seconds != 1 else ''}.",
                decision.headers(),
                principal=principal,
            )
        return decision


def check_ai(principal: Principal | None, use_ai: bool | None) -> bool | None:
    """The ``use_ai`` to run with: unchanged when the plan includes AI (or there is no
    authentication), ``False`` instead of "the default" when it does not. Raises a 403
    :class:`AuthError` when AI is asked for explicitly on a plan without it."""
    if principal is None or principal.plan.ai:
        return use_ai
    if use_ai:
        raise AuthError(
            403,
            "forbidden",
            f"Your plan ({principal.plan.name}) does not include AI analysis; send "
            "use_ai=false or use a plan with AI.",
        )
    return False


def build_authenticator(settings: Settings) -> Authenticator | None:
    """The authenticator the settings describe (None for ``AUTH_MODE=none``). Raises
    :class:`~contract_analyzer.errors.ConfigError` on an incomplete configuration."""
    if settings.auth_mode == "none":
        return None
    plans = plans_from_settings(settings)
    accepts_jwt = settings.auth_mode in ("jwt", "api_key_or_jwt")
    verifier = None
    if accepts_jwt:
        from contract_analyzer.auth.jwt_auth import verifier_from_settings

        verifier = verifier_from_settings(settings)
        if verifier.jwks is not None and not settings.jwt_audience:
            log.warning(
                "JWT_AUDIENCE is not set: tokens the identity provider issued for other "
                "applications are accepted too"
            )
    key_store = (
        open_key_store(settings) if settings.auth_mode in ("api_key", "api_key_or_jwt") else None
    )
    return Authenticator(
        settings.auth_mode,
        plans,
        settings.default_plan,
        key_store=key_store,
        verifier=verifier,
        limiter=limiter_from_settings(settings),
        plan_claim=settings.jwt_plan_claim,
    )
