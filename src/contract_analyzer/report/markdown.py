"""An audit-style Markdown report: summary, then one section per finding."""

from __future__ import annotations

from contract_analyzer.report.models import SEVERITIES, Finding, ProjectReport
from contract_analyzer.version import ENGINE_NAME, __version__

_PREFIX = {"critical": "C", "high": "H", "medium": "M", "low": "L", "info": "I"}


def to_markdown(project: ProjectReport, *, title: str = "Smart contract security report") -> str:
    lines: list[str] = [f"# {title}", ""]
    files = [r.file for r in project.reports]
    lines.append(f"- **Files analysed:** {len(files)}")
    lines.append(f"- **Analysis type:** {project.analysis_type}")
    lines.append(f"- **Security score:** {project.score}/100")
    lines.append(f"- **Engine:** {ENGINE_NAME} {__version__}")
    lines.append("")
    lines.append("## Summary")
    lines.append("")
    lines.append("| Severity | Findings |")
    lines.append("|---|---|")
    summary = project.summary
    for severity in SEVERITIES:
        lines.append(f"| {severity.capitalize()} | {summary[severity]} |")
    lines.append("")
    findings = sorted(project.findings, key=lambda f: (f.severity_rank, f.file, f.line_number))
    if findings:
        lines.append("| ID | Title | Location |")
        lines.append("|---|---|---|")
        for ident, finding in _numbered(findings):
            lines.append(
                f"| {ident} | {_cell(finding.title)} | `{finding.file}:{finding.line_number}` |"
            )
        lines.append("")
        lines.append("## Findings")
        lines.append("")
        for ident, finding in _numbered(findings):
            lines.extend(_section(ident, finding))
    else:
        lines.append("No findings.")
        lines.append("")
    problems = [(r.file, w) for r in project.reports for w in r.warnings]
    problems += [
        (r.file, f"line {e['line']}: syntax error: {e['message']}")
        for r in project.reports
        for e in r.syntax_errors
    ]
    if problems or project.errors:
        lines.append("## Analysis notes")
        lines.append("")
        for error in project.errors:
            lines.append(f"- **Not analysed:** {_cell(error.message)}")
        for file, warning in problems:
            lines.append(f"- `{file}`: {_cell(warning)}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _numbered(findings: list[Finding]) -> list[tuple[str, Finding]]:
    counters: dict[str, int] = {}
    out = []
    for finding in findings:
        counters[finding.severity] = counters.get(finding.severity, 0) + 1
        out.append((f"{_PREFIX[finding.severity]}-{counters[finding.severity]}", finding))
    return out


def _section(ident: str, finding: Finding) -> list[str]:
    where = f"`{finding.file}:{finding.line_number}`"
    owner = ".".join(part for part in (finding.contract, finding.function) if part)
    lines = [f"### [{ident}] {finding.title}", ""]
    meta = [
        f"**Severity:** {finding.severity.capitalize()}",
        f"**Confidence:** {finding.confidence}",
        f"**Location:** {where}" + (f" (`{owner}`)" if owner else ""),
    ]
    if finding.swc_id:
        meta.append(f"**SWC:** [{finding.swc_id}](https://swcregistry.io/docs/{finding.swc_id})")
    if finding.gas_saved:
        meta.append(f"**Gas saved:** ~{finding.gas_saved}")
    lines.append(" · ".join(meta))
    lines.append("")
    lines.append(finding.description)
    lines.append("")
    if finding.code_snippet:
        lines.append("```solidity")
        lines.append(finding.code_snippet)
        lines.append("```")
        lines.append("")
    lines.append(f"**Recommendation:** {finding.recommendation}")
    lines.append("")
    return lines


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
