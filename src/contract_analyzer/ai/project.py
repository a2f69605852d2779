"""AI enrichment of a whole run (``contract-analyzer analyze --ai``)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from contract_analyzer.ai.enrich import AIResult, layer_for
from contract_analyzer.ai.settings import AISettings
from contract_analyzer.errors import InputError
from contract_analyzer.parsing.source import read_source_file
from contract_analyzer.report.models import ProjectReport, Report

NOT_CONFIGURED = (
    "warning: --ai: no AI provider is configured (set OPENAI_API_KEY, OPENAI_BASE_URL or "
    "GEMINI_API_KEY); static results only"
)


def enrich_project(
    project: ProjectReport, *, settings: AISettings | None = None, workers: int = 4
) -> list[str]:
    """Replace each report of ``project`` by its AI-enriched version, a few files at a
    time. Returns one-line messages for the user (no secrets)."""
    layer = layer_for(settings)
    if not layer.enabled:
        return [NOT_CONFIGURED]
    if not project.reports:
        return []

    def one(report: Report) -> AIResult:
        try:
            source = read_source_file(Path(report.file))
        except InputError:
            return layer.enrich(report, "", use_ai=False)
        return layer.enrich(report, source, use_ai=True)

    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(project.reports)))) as pool:
        results = list(pool.map(one, project.reports))
    project.reports = [r.report for r in results]
    return summarize(results)


def summarize(results: list[AIResult]) -> list[str]:
    """One line per service used, plus one for the files left static."""
    lines = []
    services: dict[tuple[str, str | None], list[AIResult]] = {}
    for result in results:
        services.setdefault((result.service_used, result.model_used), []).append(result)
    for (service, model), group in services.items():
        if service == "static":
            lines.append(
                f"AI: unavailable for {len(group)} file(s); static results only "
                "(the report's warnings say why)"
            )
            continue
        tokens = sum(r.total_tokens for r in group)
        costs = [r.cost_usd for r in group]
        cached = sum(1 for r in group if r.cache_hit)
        cost = (
            f"estimated ${sum(c for c in costs if c is not None):.4f}"
            if all(c is not None for c in costs)
            else "cost unknown for this model"
        )
        from_cache = f", {cached} from cache" if cached else ""
        lines.append(
            f"AI: {len(group)} file(s) reviewed by {service} ({model}){from_cache}; "
            f"{tokens:,} tokens, {cost}"
        )
    return lines
