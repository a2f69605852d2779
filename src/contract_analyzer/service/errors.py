"""The API's one error shape and the one table from errors to HTTP statuses.

Every error the API answers, whatever raised it, has this body::

    {"error": {"code": "payload_too_large", "message": "One clear sentence.",
               "request_id": "..."}}

``code`` is a stable machine name (listed in ``docs/api.md``); ``message`` is for people.
The same ``request_id`` is in the ``X-Request-ID`` header.
"""

from __future__ import annotations

import logging
from collections.abc import MutableMapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse, Response

from contract_analyzer.errors import (
    AnalysisTimeoutError,
    AnalyzerError,
    ConfigError,
    InputError,
    UsageError,
)
from contract_analyzer.service.pool import PoolClosedError, WorkerCrashedError

log = logging.getLogger("contract_analyzer.service")

ANALYZER_ERROR_STATUS: dict[type[AnalyzerError], int] = {
    InputError: 422,
    UsageError: 400,
    ConfigError: 500,
    AnalysisTimeoutError: 504,
    AnalyzerError: 400,
}
"""HTTP status of each :class:`AnalyzerError` (the nearest class in the MRO wins)."""

HTTP_STATUS_CODES: dict[int, str] = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "rate_limited",
    500: "internal_error",
    503: "service_unavailable",
    504: "analysis_timeout",
}
"""``code`` of errors raised as plain HTTP errors (routing, body limit)."""

_DEFAULT_MESSAGES: dict[int, str] = {
    404: "There is no such endpoint; see /docs for the API.",
    405: "This endpoint does not accept that method; see /docs for the API.",
    413: "The request body is too large.",
    500: "Something went wrong on our side; the error is logged with this request id.",
}


class BodyTooLargeError(StarletteHTTPException):
    """Raised while the body is being received, as soon as it passes the limit."""

    def __init__(self, limit: int) -> None:
        super().__init__(
            status_code=413,
            detail=f"The request body is larger than the limit of {limit:,} bytes.",
        )


def request_id_of(scope_or_request: Request | MutableMapping[str, Any]) -> str:
    """The id the request-id middleware gave this request ("" outside a request)."""
    scope = scope_or_request.scope if isinstance(scope_or_request, Request) else scope_or_request
    state = scope.get("state") or {}
    return str(state.get("request_id", ""))


def error_body(code: str, message: str, request_id: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "request_id": request_id}}


def error_response(
    status: int,
    code: str,
    message: str,
    request_id: str,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    return JSONResponse(error_body(code, message, request_id), status_code=status, headers=headers)


def status_for(exc: AnalyzerError) -> int:
    for cls in type(exc).__mro__:
        if cls in ANALYZER_ERROR_STATUS:
            return ANALYZER_ERROR_STATUS[cls]
    return 400


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers that turn every raised error into the error shape."""
    app.add_exception_handler(AnalyzerError, _analyzer_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(WorkerCrashedError, _worker_crashed)
    app.add_exception_handler(PoolClosedError, _pool_closed)


def internal_error_response(scope: MutableMapping[str, Any], exc: BaseException) -> JSONResponse:
    """The answer to an unexpected error: logged with the request id, never a traceback."""
    request_id = request_id_of(scope)
    log.error(
        "request %s %s failed [request_id=%s]",
        scope.get("method", ""),
        scope.get("path", ""),
        request_id,
        exc_info=(type(exc), exc, exc.__traceback__),
    )
    return error_response(500, "internal_error", _DEFAULT_MESSAGES[500], request_id)


async def _analyzer_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, AnalyzerError)
    status = status_for(exc)
    if status >= 500:
        log.error("%s [request_id=%s]", exc.message, request_id_of(request))
    return error_response(status, exc.code, _sentence(exc.message), request_id_of(request))


async def _worker_crashed(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, WorkerCrashedError)
    log.error(
        "analysis failed [request_id=%s]: %s\n%s", request_id_of(request), exc.message, exc.details
    )
    return error_response(500, "internal_error", _DEFAULT_MESSAGES[500], request_id_of(request))


async def _pool_closed(request: Request, exc: Exception) -> Response:
    return error_response(
        503,
        "service_unavailable",
        "The server is shutting down; retry in a moment.",
        request_id_of(request),
    )


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    status = exc.status_code
    code = HTTP_STATUS_CODES.get(status, "http_error")
    detail = exc.detail if isinstance(exc.detail, str) else ""
    if status in _DEFAULT_MESSAGES and (not detail or detail == _reason(status)):
        message = _DEFAULT_MESSAGES[status]
    else:
        message = _sentence(detail or _reason(status))
    headers = dict(exc.headers) if exc.headers else None
    return error_response(status, code, message, request_id_of(request), headers)


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = list(exc.errors())
    request_id = request_id_of(request)
    first = errors[0] if errors else {}
    if first.get("type") == "json_invalid":
        reason = (first.get("ctx") or {}).get("error", "")
        position = first.get("loc", ("body", 0))[-1]
        message = f"The request body is not valid JSON ({reason} at character {position})."
        return error_response(400, "invalid_json", message, request_id)
    if _body_not_json(request, first):
        return error_response(
            415,
            "unsupported_media_type",
            "Send the request body as JSON with the header Content-Type: application/json.",
            request_id,
        )
    message = _describe(first)
    if len(errors) > 1:
        others = len(errors) - 1
        message = f"{message[:-1]} (and {others} more problem{'s' if others > 1 else ''})."
    return error_response(422, "validation_error", message, request_id)


def _body_not_json(request: Request, first: Any) -> bool:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    is_json = content_type == "application/json" or content_type.endswith("+json")
    return (
        request.method == "POST"
        and not is_json
        and tuple(first.get("loc", ())) == ("body",)
        and first.get("type") != "missing"
    )


def _describe(error: Any) -> str:
    loc = [str(part) for part in error.get("loc", ()) if part not in ("body",)]
    where = ".".join(loc)
    msg = str(error.get("msg", "is invalid"))
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, ") :]
    if error.get("type") == "missing":
        return f"The field {where!r} is required." if where else "A request body is required."
    if where.startswith("query."):
        return _sentence(f"Query parameter {where[6:]!r}: {msg}")
    if not where:
        return _sentence(f"The request body is invalid: {msg}")
    return _sentence(f"The field {where!r} is invalid: {msg}")


def _sentence(text: str) -> str:
    text = text.strip()
    if not text:
        return "The request failed."
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"
