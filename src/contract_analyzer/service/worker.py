"""The code an analysis worker process runs (see :mod:`contract_analyzer.service.pool`).

A job is a plain dict; the answer is plain data (dicts, lists, strings), so the server
process never imports the engine to read it. Jobs:

* ``{"kind": "analyze", "source", "name", "analysis_type", "format"}`` - one source;
* ``{"kind": "batch", "sources": {name: text}, "analysis_type", "format"}`` - a project;
* ``{"kind": "warmup"}`` - analyse a tiny contract so the first real job is fast;
* ``{"kind": "catalogue"}`` - the engine's identity and the detector ids of each
  analysis type (part of every result cache key: :func:`engine_catalogue`).

``format`` is ``json`` (the report's ``to_dict()``), ``sarif`` (the SARIF log as a dict)
or ``markdown`` (a string).
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from contract_analyzer.detectors.registry import ANALYSIS_CHOICES, detectors_for
from contract_analyzer.engine import analyze, analyze_sources
from contract_analyzer.report.models import ProjectReport, Report
from contract_analyzer.version import ENGINE_ID, ENGINE_NAME, __version__

NOT_SOLIDITY_WARNING = (
    "the source does not look like Solidity (it has syntax errors and no Solidity "
    "keyword), so there was nothing to analyse"
)
_SOLIDITY_WORDS = re.compile(
    r"\b(pragma|contract|interface|library|function|modifier|constructor|event|struct|enum|"
    r"mapping|import|emit|require|revert|address|u?int\d*|bytes\d*|msg|payable)\b"
)
_WARMUP_SOURCE = (
    "pragma solidity ^0.8.0;\ncontract Warmup {\n    mapping(address => uint256) b;\n"
    "    function f(uint256 a) public {\n"
    '        (bool ok, ) = msg.sender.call{value: a}("");\n        b[msg.sender] -= a;\n'
    "    }\n}\n"
)


def run_job(job: dict[str, Any]) -> Any:
    """Run one job and return its answer; :class:`AnalyzerError` propagates."""
    kind = job["kind"]
    if kind == "warmup":
        analyze(_WARMUP_SOURCE, analysis_type="full")
        return None
    if kind == "catalogue":
        return engine_catalogue()
    if kind == "analyze":
        report = analyze(
            job["source"],
            name=job.get("name"),
            analysis_type=job["analysis_type"],
            path=job.get("path") or "<input>",
        )
        _flag_non_solidity(report, job["source"])
        project = ProjectReport(
            analysis_type=report.analysis_type,
            reports=[report],
            engine=ENGINE_NAME,
            engine_version=__version__,
            processing_time=report.processing_time,
        )
        return _render(project, job.get("format", "json"), single=report)
    if kind == "batch":
        project = analyze_sources(job["sources"], analysis_type=job["analysis_type"])
        for report in project.reports:
            _flag_non_solidity(report, job["sources"].get(report.file, ""))
        return _render(project, job.get("format", "json"), single=None)
    raise ValueError(f"unknown job kind {kind!r}")


_NOT_ENGINE = ("service", "aws", "storage", "auth")
"""Packages whose code does not change a report (left out of the engine digest)."""


@lru_cache(maxsize=1)
def engine_catalogue() -> dict[str, Any]:
    """``{"engine": "<name> <version> <digest>", "detectors": {type: [ids]}}``. The
    digest covers the engine's own code (every module but the service layers) and the
    parser packages' versions, so a changed detector or parser invalidates cached
    results even when the version number did not move."""
    digest = hashlib.sha256()
    root = Path(__file__).resolve().parent.parent
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root)
        if relative.parts[0] in _NOT_ENGINE:
            continue
        digest.update(relative.as_posix().encode() + b"\x00" + path.read_bytes() + b"\x00")
    for package in ("tree-sitter", "tree-sitter-solidity"):
        try:
            digest.update(f"{package}={metadata.version(package)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{package}=?".encode())
    detectors = {t: sorted(d.id for d in detectors_for(t)) for t in ANALYSIS_CHOICES}
    return {"engine": f"{ENGINE_ID} {digest.hexdigest()[:16]}", "detectors": detectors}


def _flag_non_solidity(report: Report, source: str) -> None:
    """The API's policy for text that is not Solidity at all (syntax errors and not one
    Solidity keyword): 200 with zero findings and :data:`NOT_SOLIDITY_WARNING` first in
    the warnings. Whatever a detector reported on such text is an artefact of reading
    prose as code, and the warning says that nothing was analysed."""
    if report.syntax_errors and not _SOLIDITY_WORDS.search(source):
        report.findings.clear()
        report.warnings.insert(0, NOT_SOLIDITY_WARNING)


def _render(project: ProjectReport, fmt: str, *, single: Report | None) -> Any:
    if fmt == "sarif":
        from contract_analyzer.report.sarif import to_sarif

        return to_sarif(project)
    if fmt == "markdown":
        from contract_analyzer.report.markdown import to_markdown

        return to_markdown(project)
    return single.to_dict() if single is not None else project.to_dict()
