"""SARIF 2.1.0, the format GitHub code scanning and most CI dashboards read.

Rules carry the detector's help text and a ``security-severity`` (GitHub's 0-10 scale);
results carry physical locations relative to the repository root and a partial
fingerprint so GitHub tracks an alert across commits.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

from contract_analyzer.detectors.registry import detector_by_id
from contract_analyzer.report.models import Finding, ProjectReport
from contract_analyzer.version import ENGINE_NAME, __version__

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/contract-analyzer/contract-analyzer"

_LEVEL = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}
_SECURITY_SEVERITY = {
    "critical": "9.5",
    "high": "8.0",
    "medium": "5.5",
    "low": "3.0",
    "info": "1.0",
}


def to_sarif(project: ProjectReport) -> dict[str, Any]:
    """The SARIF log of a run."""
    rules: list[dict[str, Any]] = []
    rule_index: dict[str, int] = {}
    results: list[dict[str, Any]] = []
    for finding in project.findings:
        if finding.type not in rule_index:
            rule_index[finding.type] = len(rules)
            rules.append(_rule(finding))
        results.append(_result(finding, rule_index[finding.type]))
    notifications = [
        {
            "level": "error",
            "message": {"text": error.message},
            "locations": [_artifact_only(error.file)],
        }
        for error in project.errors
    ]
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": ENGINE_NAME,
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": INFORMATION_URI,
                "rules": rules,
            }
        },
        "results": results,
        "columnKind": "unicodeCodePoints",
        "originalUriBaseIds": {"%SRCROOT%": {"uri": "file:///"}},
        "invocations": [
            {
                "executionSuccessful": not project.errors,
                "toolExecutionNotifications": notifications,
            }
        ],
    }
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


def _rule(finding: Finding) -> dict[str, Any]:
    detector = detector_by_id(finding.type)
    description = detector.description if detector else finding.description
    recommendation = detector.recommendation if detector else finding.recommendation
    tags = ["security" if "security" in finding.analysis_types else finding.analysis_types[0]]
    if finding.category not in tags:  # gas/quality detectors: category == analysis type
        tags.append(finding.category)
    if finding.swc_id:
        tags.append(finding.swc_id)
    help_markdown = f"{description}\n\n**Recommendation:** {recommendation}"
    references = list(detector.references) if detector else []
    if references:
        help_markdown += "\n\n" + "\n".join(f"- {ref}" for ref in references)
    rule: dict[str, Any] = {
        "id": finding.type,
        "name": "".join(part.capitalize() for part in finding.type.split("_")),
        "shortDescription": {"text": finding.title},
        "fullDescription": {"text": description},
        "help": {
            "text": f"{description}\n\nRecommendation: {recommendation}",
            "markdown": help_markdown,
        },
        "defaultConfiguration": {
            "level": _LEVEL[detector.severity.value if detector else finding.severity]
        },
        "properties": {
            "tags": tags,
            "precision": {"high": "high", "medium": "medium", "low": "low"}.get(
                finding.confidence, "medium"
            ),
            "security-severity": _SECURITY_SEVERITY[
                detector.severity.value if detector else finding.severity
            ],
        },
    }
    if references:
        rule["helpUri"] = references[0]
    return rule


def _uri(path: str) -> str:
    posix = PurePosixPath(path.replace("\\", "/"))
    text = str(posix)
    return text.lstrip("/") if not text.startswith("<") else "input.sol"


def _artifact_only(path: str) -> dict[str, Any]:
    return {"physicalLocation": {"artifactLocation": {"uri": _uri(path), "uriBaseId": "%SRCROOT%"}}}


def _result(finding: Finding, index: int) -> dict[str, Any]:
    region: dict[str, Any] = {
        "startLine": finding.line_number,
        "endLine": max(finding.end_line, finding.line_number),
        "startColumn": max(finding.column, 1),
    }
    if finding.code_snippet:
        region["snippet"] = {"text": finding.code_snippet}
    result: dict[str, Any] = {
        "ruleId": finding.type,
        "ruleIndex": index,
        "level": _LEVEL[finding.severity],
        "message": {"text": finding.description},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": _uri(finding.file), "uriBaseId": "%SRCROOT%"},
                    "region": region,
                },
                "logicalLocations": _logical(finding),
            }
        ],
        "partialFingerprints": {"contractAnalyzer/v1": finding.fingerprint},
        "properties": {
            "severity": finding.severity,
            "confidence": finding.confidence,
            "security-severity": _SECURITY_SEVERITY[finding.severity],
        },
    }
    if finding.swc_id:
        result["properties"]["swc"] = finding.swc_id
    return result


def _logical(finding: Finding) -> list[dict[str, str]]:
    if finding.contract and finding.function:
        return [
            {"fullyQualifiedName": f"{finding.contract}.{finding.function}", "kind": "function"}
        ]
    if finding.contract:
        return [{"fullyQualifiedName": finding.contract, "kind": "type"}]
    return []
