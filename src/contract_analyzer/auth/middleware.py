"""Authentication and rate limits for every route of the app, as one ASGI middleware.

:class:`AuthMiddleware` wraps the whole application, so a route added later (by any
module, with any router) is protected without doing anything: only the paths in
:data:`EXEMPT_PATHS` are open. A request is refused before routing, so an
unauthenticated caller cannot even tell which paths exist (404 and 405 come after
authentication). Accepted requests carry their
:class:`~contract_analyzer.auth.base.Principal` in ``request.state.principal`` and
their responses the ``X-RateLimit-*`` headers.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from contract_analyzer.auth.authenticator import Authenticator, check_ai
from contract_analyzer.auth.base import AuthError, Principal
from contract_analyzer.auth.limiter import Decision
from contract_analyzer.service.errors import error_response, request_id_of

if TYPE_CHECKING:
    from fastapi import FastAPI

    from contract_analyzer.config import Settings

log = logging.getLogger("contract_analyzer.auth")

EXEMPT_PATHS: frozenset[str] = frozenset(
    {"/health", "/docs", "/docs/oauth2-redirect", "/openapi.json", "/redoc"}
)
"""The deliberate exceptions: liveness and the API's own documentation. Exact paths
(``/health/`` or ``/docs/x`` are protected like everything else)."""

EXPOSED_HEADERS = ("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset", "Retry-After")
"""Response headers a browser script may read (for the CORS configuration)."""


def _route_path(scope: Scope) -> str:
    path = str(scope.get("path", ""))
    root = str(scope.get("root_path", ""))
    if root and path.startswith(root):
        path = path[len(root) :] or "/"
    return path


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return str(value.decode("latin-1"))
    return None


class AuthMiddleware:
    """Refuses requests without a valid credential (401/403), over their plan's limits
    (429) or when credentials cannot be checked (503), in the API's error shape."""

    def __init__(
        self,
        app: ASGIApp,
        authenticator: Authenticator,
        exempt_paths: frozenset[str] = EXEMPT_PATHS,
    ) -> None:
        self.app = app
        self.authenticator = authenticator
        self.exempt_paths = exempt_paths

    def _check(
        self, api_key: str | None, authorization: str | None
    ) -> tuple[Principal, Decision | None]:
        principal = self.authenticator.authenticate(api_key, authorization)
        return principal, self.authenticator.limit(principal)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket") or _route_path(scope) in self.exempt_paths:
            await self.app(scope, receive, send)
            return
        api_key = _header(scope, b"x-api-key")
        authorization = _header(scope, b"authorization")
        try:
            # In a thread: a key lookup or a JWKS fetch blocks.
            principal, decision = await run_in_threadpool(self._check, api_key, authorization)
        except AuthError as exc:
            self._log_refusal(scope, exc)
            if scope["type"] == "websocket":
                await send({"type": "websocket.close", "code": 1008})
                return
            response = error_response(
                exc.status, exc.code, exc.message, request_id_of(scope), exc.headers
            )
            await response(scope, receive, send)
            return
        scope.setdefault("state", {})["principal"] = principal
        if decision is None:
            await self.app(scope, receive, send)
            return
        extra = [
            (k.lower().encode("latin-1"), v.encode("latin-1"))
            for k, v in decision.headers().items()
        ]

        async def send_with_limits(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", ()), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_limits)

    @staticmethod
    def _log_refusal(scope: Scope, exc: AuthError) -> None:
        principal = exc.principal
        who = f" {principal.user_id} ({principal.plan.name})" if principal else ""
        level = logging.DEBUG if exc.status == 401 else logging.INFO
        log.log(
            level,
            "%s %s refused %d %s%s [request_id=%s]",
            scope.get("method", ""),
            scope.get("path", ""),
            exc.status,
            exc.code,
            who,
            request_id_of(scope),
        )


def principal_of(request: Request) -> Principal | None:
    """The authenticated caller of this request (None with ``AUTH_MODE=none`` or on an
    exempt path)."""
    state = request.scope.get("state") or {}
    principal = state.get("principal")
    return principal if isinstance(principal, Principal) else None


def effective_use_ai(request: Request, use_ai: bool | None) -> bool | None:
    """The ``use_ai`` a route should run with, given the caller's plan: a plan without
    AI turns the default off and answers an explicit ``use_ai=true`` with 403. Every
    route that can run the AI layer calls this first."""
    try:
        return check_ai(principal_of(request), use_ai)
    except AuthError as exc:
        raise StarletteHTTPException(exc.status, detail=exc.message) from None


def install_auth(app: FastAPI, settings: Settings) -> Authenticator | None:
    """Add :class:`AuthMiddleware` to ``app`` as the settings say (nothing for
    ``AUTH_MODE=none``). Call it before adding the outer middleware (request ids, body
    limit), so that refusals carry a request id."""
    import os

    from contract_analyzer.auth.authenticator import build_authenticator

    authenticator = build_authenticator(settings)
    app.state.authenticator = authenticator
    if authenticator is None:
        if os.environ.get("AWS_LAMBDA_FUNCTION_NAME"):
            log.warning(
                "AUTH_MODE=none: the API checks no credential; set AUTH_MODE unless an "
                "API Gateway authorizer or API key requirement guards every route"
            )
        return None
    app.add_middleware(AuthMiddleware, authenticator=authenticator)
    _document_security(app, authenticator)
    return authenticator


def _document_security(app: FastAPI, authenticator: Authenticator) -> None:
    """Declare the accepted credentials in the OpenAPI document (so `/docs` has an
    "Authorize" button) and the 401/403/429 answers on every protected operation."""
    original = app.openapi  # caches the document until the routes change
    documented: list[dict[str, Any]] = []

    def openapi() -> dict[str, Any]:
        schema = original()
        if documented and documented[0] is schema:
            return schema
        schemes: dict[str, Any] = {}
        if authenticator.accepts_keys:
            schemes["ApiKey"] = {"type": "apiKey", "in": "header", "name": "X-API-Key"}
        if authenticator.accepts_jwt:
            schemes["Bearer"] = {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
        schema.setdefault("components", {})["securitySchemes"] = schemes
        schema["security"] = [{name: []} for name in schemes]
        known = "ErrorResponse" in schema["components"].get("schemas", {})
        content = (
            {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}}
            if known
            else {}
        )
        answers = {
            "401": "Missing, invalid or expired credential",
            "403": "Valid credential without access (revoked key, AI not in the plan)",
            "429": "Over the plan's rate limit (see Retry-After and X-RateLimit-*)",
        }
        for path, operations in schema.get("paths", {}).items():
            for operation in operations.values():
                if not isinstance(operation, dict):
                    continue
                if path in EXEMPT_PATHS:
                    operation["security"] = []
                    continue
                responses = operation.setdefault("responses", {})
                for status, description in answers.items():
                    responses.setdefault(status, {"description": description, "content": content})
        documented[:] = [schema]
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
