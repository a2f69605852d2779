"""Lambda handler of the API function (API Gateway REST v1 proxy and HTTP API v2 events).

``contract_analyzer.aws.lambda_api.handler`` is the function's handler. It is the same
FastAPI app as ``contract-analyzer serve``, adapted by Mangum; ``lifespan="off"``
because Lambda has no start-up hook, so the analysis worker starts on the first request
(one worker: a Lambda environment serves one request at a time). On Lambda itself
(``AWS_LAMBDA_RUNTIME_API`` is set) the worker process is started, not awaited, during
the init phase, so it boots while the runtime finishes initialising.

Importing this module must stay cheap for cold starts: FastAPI, Mangum, the service's
own modules and the Powertools logger and metrics, never the engine, an AI SDK or boto3
(``bench/import_time.py`` measures it, a test checks it); on Lambda,
:mod:`contract_analyzer.aws.coldstart` also spares it FastAPI's Pydantic v1 checks.

Around the app, :mod:`contract_analyzer.aws.observability` gives every invocation JSON
logs (Lambda request id, cold-start flag, the API's ``request_id``), one access log line,
and for each successful ``/analyze`` or ``/analyze/batch`` the analysis metrics; with
``STATS_TABLE`` / ``NOTIFY_TOPIC_ARN`` set, the day's counters and the notification of
critical/high findings too (:func:`contract_analyzer.aws.events.after_analysis`, the
first boto3 import of the environment happens then, after the analysis).
"""

from __future__ import annotations

import json
import os
import time
from typing import Any

from mangum import Mangum

from contract_analyzer.aws import coldstart  # noqa: F401 - first: trims what FastAPI loads
from contract_analyzer.aws.observability import observability
from contract_analyzer.config import get_settings
from contract_analyzer.service.app import create_app

TEXT_MIME_TYPES = [
    "text/",
    "application/json",
    "application/sarif+json",
    "+json",
    "application/javascript",
    "application/xml",
    "application/vnd.oai.openapi",
]
"""Content types answered as text rather than base64 (Mangum's defaults plus SARIF)."""

settings = get_settings()
app = create_app(settings)
if os.environ.get("AWS_LAMBDA_RUNTIME_API"):
    app.state.pool.prestart()
    from contract_analyzer.aws.events import warm_clients

    warm_clients()  # boto3 loads in a thread while the first analysis runs
_mangum = Mangum(
    app,
    lifespan="off",
    api_gateway_base_path=settings.api_base_path,
    text_mime_types=TEXT_MIME_TYPES,
)
_obs = observability("api")
ANALYSIS_PATHS = ("/analyze", "/analyze/batch")


def _handle(event: dict[str, Any], context: Any) -> dict[str, Any]:
    started = time.perf_counter()
    response: dict[str, Any] = _mangum(event, context)
    _after_response(event, response, time.perf_counter() - started)
    return response


def _after_response(event: dict[str, Any], response: dict[str, Any], seconds: float) -> None:
    headers = {str(k).lower(): v for k, v in (response.get("headers") or {}).items()}
    request_id = headers.get("x-request-id")
    if request_id:
        _obs.logger.append_keys(request_id=request_id)
    path = event.get("rawPath") or event.get("path") or ""
    method = event.get("httpMethod") or (event.get("requestContext") or {}).get("http", {}).get(
        "method"
    )
    status = response.get("statusCode")
    _obs.logger.info(
        "request",
        extra={"method": method, "path": path, "status": status, "ms": round(seconds * 1000, 3)},
    )
    if (
        status != 200
        or not str(path).rstrip("/").endswith(ANALYSIS_PATHS)
        or not str(headers.get("content-type", "")).startswith("application/json")
        or response.get("isBase64Encoded")
    ):
        return
    try:
        body = json.loads(response.get("body") or "")
    except json.JSONDecodeError:
        return
    if isinstance(body, dict) and "analysis_report" in body:
        from contract_analyzer.aws.events import AnalysisSummary, after_analysis

        after_analysis(AnalysisSummary.from_api_response(body), _obs)


handler = _obs.wrap(_handle)
"""The Lambda entry point: ``contract_analyzer.aws.lambda_api.handler``."""
