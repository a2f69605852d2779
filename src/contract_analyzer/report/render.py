"""One function that renders a run in any supported format."""

from __future__ import annotations

import json

from contract_analyzer.errors import UsageError
from contract_analyzer.report.markdown import to_markdown
from contract_analyzer.report.models import ProjectReport
from contract_analyzer.report.sarif import to_sarif
from contract_analyzer.report.text import to_text

FORMATS = ("text", "json", "sarif", "markdown")


def render_project(
    project: ProjectReport, fmt: str, *, colour: bool = False, verbose: bool = False
) -> str:
    if fmt == "json":
        return json.dumps(project.to_dict(), indent=2) + "\n"
    if fmt == "sarif":
        return json.dumps(to_sarif(project), indent=2) + "\n"
    if fmt == "markdown":
        return to_markdown(project)
    if fmt == "text":
        return to_text(project, colour=colour, verbose=verbose)
    raise UsageError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
