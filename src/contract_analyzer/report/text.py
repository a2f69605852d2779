"""The text view for people: findings grouped by file, colour on a terminal."""

from __future__ import annotations

import textwrap

from contract_analyzer.report.models import SEVERITIES, ProjectReport

_COLOURS = {
    "critical": "\033[1;97;41m",
    "high": "\033[1;31m",
    "medium": "\033[33m",
    "low": "\033[36m",
    "info": "\033[2m",
}
_RESET = "\033[0m"
_BOLD = "\033[1m"
_DIM = "\033[2m"


def to_text(project: ProjectReport, *, colour: bool = False, verbose: bool = False) -> str:
    def paint(text: str, code: str) -> str:
        return f"{code}{text}{_RESET}" if colour else text

    out: list[str] = []
    for report in project.reports:
        if not report.findings and not report.syntax_errors and not verbose:
            continue
        out.append(paint(report.file, _BOLD))
        for error in report.syntax_errors:
            out.append(
                f"  {error['line']}:{error['column']}  "
                + paint("syntax", _DIM)
                + f"  {error['message']}"
            )
        for finding in report.findings:
            label = paint(f"{finding.severity:<8}", _COLOURS[finding.severity])
            location = f"{finding.line_number}:{finding.column}"
            out.append(f"  {location:<8} {label} {finding.type}  {finding.title}")
            if verbose:
                wrapped = textwrap.fill(
                    finding.description,
                    width=96,
                    initial_indent="           ",
                    subsequent_indent="           ",
                )
                out.append(paint(wrapped, _DIM))
        for warning in report.warnings:
            out.append("  " + paint(f"warning: {warning}", _DIM))
        out.append("")
    if project.errors:
        out.append(
            paint(
                f"{len(project.errors)} file(s) could not be analysed (see the errors above)",
                _COLOURS["high"],
            )
        )
    summary = project.summary
    parts = [f"{summary[s]} {s}" for s in SEVERITIES if summary[s]]
    files = len(project.reports)
    headline = f"{summary['total']} finding{'s' if summary['total'] != 1 else ''}"
    if parts:
        headline += f" ({', '.join(parts)})"
    headline += f" in {files} file{'s' if files != 1 else ''}"
    if project.analysis_type in ("security", "full"):
        headline += f"; security score {project.score}/100"
    headline += f"; {project.processing_time * 1000:.0f} ms"
    out.append(paint(headline, _BOLD))
    return "\n".join(out) + "\n"
