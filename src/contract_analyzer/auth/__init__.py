"""Authentication, API keys, usage plans and per-user rate limits.

::

    request ──► AuthMiddleware (middleware.py, wraps the whole app)
                  │  X-API-Key ──► keys.py (format, salted hash) ──► KeyStore
                  │                  sqlite_store.py (local) / dynamodb_store.py (AWS)
                  │  Authorization: Bearer ──► jwt_auth.py (PyJWT: JWKS or HS256)
                  ▼
                Principal (base.py: user id, plan) ──► RateLimiter
                  limiter.py (token buckets, in process) / dynamodb_limiter.py (AWS)
                  ▼
                route (request.state.principal; effective_use_ai() for the plan's AI flag)

``AUTH_MODE`` (none | api_key | jwt | api_key_or_jwt) chooses what is accepted
(authenticator.py); plans come from ``PLANS`` or the built-in table (plans.py);
``contract-analyzer keys create|list|revoke`` manage keys (cli_commands.py); the same
JWT check runs as an API Gateway TOKEN authorizer in
``contract_analyzer.aws.lambda_authorizer``.

Importing this package imports neither FastAPI, PyJWT nor boto3.
"""

from __future__ import annotations

from contract_analyzer.auth.base import AuthError, Principal
from contract_analyzer.auth.plans import BUILTIN_PLANS, Plan, PlanConfig

__all__ = ["BUILTIN_PLANS", "AuthError", "Plan", "PlanConfig", "Principal"]
