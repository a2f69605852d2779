"""The API's routes: thin adapters from HTTP to one analysis job.

The analysis itself runs in a worker process (:mod:`contract_analyzer.service.pool`),
through the result cache (:mod:`contract_analyzer.service.analysis`); the route
validates the request and turns the answer into the wire contract (or the SARIF /
Markdown rendering when ``?format=`` asks for it).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated, Any, cast

from fastapi import APIRouter, Body, Query, Request
from starlette.responses import Response

from contract_analyzer.auth.middleware import effective_use_ai
from contract_analyzer.service.models import (
    JSON_BODY_ERRORS,
    SUCCESS_MESSAGE,
    VULNERABLE_BANK,
    AIProviderInfo,
    AnalysisType,
    AnalyzeRequest,
    AnalyzeResponse,
    BatchRequest,
    BatchResponse,
    DetectorsResponse,
    HealthResponse,
    OutputFormat,
    error_doc,
)
from contract_analyzer.version import ENGINE_ID, ENGINE_NAME, __version__

if TYPE_CHECKING:
    from contract_analyzer.service.analysis import Answer

router = APIRouter()

SARIF_MEDIA_TYPE = "application/sarif+json"
MARKDOWN_MEDIA_TYPE = "text/markdown; charset=utf-8"


_COMMON_ERRORS: dict[int | str, dict[str, Any]] = {
    500: error_doc(
        "Unexpected error (logged with the request id)",
        "internal_error",
        "Something went wrong on our side; the error is logged with this request id.",
    ),
}
_ANALYSIS_ERRORS: dict[int | str, dict[str, Any]] = {
    400: error_doc(
        "The body is not valid JSON",
        "invalid_json",
        "The request body is not valid JSON (Expecting value at character 0).",
    ),
    **JSON_BODY_ERRORS,
    422: error_doc(
        "A field is missing or invalid",
        "validation_error",
        "The field 'contract_code' is required.",
    ),
    503: error_doc(
        "The server is shutting down",
        "service_unavailable",
        "The server is shutting down; retry in a moment.",
    ),
    504: error_doc(
        "The analysis ran over its time limit and was stopped",
        "analysis_timeout",
        "The analysis took longer than 10 seconds and was stopped; send a smaller source "
        "or a narrower analysis_type.",
    ),
    **_COMMON_ERRORS,
}
FormatQuery = Annotated[
    OutputFormat,
    Query(
        description="`json` (the wire contract, default), `sarif` (SARIF 2.1.0) or "
        "`markdown` (an audit-style report) of the same analysis."
    ),
]
_ANALYZE_EXAMPLES: dict[str, Any] = {
    "vulnerable_bank": {
        "summary": "The VulnerableBank worked example: two findings at line 7",
        "value": {
            "contract_code": VULNERABLE_BANK,
            "contract_name": "VulnerableBank",
            "analysis_type": "security",
        },
    },
    "gas": {
        "summary": "A gas review of a fragment (no contract declaration needed)",
        "value": {
            "contract_code": "function total(uint256[] memory xs) public pure "
            "returns (uint256 s) {\n    for (uint256 i = 0; i < xs.length; i++) "
            "{ s += xs[i]; }\n}",
            "analysis_type": "gas",
        },
    },
}


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


_ANALYZE_200 = {
    "description": "The analysis (JSON by default; SARIF or Markdown with `?format=`)",
    "content": {
        "application/json": {
            "example": {
                "request_id": "3f6c1f2e-8a1b-4c55-9a43-5b0d2a7e9c10",
                "contract_name": "VulnerableBank",
                "analysis_type": "security",
                "analysis_report": {
                    "vulnerabilities": [
                        {
                            "type": "reentrancy",
                            "severity": "critical",
                            "line_number": 7,
                            "description": "External call before a state update...",
                            "recommendation": "Update state before the call...",
                            "swc_id": "SWC-107",
                            "title": "Reentrancy",
                            "confidence": "high",
                            "end_line": 7,
                            "column": 28,
                            "file": "<input>",
                            "contract": "VulnerableBank",
                            "function": "withdraw",
                            "code_snippet": '(bool success, ) = msg.sender.call{value: amount}("");',
                            "category": "reentrancy",
                            "fingerprint": "0c5e1c0b8d6f4a2e9b17",
                            "source": "static",
                        }
                    ],
                    "overall_security_score": 25,
                    "summary": {
                        "critical": 1,
                        "high": 1,
                        "medium": 0,
                        "low": 0,
                        "info": 0,
                        "total": 2,
                    },
                    "service_used": "static",
                    "model_used": ENGINE_ID,
                    "processing_time": 0.004,
                    "contracts": ["VulnerableBank"],
                    "pragma": "^0.8.0",
                    "lines": 10,
                    "warnings": [],
                    "syntax_errors": [],
                },
                "timestamp": "2026-01-01T12:00:00.000Z",
                "message": SUCCESS_MESSAGE,
                "cached": False,
            }
        },
        SARIF_MEDIA_TYPE: {"schema": {"type": "object"}},
        "text/markdown": {"schema": {"type": "string"}},
    },
}


@router.post(
    "/analyze",
    response_model=AnalyzeResponse,
    responses={200: _ANALYZE_200, **_ANALYSIS_ERRORS},
    summary="Analyse one Solidity source",
    tags=["analysis"],
)
async def analyze_contract(
    request: Request,
    body: Annotated[AnalyzeRequest, Body(openapi_examples=_ANALYZE_EXAMPLES)],
    format: FormatQuery = "json",
) -> Response:
    """Analyse `contract_code` and return every finding with its line, severity, SWC id,
    explanation and fix, plus the 0-100 security score.

    Source that is not Solidity at all is answered 200 with zero findings, a parse
    warning in `analysis_report.warnings` and the message saying so (the analyzer
    accepts fragments and code that does not compile, so "not Solidity" is a warning,
    not an error).

    A repeated request is answered from the result cache: the same report, with
    `"cached": true` and the `cached_request_id` of the request that computed it."""
    ai_option = effective_use_ai(request, body.use_ai)  # the caller's plan may forbid AI
    answer = await request.app.state.analysis.analyze(
        body, request_id=request.state.request_id, fmt=format, ai_option=ai_option
    )
    return cast("Answer", answer).response()


@router.post(
    "/analyze/batch",
    response_model=BatchResponse,
    responses={
        200: {
            "description": "The analysis of every file (JSON by default; SARIF or "
            "Markdown with `?format=`)",
            "content": {
                SARIF_MEDIA_TYPE: {"schema": {"type": "object"}},
                "text/markdown": {"schema": {"type": "string"}},
            },
        },
        **_ANALYSIS_ERRORS,
    },
    summary="Analyse several files of one project together",
    tags=["analysis"],
)
async def analyze_batch(
    request: Request, body: BatchRequest, format: FormatQuery = "json"
) -> Response:
    """Analyse several files of one project together. `files` maps each path to its
    source; imports between the files resolve by path relative to the importing file,
    then by file name (an import of a file not sent is a warning on the importer). Each
    finding's `file` is the path of the file it is in; `analysis_report.files` has one
    summary per file, in the order sent. The whole batch shares the body limit and the
    time limit. Repeated batches are answered from the result cache, as for
    `/analyze`."""
    ai_option = effective_use_ai(request, body.use_ai)  # the caller's plan may forbid AI
    answer = await request.app.state.analysis.batch(
        body, request_id=request.state.request_id, fmt=format, ai_option=ai_option
    )
    return cast("Answer", answer).response()


def _providers() -> list[dict[str, Any]]:
    """The AI provider chain for /health (names, models, state; never keys or URLs)."""
    try:
        from contract_analyzer.ai import describe_providers

        return describe_providers()
    except Exception:  # a bad AI setting must not take /health down
        return []


@router.get(
    "/health",
    response_model=HealthResponse,
    responses=_COMMON_ERRORS,
    summary="Liveness and version",
    tags=["service"],
)
async def health(request: Request) -> HealthResponse:
    """`ok` while the server answers, with its version and its analysis workers.
    Never reports secrets."""
    pool = request.app.state.pool
    return HealthResponse(
        status="ok",
        service=ENGINE_NAME,
        version=__version__,
        engine=ENGINE_ID,
        analysis_workers=pool.stats(),
        ai_providers=[AIProviderInfo.model_validate(p) for p in _providers()],
        timestamp=_now(),
    )


@router.get(
    "/detectors",
    response_model=DetectorsResponse,
    responses={
        422: error_doc(
            "Unknown analysis type",
            "validation_error",
            "Query parameter 'analysis_type': Input should be 'security', 'gas', "
            "'quality' or 'full'.",
        ),
        **_COMMON_ERRORS,
    },
    summary="The detector catalogue",
    tags=["service"],
)
def list_detectors(
    analysis_type: Annotated[
        AnalysisType, Query(description="Only the detectors that run for this analysis type.")
    ] = "full",
) -> DetectorsResponse:
    """Every detector with its metadata: id, title, SWC id, severity, confidence,
    analysis types, description, recommendation and references."""
    from contract_analyzer.detectors.registry import detectors_for

    detectors = [d.metadata() for d in detectors_for(analysis_type)]
    return DetectorsResponse.model_validate({"count": len(detectors), "detectors": detectors})
