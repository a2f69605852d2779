"""One analysis, with the result cache: the code path of ``POST /analyze``,
``POST /analyze/batch`` and of every asynchronous job.

A request is turned into a cache key (:func:`contract_analyzer.storage.cache.result_key`)
from its normalised sources, the contract name, the analysis type, the engine's identity
and detector set (asked once of an analysis worker, which has the engine loaded: the
server process never imports it) and, when the AI layer reviews the report, the AI
chain. A hit is answered from the stored report; a miss runs the analysis in a worker
process (and the AI layer, in a thread), stores the report, and answers. Both answers
go through the same code, so they differ only in ``request_id``, ``timestamp`` and the
``cached``, ``cached_request_id`` and ``cached_at`` fields. ``?format=sarif|markdown``
is rendered here from the JSON report, cached or not.

A report is not cached when the AI layer was asked for and every provider failed (the
static fallback is not what the caller asked for; the next request tries again).
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel
from starlette.responses import Response

from contract_analyzer.config import Settings
from contract_analyzer.service.models import (
    SUCCESS_MESSAGE,
    WARNING_MESSAGE,
    AnalyzeRequest,
    AnalyzeResponse,
    BatchRequest,
    BatchResponse,
)
from contract_analyzer.service.pool import AnalysisPool
from contract_analyzer.storage.cache import ResultCache, result_key
from contract_analyzer.version import ENGINE_ID, ENGINE_NAME, __version__

log = logging.getLogger("contract_analyzer.service")

SARIF_MEDIA_TYPE = "application/sarif+json"
MARKDOWN_MEDIA_TYPE = "text/markdown; charset=utf-8"
ENTRY_VERSION = 1
_IDENTITY_RETRY_SECONDS = 30.0


def now_iso() -> str:
    """ISO 8601 UTC with milliseconds and a ``Z``."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass
class Answer:
    """What a route answers: a JSON model, or a rendered text (SARIF, Markdown)."""

    model: BaseModel | None = None
    text: str | None = None
    media_type: str = "application/json"
    cached: bool = False

    def _exclude(self) -> set[str]:
        # cached_request_id and cached_at are only sent with a hit.
        return set() if self.cached else {"cached_request_id", "cached_at"}

    def response(self) -> Response:
        if self.model is not None:
            content = self.model.model_dump_json(exclude=self._exclude())
            return Response(content, media_type=self.media_type)
        return Response(self.text or "", media_type=self.media_type)

    def body(self) -> dict[str, Any]:
        """The JSON answer as plain data (a job's result)."""
        if self.model is None:
            raise ValueError("not a JSON answer")
        data: dict[str, Any] = self.model.model_dump(mode="json", exclude=self._exclude())
        return data


def wants_ai(use_ai: bool | None) -> bool:
    """AI runs when asked for, or by default when a provider is configured."""
    if use_ai is False:
        return False
    if use_ai is True:
        return True
    from contract_analyzer.ai import ai_available

    return ai_available()


class AnalysisService:
    """Runs analyses for the routes and the job runners: the pool, the AI layer and
    the result cache (``None``: caching off)."""

    def __init__(self, settings: Settings, pool: AnalysisPool, cache: ResultCache | None) -> None:
        self.settings = settings
        self.pool = pool
        self.cache = cache
        self._identity: dict[str, Any] | None = None
        self._identity_failed_at = -_IDENTITY_RETRY_SECONDS
        self._answer_cache_installed = False

    # ------------------------------------------------------------------ identity

    async def identity(self) -> dict[str, Any] | None:
        """The engine's identity and detector sets, asked once of a worker
        (``{"engine": str, "detectors": {analysis_type: [ids]}}``); ``None`` while a
        worker cannot say (then nothing is cached)."""
        if self._identity is not None:
            return self._identity
        if time.monotonic() - self._identity_failed_at < _IDENTITY_RETRY_SECONDS:
            return None
        try:
            timeout = max(30.0, self.settings.analysis_timeout_seconds)
            answer = (await self.pool.run({"kind": "catalogue"}, timeout)).value
            if not (
                isinstance(answer, dict)
                and isinstance(answer.get("engine"), str)
                and isinstance(answer.get("detectors"), dict)
            ):
                raise ValueError(f"unexpected catalogue answer {str(answer)[:80]!r}")
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            self._identity_failed_at = time.monotonic()
            log.warning("result cache unavailable: the engine identity is unknown (%s)", exc)
            return None
        self._identity = answer
        return answer

    async def _key(
        self,
        kind: str,
        sources: list[tuple[str, str]],
        contract_name: str | None,
        analysis_type: str,
        ai_option: bool | None,
        use_ai: bool,
    ) -> str | None:
        if self.cache is None:
            return None
        identity = await self.identity()
        if identity is None:
            return None
        detectors = identity["detectors"].get(analysis_type)
        if not isinstance(detectors, list):
            return None
        return result_key(
            kind=kind,
            sources=sources,
            contract_name=contract_name,
            analysis_type=analysis_type,
            engine=str(identity["engine"]),
            detectors=[str(d) for d in detectors],
            ai=ai_identity(ai_option) if use_ai else None,
        )

    # ------------------------------------------------------------------ /analyze

    async def analyze(
        self,
        body: AnalyzeRequest,
        *,
        request_id: str,
        fmt: str,
        ai_option: bool | None,
        wait: float | None = None,
    ) -> Answer:
        """Answer ``POST /analyze`` (``fmt``: ``json``, ``sarif`` or ``markdown``);
        ``ai_option`` is ``use_ai`` as the caller's plan allows it; ``wait`` bounds the
        wait for a free analysis worker (default: the analysis time limit)."""
        use_ai = wants_ai(ai_option)
        key = await self._key(
            "analyze",
            [("<input>", body.contract_code)],
            body.contract_name,
            body.analysis_type,
            ai_option,
            use_ai,
        )
        if key is not None:
            entry = await self._lookup(key, "analyze")
            if entry is not None:
                return self._single(entry, body.analysis_type, request_id, fmt, hit=True)
        job = {
            "kind": "analyze",
            "source": body.contract_code,
            "name": body.contract_name,
            "analysis_type": body.analysis_type,
            "format": "json" if (use_ai or key is not None) else fmt,
        }
        result, elapsed = await self._run(job, wait)
        if job["format"] != "json":
            return _rendered(result, fmt)
        ai: dict[str, Any] | None = None
        summaries: list[dict[str, Any]] = []
        if use_ai:
            [result], summaries, ai_seconds = await self._enrich(
                [result], [body.contract_code], ai_option
            )
            ai = summaries[0]
            elapsed += ai_seconds
        entry = self._entry("analyze", result, ai, elapsed, request_id)
        if key is not None and _cacheable(summaries):
            await self.cache.aput(key, entry)  # type: ignore[union-attr]
        return self._single(entry, body.analysis_type, request_id, fmt, hit=False)

    def _single(
        self, entry: dict[str, Any], analysis_type: str, request_id: str, fmt: str, *, hit: bool
    ) -> Answer:
        report: dict[str, Any] = entry["report"]
        if fmt != "json":
            return render_reports([report], analysis_type, fmt, processing_time=None)
        ai = _ai_on_hit(entry["ai"]) if hit and entry["ai"] is not None else entry["ai"]
        warnings = report["warnings"]
        model = AnalyzeResponse.model_validate(
            {
                "request_id": request_id,
                "contract_name": report["contract_name"],
                "analysis_type": analysis_type,
                "analysis_report": {
                    **_report_fields(report, entry["processing_time"], ai),
                    "contracts": report["contracts"],
                    "pragma": report["pragma"],
                    "lines": report["lines"],
                    "warnings": warnings,
                    "syntax_errors": report["syntax_errors"],
                },
                "timestamp": now_iso(),
                "message": WARNING_MESSAGE if warnings else SUCCESS_MESSAGE,
                **_cache_fields(entry, hit),
            }
        )
        return Answer(model=model, cached=hit)

    # ------------------------------------------------------------------ /analyze/batch

    async def batch(
        self,
        body: BatchRequest,
        *,
        request_id: str,
        fmt: str,
        ai_option: bool | None,
        wait: float | None = None,
    ) -> Answer:
        """Answer ``POST /analyze/batch`` (arguments as for :meth:`analyze`)."""
        use_ai = wants_ai(ai_option)
        key = await self._key(
            "batch", list(body.files.items()), None, body.analysis_type, ai_option, use_ai
        )
        if key is not None:
            entry = await self._lookup(key, "batch")
            if entry is not None:
                return self._batch(entry, body.analysis_type, request_id, fmt, hit=True)
        job = {
            "kind": "batch",
            "sources": dict(body.files),
            "analysis_type": body.analysis_type,
            "format": "json" if (use_ai or key is not None) else fmt,
        }
        result, elapsed = await self._run(job, wait)
        if job["format"] != "json":
            return _rendered(result, fmt)
        ai: dict[str, Any] | None = None
        summaries: list[dict[str, Any]] = []
        if use_ai:
            sources = [body.files.get(r["file"], "") for r in result["files"]]
            merged, summaries, ai_seconds = await self._enrich(result["files"], sources, ai_option)
            elapsed += ai_seconds
            result = {**result, "files": merged}
            ai = combine_ai(summaries)
        entry = self._entry("batch", result, ai, elapsed, request_id)
        if key is not None and _cacheable(summaries):
            await self.cache.aput(key, entry)  # type: ignore[union-attr]
        return self._batch(entry, body.analysis_type, request_id, fmt, hit=False)

    def _batch(
        self, entry: dict[str, Any], analysis_type: str, request_id: str, fmt: str, *, hit: bool
    ) -> Answer:
        project: dict[str, Any] = entry["report"]
        if fmt != "json":
            return render_reports(
                project["files"],
                analysis_type,
                fmt,
                processing_time=project.get("processing_time", 0.0),
                errors=project.get("errors", []),
            )
        ai = _ai_on_hit(entry["ai"]) if hit and entry["ai"] is not None else entry["ai"]
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
        model = BatchResponse.model_validate(
            {
                "request_id": request_id,
                "analysis_type": analysis_type,
                "analysis_report": {
                    **_report_fields(
                        {**project, "findings": findings, **_totals(findings)},
                        entry["processing_time"],
                        ai,
                    ),
                    "files": files,
                },
                "timestamp": now_iso(),
                "message": WARNING_MESSAGE if has_warnings else SUCCESS_MESSAGE,
                **_cache_fields(entry, hit),
            }
        )
        return Answer(model=model, cached=hit)

    # ------------------------------------------------------------------ helpers

    async def _lookup(self, key: str, kind: str) -> dict[str, Any] | None:
        entry = await self.cache.aget(key)  # type: ignore[union-attr]
        if (
            isinstance(entry, dict)
            and entry.get("v") == ENTRY_VERSION
            and entry.get("kind") == kind
            and isinstance(entry.get("report"), dict)
        ):
            return entry
        return None

    @staticmethod
    def _entry(
        kind: str,
        report: dict[str, Any],
        ai: dict[str, Any] | None,
        elapsed: float,
        request_id: str,
    ) -> dict[str, Any]:
        return {
            "v": ENTRY_VERSION,
            "kind": kind,
            "report": report,
            "ai": ai,
            "processing_time": elapsed,
            "request_id": request_id,
            "created_at": now_iso(),
        }

    async def _run(self, job: dict[str, Any], wait: float | None) -> tuple[Any, float]:
        result = await self.pool.run(job, self.settings.analysis_timeout_seconds, wait=wait)
        return result.value, result.seconds

    async def _enrich(
        self, reports: list[dict[str, Any]], sources: list[str], use_ai: bool | None
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]], float]:
        """Run the AI layer on static reports (in a thread: the SDKs block). Returns
        the merged reports, one AI summary per report, and the seconds spent."""
        from contract_analyzer.ai import enrich_report
        from contract_analyzer.report.models import Report

        self._install_answer_cache()

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

    def _install_answer_cache(self) -> None:
        """Back the AI layer's answer cache with this cache's store (once), so an AI
        answer is paid for once across processes and restarts."""
        if self._answer_cache_installed or self.cache is None:
            return
        from contract_analyzer.ai.enrich import use_answer_cache

        use_answer_cache(self.cache.answer_cache())
        self._answer_cache_installed = True


# ---------------------------------------------------------------------- pieces


def ai_identity(ai_option: bool | None) -> str:
    """What decides an AI review besides the sources: the prompt version, the provider
    chain (name, model, endpoint digest, in order) and the source size limit."""
    from contract_analyzer.ai import PROMPT_VERSION, layer_for
    from contract_analyzer.ai.enrich import provider_key

    layer = layer_for()
    return json.dumps(
        {
            "prompt": PROMPT_VERSION,
            "providers": [provider_key(p) for p in layer.providers],
            "max_source_chars": layer.settings.max_source_chars,
            "asked_without_provider": ai_option is True and not layer.providers,
        },
        sort_keys=True,
    )


def _cacheable(summaries: list[dict[str, Any]]) -> bool:
    """False when the AI layer tried providers and fell back to the static report."""
    return not any(s.get("service_used") == "static" and s.get("attempts") for s in summaries)


def _ai_on_hit(ai: dict[str, Any]) -> dict[str, Any]:
    """The AI summary of a cached report: nothing was spent on this request."""
    return {
        **ai,
        "input_tokens": 0,
        "output_tokens": 0,
        "cached_input_tokens": 0,
        "total_tokens": 0,
        "cost_usd": 0.0,
        "ai_time": 0.0,
        "cache_hit": True,
        "attempts": [],
    }


def _cache_fields(entry: dict[str, Any], hit: bool) -> dict[str, Any]:
    return {
        "cached": hit,
        "cached_request_id": entry["request_id"] if hit else None,
        "cached_at": entry["created_at"] if hit else None,
    }


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


def combine_ai(summaries: list[dict[str, Any]]) -> dict[str, Any]:
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


def _totals(findings: list[dict[str, Any]]) -> dict[str, Any]:
    """Summary and score over every file's (possibly AI-merged) findings."""
    from contract_analyzer.report.models import Finding, security_score, summarize

    objects = [Finding.from_dict(f) for f in findings]
    return {"summary": summarize(objects), "overall_security_score": security_score(objects)}


def _rendered(result: Any, fmt: str) -> Answer:
    """A rendering made by the worker (no cache, no AI)."""
    if fmt == "sarif":
        return Answer(text=json.dumps(result, indent=2) + "\n", media_type=SARIF_MEDIA_TYPE)
    return Answer(text=str(result), media_type=MARKDOWN_MEDIA_TYPE)


def render_reports(
    reports: list[dict[str, Any]],
    analysis_type: str,
    fmt: str,
    *,
    processing_time: float | None,
    errors: list[dict[str, Any]] | None = None,
) -> Answer:
    """SARIF or Markdown of JSON reports, as the worker would render them."""
    from contract_analyzer.report.markdown import to_markdown
    from contract_analyzer.report.models import FileError, ProjectReport, Report

    objects = [Report.from_dict(r) for r in reports]
    project = ProjectReport(
        analysis_type=analysis_type,
        reports=objects,
        errors=[FileError(e["file"], e["message"]) for e in errors or []],
        engine=ENGINE_NAME,
        engine_version=__version__,
        processing_time=processing_time
        if processing_time is not None
        else (objects[0].processing_time if objects else 0.0),
    )
    if fmt == "sarif":
        from contract_analyzer.report.sarif import to_sarif

        return Answer(
            text=json.dumps(to_sarif(project), indent=2) + "\n", media_type=SARIF_MEDIA_TYPE
        )
    return Answer(text=to_markdown(project), media_type=MARKDOWN_MEDIA_TYPE)
