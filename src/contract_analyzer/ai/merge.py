"""Merging an AI answer into the static report, under rules the answer cannot bend.

The contract under review is attacker-controlled, and so, through prompt injection,
may be the answer. Whatever the answer says:

* every static finding stays in the report. A verdict only annotates it
  (``ai_verdict`` = ``confirmed`` or ``likely_false_positive``, ``ai_reason``);
* a severity moves by at most one level, down or up, so a critical finding is never
  less than high and the score cannot be talked up by more than that;
* added findings must point at a line of the file, carry a known severity and say
  something; the others are dropped and counted in a warning, as are duplicates of
  static findings and anything past :data:`MAX_ADDED_FINDINGS`;
* text from the answer is cut to a sane length and stripped of control characters.
"""

from __future__ import annotations

import copy
import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field

from pydantic import BaseModel, ConfigDict, ValidationError

from contract_analyzer.ai.prompt import VERDICTS, Answer
from contract_analyzer.report.models import SEVERITIES, Finding, Report

MAX_ADDED_FINDINGS = 50
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")
_SWC = re.compile(r"^SWC-1[0-3][0-9]$")


class _Verdict(BaseModel):
    model_config = ConfigDict(extra="ignore")

    finding_id: str
    verdict: str
    severity: str | None = None
    reason: str = ""


class _Added(BaseModel):
    model_config = ConfigDict(extra="ignore")

    type: str = ""
    severity: str | None = None
    line_number: int | None = None
    title: str = ""
    description: str = ""
    recommendation: str = ""
    swc_id: str | None = None


@dataclass
class MergeResult:
    report: Report
    warnings: list[str] = field(default_factory=list)
    confirmed: int = 0
    likely_false_positive: int = 0
    added: int = 0
    dropped: int = 0


def merge_answer(report: Report, source: str, answer: Answer, *, service: str) -> MergeResult:
    """A copy of ``report`` with the answer's verdicts and findings applied. ``service``
    names the provider (``OpenAI``): it becomes the ``source`` of added findings."""
    merged = copy.deepcopy(report)
    result = MergeResult(report=merged)
    _apply_verdicts(merged, answer, service, result)
    _add_findings(merged, source, answer, service, result)
    merged.findings.sort(key=lambda f: (f.line_number, f.severity_rank, f.type, f.column))
    return result


def _apply_verdicts(report: Report, answer: Answer, service: str, result: MergeResult) -> None:
    by_id = {f"F{i}": finding for i, finding in enumerate(report.findings, start=1)}
    seen: set[str] = set()
    ignored = 0
    limited = 0
    for raw in answer.verdicts:
        try:
            item = _Verdict.model_validate(raw)
        except ValidationError:
            ignored += 1
            continue
        key = item.finding_id.strip().upper()
        finding = by_id.get(key)
        if finding is None or key in seen or item.verdict not in VERDICTS:
            ignored += 1
            continue
        seen.add(key)
        finding.ai_verdict = item.verdict
        reason = _clean(item.reason, 1000) or "(no reason given)"
        if item.verdict == "confirmed":
            result.confirmed += 1
        else:
            result.likely_false_positive += 1
        wanted = item.severity if item.severity in SEVERITIES else None
        if wanted is not None and wanted != finding.severity:
            old = finding.severity_rank
            step = SEVERITIES.index(wanted) - old
            if abs(step) > 1:
                limited += 1
                step = 1 if step > 0 else -1
            new = SEVERITIES[old + step]
            reason += f" [severity {finding.severity} -> {new} by {service}]"
            finding.severity = new
        finding.ai_reason = reason
    if ignored:
        result.warnings.append(
            f"AI ({service}): ignored {ignored} verdict(s) naming no static finding, "
            "repeating one, or malformed"
        )
    if limited:
        result.warnings.append(
            f"AI ({service}): severity change limited to one level for {limited} finding(s)"
        )


def _add_findings(
    report: Report, source: str, answer: Answer, service: str, result: MergeResult
) -> None:
    lines = source.splitlines()
    total_lines = len(lines)
    taken = {(f.type, f.line_number) for f in report.findings}
    reasons: Counter[str] = Counter()
    fingerprints: Counter[str] = Counter()
    for raw in answer.additional_findings:
        try:
            item = _Added.model_validate(raw)
        except ValidationError:
            reasons["malformed"] += 1
            continue
        line = item.line_number
        severity = (item.severity or "").strip().lower()
        kind = _snake(item.type)
        description = _clean(item.description, 2000)
        title = _clean(item.title, 200)
        if line is None or line == 0:
            reasons["without a location"] += 1
        elif not 1 <= line <= total_lines:
            reasons["with a line outside the file"] += 1
        elif severity not in SEVERITIES:
            reasons["with an unknown severity"] += 1
        elif not (description or title):
            reasons["without a description"] += 1
        elif (kind, line) in taken:
            reasons["repeating a finding already reported"] += 1
        elif result.added >= MAX_ADDED_FINDINGS:
            reasons[f"past the limit of {MAX_ADDED_FINDINGS}"] += 1
        else:
            taken.add((kind, line))
            text = lines[line - 1]
            code = " ".join(text.split())
            base = f"{kind}|{report.file}|ai|{code}"
            digest = hashlib.sha256(f"{base}|{fingerprints[base]}".encode()).hexdigest()
            fingerprints[base] += 1
            swc = (item.swc_id or "").strip().upper()
            report.findings.append(
                Finding(
                    type=kind,
                    title=title or kind.replace("_", " ").capitalize(),
                    severity=severity,
                    confidence="low",
                    swc_id=swc if _SWC.match(swc) else None,
                    line_number=line,
                    end_line=line,
                    column=len(text) - len(text.lstrip()) + 1,
                    file=report.file,
                    contract=None,
                    function=None,
                    code_snippet=text.strip()[:500],
                    description=description or title,
                    recommendation=_clean(item.recommendation, 2000),
                    category="ai",
                    analysis_types=_types_for(report.analysis_type),
                    fingerprint=digest[:20],
                    source=service,
                )
            )
            result.added += 1
    result.dropped = sum(reasons.values())
    if result.dropped:
        detail = ", ".join(f"{count} {why}" for why, count in sorted(reasons.items()))
        result.warnings.append(
            f"AI ({service}): dropped {result.dropped} of {len(answer.additional_findings)} "
            f"added finding(s): {detail}"
        )


def _types_for(analysis_type: str) -> tuple[str, ...]:
    if analysis_type in ("gas", "quality"):
        return (analysis_type,)
    return ("security",)


def _snake(text: str) -> str:
    name = re.sub(r"[^a-z0-9]+", "_", text.strip().lower()).strip("_")
    name = re.sub(r"^[^a-z]+", "", name)[:64].rstrip("_")
    return name or "ai_finding"


def _clean(text: str, limit: int) -> str:
    return _CONTROL.sub("", text).strip()[:limit]
