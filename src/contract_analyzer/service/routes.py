"""The API's routes: thin adapters from HTTP to one analysis job.

The analysis itself runs in a worker process (:mod:`contract_analyzer.service.pool`);
the route validates the request, sends the job, and turns the answer into the wire
contract (or the SARIF / Markdown rendering when ``?format=`` asks for it).
"""

from __future__ import annotations

import asyncio
import json
import time
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Request
from starlette.responses import Response

from contract_analyzer.service.models import (
    SUCCESS_MESSAGE,
    VULNERABLE_BANK,
    WARNING_MESSAGE,
    AIProviderInfo,
    AnalysisType,
    AnalyzeRequest,
    AnalyzeResponse,
    BatchRequest,
    BatchResponse,
    DetectorsResponse,
    ErrorResponse,
    HealthResponse,
    OutputFormat,
    error_example,
)
from contract_analyzer.version import ENGINE_ID, ENGINE_NAME, __version__

router = APIRouter()

SARIF_MEDIA_TYPE = "application/sarif+json"
MARKDOWN_MEDIA_TYPE = "text/markdown; charset=utf-8"


def _error(description: str, code: str, message: str) -> dict[str, Any]:
    return {
        "model": ErrorResponse,
        "description": description,
        "content": {"application/json": {"example": error_example(code, message)}},
    }


_COMMON_ERRORS: dict[int | str, dict[str, Any]] = {
    500: _error(
        "Unexpected error (logged with the request id)",
        "internal_error",
        "Something went wrong on our side; the error is logged with this request id.",
    ),
}
_ANALYSIS_ERRORS: dict[int | str, dict[str, Any]] = {
    400: _error(
        "The body is not valid JSON",
        "invalid_json",
        "The request body is not valid JSON (Expecting value at character 0).",
    ),
    413: _error(
        "The body is over the size limit",
        "payload_too_large",
        "The request body is larger than the limit of 1,048,576 bytes.",
    ),
    415: _error(
        "The body is not sent as JSON",
        "unsupported_media_type",
        "Send the request body as JSON with the header Content-Type: application/json.",
    ),
    422: _error(
        "A field is missing or invalid",
        "validation_error",
        "The field 'contract_code' is required.",
    ),
    503: _error(
        "The server is shutting down",
        "service_unavailable",
        "The server is shutting down; retry in a moment.",
    ),
    504: _error(
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


def _rendered(result: Any, fmt: str) -> Response:
    if fmt == "sarif":
        return Response(json.dumps(result, indent=2) + "\n", media_type=SARIF_MEDIA_TYPE)
    return Response(str(result), media_type=MARKDOWN_MEDIA_TYPE)


async def _run(request: Request, job: dict[str, Any]) -> tuple[Any, float]:
    settings = request.app.state.settings
    result = await request.app.state.pool.run(job, settings.analysis_timeout_seconds)
    return result.value, result.seconds


def _report_fields(
    report: dict[str, Any], elapsed: float, ai: dict[str, Any] | None = None
) -> dict[str, Any]:
    fields = {
        "vulnerabilities": report["findings"],
        "overall_security_score": report["overall_security_score"],
        "summary": report["summary"],
        "service_used": "static",
        "model_used": ENGINE_ID,
        "processing_time": round(elapsed, 6),
    }
    if ai is not None:
        if ai["service_used"] != "static":
            fields["service_used"] = ai["service_used"]
            fields["model_used"] = ai["model_used"]
        fields["ai"] = ai
    return fields


def _wants_ai(use_ai: bool | None) -> bool:
    """AI runs when asked for, or by default when a provider is configured."""
    if use_ai is False:
        return False
    if use_ai is True:
        return True
    from contract_analyzer.ai import ai_available

    return ai_available()


async def _enrich(
    reports: list[dict[str, Any]], sources: list[str], use_ai: bool | None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], float]:
    """Run the AI layer on static reports (in a thread: the SDKs block). Returns the
    merged reports, one AI summary per report, and the seconds spent."""
    from contract_analyzer.ai import enrich_report
    from contract_analyzer.report.models import Report

    def work() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        merged, summaries = [], []
        for data, source in zip(reports, sources, strict=True):
            result = enrich_report(Report.from_dict(data), source, use_ai=use_ai)
            merged.append(result.report.to_dict())
            summaries.append(result.to_dict())
        return merged, summaries

    started = time.perf_counter()
    merged, summaries = await asyncio.to_thread(work)
    return merged, summaries, time.perf_counter() - started


def _render_reports(reports: list[dict[str, Any]], analysis_type: str, fmt: str) -> Response:
    """SARIF or Markdown of reports the AI layer changed (rendered here, not in a worker)."""
    from contract_analyzer.report.models import ProjectReport, Report
    from contract_analyzer.report.render import render_project

    project = ProjectReport(
        analysis_type=analysis_type,
        reports=[Report.from_dict(r) for r in reports],
        engine=ENGINE_NAME,
        engine_version=__version__,
    )
    text = render_project(project, fmt)
    if fmt == "sarif":
        return Response(text, media_type=SARIF_MEDIA_TYPE)
    return Response(text, media_type=MARKDOWN_MEDIA_TYPE)


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
    not an error)."""
    use_ai = _wants_ai(body.use_ai)
    job = {
        "kind": "analyze",
        "source": body.contract_code,
        "name": body.contract_name,
        "analysis_type": body.analysis_type,
        "format": "json" if use_ai else format,
    }
    result, elapsed = await _run(request, job)
    ai: dict[str, Any] | None = None
    if use_ai:
        [result], [ai], ai_seconds = await _enrich([result], [body.contract_code], body.use_ai)
        elapsed += ai_seconds
        if format != "json":
            return _render_reports([result], body.analysis_type, format)
    elif format != "json":
        return _rendered(result, format)
    report: dict[str, Any] = result
    warnings = report["warnings"]
    answer = AnalyzeResponse.model_validate(
        {
            "request_id": request.state.request_id,
            "contract_name": report["contract_name"],
            "analysis_type": body.analysis_type,
            "analysis_report": {
                **_report_fields(report, elapsed, ai),
                "contracts": report["contracts"],
                "pragma": report["pragma"],
                "lines": report["lines"],
                "warnings": warnings,
                "syntax_errors": report["syntax_errors"],
            },
            "timestamp": _now(),
            "message": WARNING_MESSAGE if warnings else SUCCESS_MESSAGE,
        }
    )
    return Response(answer.model_dump_json(), media_type="application/json")


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
    time limit."""
    use_ai = _wants_ai(body.use_ai)
    job = {
        "kind": "batch",
        "sources": dict(body.files),
        "analysis_type": body.analysis_type,
        "format": "json" if use_ai else format,
    }
    result, elapsed = await _run(request, job)
    ai: dict[str, Any] | None = None
    if use_ai:
        sources = [body.files.get(r["file"], "") for r in result["files"]]
        merged, summaries, ai_seconds = await _enrich(result["files"], sources, body.use_ai)
        elapsed += ai_seconds
        result = {**result, "files": merged}
        ai = _combine_ai(summaries)
        if format != "json":
            return _render_reports(merged, body.analysis_type, format)
    elif format != "json":
        return _rendered(result, format)
    project: dict[str, Any] = result
    files = [
        {
            "name": r["file"],
            "contract_name": r["contract_name"],
            "contracts": r["contracts"],
            "pragma": r["pragma"],
            "lines": r["lines"],
            "overall_security_score": r["overall_security_score"],
            "summary": r["summary"],
            "warnings": r["warnings"],
            "syntax_errors": r["syntax_errors"],
        }
        for r in project["files"]
    ]
    findings = [f for r in project["files"] for f in r["findings"]]
    has_warnings = any(f["warnings"] for f in files)
    answer = BatchResponse.model_validate(
        {
            "request_id": request.state.request_id,
            "analysis_type": body.analysis_type,
            "analysis_report": {
                **_report_fields(
                    {**project, "findings": findings, **_totals(project["files"], findings)},
                    elapsed,
                    ai,
                ),
                "files": files,
            },
            "timestamp": _now(),
            "message": WARNING_MESSAGE if has_warnings else SUCCESS_MESSAGE,
        }
    )
    return Response(answer.model_dump_json(), media_type="application/json")


def _combine_ai(summaries: list[dict[str, Any]]) -> dict[str, Any]:
    """One AI summary for a batch: the provider that answered most, summed tokens/cost."""
    used = [s for s in summaries if s["service_used"] != "static"] or summaries
    combined: dict[str, Any] = (
        dict(used[0]) if used else {"service_used": "static", "model_used": None}
    )
    for key in ("input_tokens", "output_tokens", "total_tokens"):
        combined[key] = sum(s.get(key) or 0 for s in summaries)
    costs = [s.get("cost_usd") for s in summaries]
    combined["cost_usd"] = None if None in costs else round(sum(c or 0 for c in costs), 6)
    combined["warnings"] = [w for s in summaries for w in s.get("warnings", [])]
    return combined


def _totals(files: list[dict[str, Any]], findings: list[dict[str, Any]]) -> dict[str, Any]:
    """Summary and score over every file's (possibly AI-merged) findings."""
    from contract_analyzer.report.models import Finding, security_score, summarize

    objects = [Finding.from_dict(f) for f in findings]
    return {"summary": summarize(objects), "overall_security_score": security_score(objects)}


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
        422: _error(
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
