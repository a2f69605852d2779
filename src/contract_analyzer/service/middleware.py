"""Pure ASGI middleware: request ids, the body size limit, the last-resort error net.

Order, outermost first: :class:`RequestIdMiddleware` → CORS (when configured) →
:class:`GuardMiddleware` → FastAPI's routing. Pure ASGI rather than
``BaseHTTPMiddleware``: no extra task per request and the body is never buffered here.
"""

from __future__ import annotations

import re
import uuid

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from contract_analyzer.service.errors import (
    BodyTooLargeError,
    error_response,
    internal_error_response,
    request_id_of,
)

REQUEST_ID_HEADER = "x-request-id"
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:@/+=-]{0,127}$")


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return str(value.decode("latin-1"))
    return None


def _choose_request_id(scope: Scope) -> str:
    """The caller's ``X-Request-ID`` when it is sane (1-128 characters of letters,
    digits and ``._:@/+=-``), else API Gateway's request id on Lambda, else a new UUID."""
    supplied = _header(scope, b"x-request-id")
    if supplied is not None and _VALID_REQUEST_ID.match(supplied.strip()):
        return supplied.strip()
    event = scope.get("aws.event")
    if isinstance(event, dict):
        context = event.get("requestContext")
        if isinstance(context, dict):
            gateway_id = context.get("requestId")
            if isinstance(gateway_id, str) and _VALID_REQUEST_ID.match(gateway_id):
                return gateway_id
    return str(uuid.uuid4())


class RequestIdMiddleware:
    """Gives every request an id (``scope["state"]["request_id"]``) and puts it in the
    ``X-Request-ID`` header of every response, errors included."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = _choose_request_id(scope)
        scope.setdefault("state", {})["request_id"] = request_id
        raw_id = request_id.encode("latin-1")
        started = False

        async def send_with_id(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = [
                    (k, v) for k, v in message.get("headers", ()) if k.lower() != b"x-request-id"
                ]
                headers.append((b"x-request-id", raw_id))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception as exc:  # last resort: anything that escaped the inner net
            if started:
                raise
            response = internal_error_response(scope, exc)
            await response(scope, receive, send_with_id)


class GuardMiddleware:
    """Refuses bodies over ``max_body_bytes`` with 413 - at once when ``Content-Length``
    says so, else as soon as the received bytes pass the limit - and answers any
    unexpected exception with a logged 500 in the error shape (never a traceback)."""

    def __init__(self, app: ASGIApp, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.max_body_bytes
        declared = _header(scope, b"content-length")
        if declared is not None:
            try:
                too_large = int(declared) > limit
            except ValueError:
                too_large = False
            if too_large:
                exc = BodyTooLargeError(limit)
                response = error_response(
                    413, "payload_too_large", exc.detail, request_id_of(scope)
                )
                await response(scope, receive, send)
                return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLargeError(limit)
            return message

        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLargeError as exc:
            if started:
                raise
            response = error_response(413, "payload_too_large", exc.detail, request_id_of(scope))
            await response(scope, receive, send)
        except Exception as exc:
            if started:
                raise
            await internal_error_response(scope, exc)(scope, receive, send)
