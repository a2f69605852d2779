"""The code an analysis worker process runs (see :mod:`contract_analyzer.service.pool`).

A job is a plain dict; the answer is plain data (dicts, lists, strings), so the server
process never imports the engine to read it. Jobs:

* ``{"kind": "analyze", "source", "name", "analysis_type", "format"}`` - one source;
* ``{"kind": "batch", "sources": {name: text}, "analysis_type", "format"}`` - a project;
* ``{"kind": "warmup"}`` - analyse a tiny contract so the first real job is fast.

``format`` is ``json`` (the report's ``to_dict()``), ``sarif`` (the SARIF log as a dict)
or ``markdown`` (a string).
"""

from __future__ import annotations

import re
from typing import Any

from contract_analyzer.engine import analyze, analyze_sources
from contract_analyzer.report.models import ProjectReport, Report
from contract_analyzer.version import ENGINE_NAME, __version__

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
