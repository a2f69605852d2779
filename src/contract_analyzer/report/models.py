"""The report model: one :class:`Report` per file, a :class:`ProjectReport` per run.

Every renderer (JSON, SARIF, Markdown, text) and every adapter (HTTP API, Lambda)
reads these classes; ``to_dict()`` is the JSON form documented in
``report/schema.json`` (``schema_version`` says which).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SCHEMA_VERSION = "1.0"
SEVERITIES = ("critical", "high", "medium", "low", "info")
SCORE_WEIGHTS = {"critical": 50, "high": 25, "medium": 10, "low": 3, "info": 0}


@dataclass
class Finding:
    """One vulnerability or improvement at one place in the source."""

    type: str
    title: str
    severity: str
    confidence: str
    swc_id: str | None
    line_number: int
    end_line: int
    column: int
    file: str
    contract: str | None
    function: str | None
    code_snippet: str
    description: str
    recommendation: str
    category: str
    analysis_types: tuple[str, ...] = ("security",)
    fingerprint: str = ""
    source: str = "static"
    gas_saved: int | None = None
    references: tuple[str, ...] = ()
    ai_verdict: str | None = None
    ai_reason: str | None = None

    @property
    def severity_rank(self) -> int:
        return SEVERITIES.index(self.severity)

    @property
    def counts_for_security(self) -> bool:
        """The finding is a security finding (gas and quality advice does not lower the
        security score)."""
        return "security" in self.analysis_types

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Finding:
        """The inverse of :meth:`to_dict` (a report crossing a process boundary)."""
        return cls(
            type=data["type"],
            title=data["title"],
            severity=data["severity"],
            confidence=data["confidence"],
            swc_id=data.get("swc_id"),
            line_number=data["line_number"],
            end_line=data.get("end_line", data["line_number"]),
            column=data.get("column", 1),
            file=data.get("file", "<input>"),
            contract=data.get("contract"),
            function=data.get("function"),
            code_snippet=data.get("code_snippet", ""),
            description=data["description"],
            recommendation=data["recommendation"],
            category=data.get("category", ""),
            analysis_types=tuple(data.get("analysis_types", ("security",))),
            fingerprint=data.get("fingerprint", ""),
            source=data.get("source", "static"),
            gas_saved=data.get("gas_saved"),
            references=tuple(data.get("references", ())),
            ai_verdict=data.get("ai_verdict"),
            ai_reason=data.get("ai_reason"),
        )

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "type": self.type,
            "title": self.title,
            "severity": self.severity,
            "confidence": self.confidence,
            "swc_id": self.swc_id,
            "line_number": self.line_number,
            "end_line": self.end_line,
            "column": self.column,
            "file": self.file,
            "contract": self.contract,
            "function": self.function,
            "code_snippet": self.code_snippet,
            "description": self.description,
            "recommendation": self.recommendation,
            "category": self.category,
            "analysis_types": list(self.analysis_types),
            "fingerprint": self.fingerprint,
            "source": self.source,
        }
        if self.gas_saved is not None:
            data["gas_saved"] = self.gas_saved
        if self.references:
            data["references"] = list(self.references)
        if self.ai_verdict is not None:
            data["ai_verdict"] = self.ai_verdict
            data["ai_reason"] = self.ai_reason
        return data


def summarize(findings: list[Finding]) -> dict[str, int]:
    counts = dict.fromkeys(SEVERITIES, 0)
    for finding in findings:
        counts[finding.severity] += 1
    counts["total"] = len(findings)
    return counts


def security_score(findings: list[Finding]) -> int:
    """100 − 50·critical − 25·high − 10·medium − 3·low over security findings, floored at 0."""
    penalty = sum(SCORE_WEIGHTS[f.severity] for f in findings if f.counts_for_security)
    return max(0, 100 - penalty)


@dataclass
class Report:
    """The analysis of one file (or one pasted source)."""

    file: str
    analysis_type: str
    findings: list[Finding] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    syntax_errors: list[dict[str, Any]] = field(default_factory=list)
    contracts: list[str] = field(default_factory=list)
    contract_name: str | None = None
    pragma: str | None = None
    engine: str = ""
    engine_version: str = ""
    processing_time: float = 0.0
    lines: int = 0

    @property
    def summary(self) -> dict[str, int]:
        return summarize(self.findings)

    @property
    def score(self) -> int:
        return security_score(self.findings)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Report:
        """The inverse of :meth:`to_dict`."""
        return cls(
            file=data["file"],
            analysis_type=data["analysis_type"],
            findings=[Finding.from_dict(f) for f in data.get("findings", [])],
            warnings=list(data.get("warnings", [])),
            syntax_errors=list(data.get("syntax_errors", [])),
            contracts=list(data.get("contracts", [])),
            contract_name=data.get("contract_name"),
            pragma=data.get("pragma"),
            engine=data.get("engine", ""),
            engine_version=data.get("engine_version", ""),
            processing_time=data.get("processing_time", 0.0),
            lines=data.get("lines", 0),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": SCHEMA_VERSION,
            "file": self.file,
            "contract_name": self.contract_name,
            "analysis_type": self.analysis_type,
            "contracts": self.contracts,
            "pragma": self.pragma,
            "lines": self.lines,
            "findings": [f.to_dict() for f in self.findings],
            "summary": self.summary,
            "overall_security_score": self.score,
            "warnings": self.warnings,
            "syntax_errors": self.syntax_errors,
            "engine": self.engine,
            "engine_version": self.engine_version,
            "processing_time": round(self.processing_time, 6),
        }


@dataclass
class FileError:
    """A file that could not be analysed at all (unreadable, binary, too large...)."""

    file: str
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"file": self.file, "message": self.message}


@dataclass
class ProjectReport:
    """Reports of every analysed file of a run, plus the files that failed."""

    analysis_type: str
    reports: list[Report] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)
    engine: str = ""
    engine_version: str = ""
    processing_time: float = 0.0

    @property
    def findings(self) -> list[Finding]:
        return [f for r in self.reports for f in r.findings]

    @property
    def summary(self) -> dict[str, int]:
        return summarize(self.findings)

    @property
    def score(self) -> int:
        return security_score(self.findings)

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": SCHEMA_VERSION,
            "analysis_type": self.analysis_type,
            "files": [r.to_dict() for r in self.reports],
            "errors": [e.to_dict() for e in self.errors],
            "summary": self.summary,
            "overall_security_score": self.score,
            "engine": self.engine,
            "engine_version": self.engine_version,
            "processing_time": round(self.processing_time, 6),
        }
