"""API Gateway Lambda authorizer, TOKEN type: the API's JWT check in front of it.

``contract_analyzer.aws.lambda_authorizer.handler`` receives::

    {"type": "TOKEN", "authorizationToken": "Bearer eyJ...",
     "methodArn": "arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/POST/analyze"}

and verifies the token exactly as the API does (:mod:`contract_analyzer.auth.jwt_auth`:
JWKS or HS256, ``iss``/``aud``/``exp``/``nbf`` with leeway, ``alg: none`` and
algorithm confusion refused; the same ``JWT_*`` settings). A valid token gets an
``Allow`` policy for *every* method and path of the stage (``.../prod/*``), so API
Gateway can cache the answer per token (``ResultTtlInSeconds``) and reuse it for the
token's next calls to any route; the policy's principal is the token's ``sub`` and its
context carries the plan (``plan``, ``ai``, ``requests_per_minute``,
``requests_per_day``), which API Gateway passes to the API function in
``requestContext.authorizer``. Anything else raises ``Exception("Unauthorized")``, which
API Gateway answers with 401.

It imports PyJWT and the settings only (no FastAPI; boto3 only when
``JWT_HS256_SECRET_ARN`` names the HS256 secret, at the first HS256 token); the
verifier, its JWKS cache and the HS256 secret live for the life of the Lambda
environment. A secret that cannot be read refuses HS256 tokens (``Unauthorized``) and
logs the variable and the AWS error code.
"""

from __future__ import annotations

import functools
import logging
from typing import Any

from contract_analyzer.auth.base import CredentialBackendError, InvalidCredentialError
from contract_analyzer.auth.jwt_auth import (
    JWTVerifier,
    bearer_token,
    plan_claim,
    verifier_from_settings,
)
from contract_analyzer.auth.plans import Plan, plans_from_settings
from contract_analyzer.config import get_settings

log = logging.getLogger("contract_analyzer.auth")


class Unauthorized(Exception):
    """API Gateway turns a failure whose message is exactly ``Unauthorized`` into 401."""

    def __init__(self) -> None:
        super().__init__("Unauthorized")


class _Authorizer:
    def __init__(self) -> None:
        settings = get_settings()
        self.verifier: JWTVerifier = verifier_from_settings(settings)
        self.plans: dict[str, Plan] = plans_from_settings(settings)
        self.default_plan = self.plans[settings.default_plan]
        self.plan_claim = settings.jwt_plan_claim


@functools.lru_cache(maxsize=1)
def _get() -> _Authorizer:
    """The verifier, built on first use and kept for the life of the environment."""
    return _Authorizer()


def reset() -> None:
    """Forget the verifier (tests change the settings between cases)."""
    _get.cache_clear()


def stage_resource(method_arn: str) -> str:
    """``arn:...:api-id/stage/*``: every method and path of the stage the call is for."""
    prefix, _, rest = method_arn.partition("/")
    stage = rest.split("/", 1)[0]
    if not prefix.startswith("arn:") or ":execute-api:" not in prefix or not stage:
        raise Unauthorized()
    return f"{prefix}/{stage}/*"


def handler(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """The TOKEN authorizer: an IAM policy for a valid bearer JWT, else 401."""
    authorizer = _get()
    token = bearer_token(str(event.get("authorizationToken") or ""))
    if token is None:
        raise Unauthorized()
    resource = stage_resource(str(event.get("methodArn") or ""))
    try:
        claims = authorizer.verifier.verify(token)
    except InvalidCredentialError as exc:
        log.info("token refused (%s)", exc)
        raise Unauthorized() from None
    except CredentialBackendError as exc:
        # Not a 401: the token may be fine. API Gateway answers 500 and does not cache.
        log.error("cannot verify tokens: %s", exc)
        raise
    subject = str(claims["sub"])
    name = plan_claim(claims, authorizer.plan_claim)
    plan = authorizer.plans.get(name) if name else None
    plan = plan or authorizer.default_plan
    return {
        "principalId": subject,
        "policyDocument": {
            "Version": "2012-10-17",
            "Statement": [
                {"Action": "execute-api:Invoke", "Effect": "Allow", "Resource": resource}
            ],
        },
        "context": {
            "sub": subject,
            "plan": plan.name,
            "ai": plan.ai,
            "requests_per_minute": plan.requests_per_minute,
            "requests_per_day": plan.requests_per_day,
        },
    }
