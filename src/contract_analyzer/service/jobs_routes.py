"""``POST /jobs`` and ``GET /jobs/{job_id}``: asynchronous analyses.

A job is the same analysis as ``/analyze`` (or ``/analyze/batch``), queued: ``POST``
answers 202 at once with the job's id and where to poll, the job runs on a job runner
(this server's own with ``JOBS_BACKEND=local``; the worker Lambda or
``contract-analyzer worker`` with ``JOBS_BACKEND=aws``), and ``GET`` gives its status
and, when done, the full answer. See :mod:`contract_analyzer.service.jobs`.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Header, Request
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse, Response

from contract_analyzer.auth.middleware import effective_use_ai, principal_of
from contract_analyzer.service.callbacks import (
    CallbackURLError,
    check_callback_url,
    signing_configured,
)
from contract_analyzer.service.errors import error_response
from contract_analyzer.service.jobs import JobService, job_document
from contract_analyzer.service.jobs_models import JobAccepted, JobRequest, JobStatusResponse
from contract_analyzer.service.models import (
    JSON_BODY_ERRORS,
    AnalyzeRequest,
    BatchRequest,
    error_doc,
)
from contract_analyzer.storage.base import IdempotencyConflictError, ItemTooLargeError

router = APIRouter(tags=["jobs"])

IDEMPOTENCY_KEY_PATTERN = r"^[\x21-\x7e]{1,255}$"


_SUBMIT_ERRORS: dict[int | str, dict[str, Any]] = {
    400: error_doc(
        "The body is not valid JSON", "invalid_json", "The request body is not valid JSON."
    ),
    409: error_doc(
        "The Idempotency-Key was used with another request",
        "idempotency_conflict",
        "This Idempotency-Key was already used for a different request.",
    ),
    **JSON_BODY_ERRORS,
    422: error_doc(
        "A field or header is missing or invalid",
        "validation_error",
        "The field 'callback_url' is invalid: the callback URL must start with http:// or "
        "https://.",
    ),
    500: error_doc("Unexpected error", "internal_error", "Something went wrong on our side."),
    503: error_doc(
        "The job store or queue cannot be reached",
        "service_unavailable",
        "The job queue is unavailable; retry in a moment.",
    ),
}


def _jobs(request: Request) -> JobService:
    service: JobService = request.app.state.jobs
    return service


def _owner(request: Request) -> str | None:
    principal = principal_of(request)
    return principal.user_id if principal is not None else None


def _status_url(request: Request, job_id: str) -> str:
    """The absolute URL of ``GET /jobs/{job_id}`` as the caller reaches it. Behind API
    Gateway the caller's path has a prefix the app does not see (a REST API's stage,
    a custom domain's base path): it is taken from the event's ``requestContext.path``."""
    url = str(request.url_for("get_job", job_id=job_id))
    event = request.scope.get("aws.event")
    context = event.get("requestContext") if isinstance(event, dict) else None
    full = context.get("path") if isinstance(context, dict) else None
    path = request.url.path
    if isinstance(full, str) and full != path and full.endswith(path):
        prefix = full[: -len(path)].rstrip("/")
        base = str(request.base_url).rstrip("/")
        return f"{base}{prefix}{url[len(base) :]}" if url.startswith(base) else url
    return url


def _invalid(field: str, message: str, value: Any) -> RequestValidationError:
    return RequestValidationError(
        [{"type": "value_error", "loc": ("body", field), "msg": message, "input": value}]
    )


@router.post(
    "/jobs",
    status_code=202,
    response_model=JobAccepted,
    responses={
        202: {
            "description": "Accepted: the job is queued (or, for an `Idempotency-Key` seen "
            "in the last 24 h, the job that key made, with `Idempotent-Replayed: true`)",
            "headers": {"Location": {"schema": {"type": "string"}}},
        },
        **_SUBMIT_ERRORS,
    },
    summary="Queue an analysis (one source or a batch)",
)
async def submit_job(
    request: Request,
    body: JobRequest,
    idempotency_key: Annotated[
        str | None,
        Header(
            alias="Idempotency-Key",
            description="Optional client key (1-255 printable ASCII characters): the same key "
            "within 24 h returns the same job instead of queueing another.",
            pattern=IDEMPOTENCY_KEY_PATTERN,
        ),
    ] = None,
) -> Response:
    """Queue the analysis `/analyze` (with `contract_code`) or `/analyze/batch` (with
    `files`) would make, and answer 202 at once with `job_id`, `status` and
    `status_url`. Poll `GET /jobs/{job_id}` for its status and, when it has
    `succeeded`, its full answer; or give a `callback_url` to be sent it."""
    service = _jobs(request)
    try:
        analysis: AnalyzeRequest | BatchRequest = (
            BatchRequest.model_validate(body.analysis_body())
            if body.kind == "batch"
            else AnalyzeRequest.model_validate(body.analysis_body())
        )
    except ValidationError as exc:
        raise RequestValidationError(
            [{**error, "loc": ("body", *error["loc"])} for error in exc.errors()]
        ) from None
    settings = service.settings
    if body.callback_url is not None:
        try:
            check_callback_url(body.callback_url)
        except CallbackURLError as exc:
            raise _invalid("callback_url", str(exc), body.callback_url) from None
        if not signing_configured(settings):
            raise _invalid(
                "callback_url",
                "this server signs callbacks with CONTRACT_ANALYZER_CALLBACK_SECRET, which "
                "is not set, so it cannot send them",
                body.callback_url,
            )
    stored_request = analysis.model_dump(mode="json")
    stored_request["use_ai"] = effective_use_ai(request, analysis.use_ai)
    try:
        job, created = await service.submit(
            kind=body.kind,
            request=stored_request,
            request_id=request.state.request_id,
            callback_url=body.callback_url,
            idempotency_key=idempotency_key,
            owner=_owner(request),
            status_url_for=lambda job_id: _status_url(request, job_id),
        )
    except IdempotencyConflictError:
        return error_response(
            409,
            "idempotency_conflict",
            "This Idempotency-Key was already used for a different request in the last "
            "24 hours; use a new key.",
            request.state.request_id,
        )
    except ItemTooLargeError as exc:
        raise StarletteHTTPException(413, detail=str(exc)) from None
    except Exception as exc:
        from contract_analyzer.service.errors import log

        log.error("job submission failed [request_id=%s]: %s", request.state.request_id, exc)
        return error_response(
            503,
            "service_unavailable",
            "The job queue is unavailable; retry in a moment.",
            request.state.request_id,
        )
    status_url = _status_url(request, job.job_id)
    headers = {"Location": status_url}
    if not created:
        headers["Idempotent-Replayed"] = "true"
    return JSONResponse(
        JobAccepted(job_id=job.job_id, status=job.status, status_url=status_url).model_dump(),
        status_code=202,
        headers=headers,
    )


@router.get(
    "/jobs/{job_id}",
    name="get_job",
    response_model=JobStatusResponse,
    responses={
        404: error_doc("No such job", "not_found", "There is no job with this id."),
        500: error_doc("Unexpected error", "internal_error", "Something went wrong on our side."),
        503: error_doc(
            "The job store cannot be reached",
            "service_unavailable",
            "The job store is unavailable; retry in a moment.",
        ),
    },
    summary="Status of a job, and its answer when done",
)
async def get_job(request: Request, job_id: str) -> Response:
    """`queued`, `running`, `succeeded` (with `result`: the full answer) or `failed`
    (with `error`), with timestamps and attempts. Jobs are kept for
    `CONTRACT_ANALYZER_JOBS_TTL_SECONDS` (7 days); an unknown or expired id is 404."""
    try:
        valid = str(uuid.UUID(job_id)) == job_id
    except ValueError:
        valid = False
    job = None
    if valid:
        try:
            job = await _jobs(request).get(job_id)
        except Exception as exc:
            from contract_analyzer.service.errors import log

            log.error("job lookup failed [request_id=%s]: %s", request.state.request_id, exc)
            return error_response(
                503,
                "service_unavailable",
                "The job store is unavailable; retry in a moment.",
                request.state.request_id,
            )
    if job is None or (job.owner is not None and job.owner != _owner(request)):
        raise StarletteHTTPException(
            404, detail="There is no job with this id (jobs are kept for 7 days)."
        )
    return JSONResponse(job_document(job, _status_url(request, job.job_id)))
