"""Merge rules: what an answer may and may not do to the static report."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from contract_analyzer import analyze
from contract_analyzer.ai.base import ProviderError
from contract_analyzer.ai.merge import MAX_ADDED_FINDINGS, merge_answer
from contract_analyzer.ai.prompt import Answer, build_request, parse_answer, response_schema
from contract_analyzer.report.models import SEVERITIES, ProjectReport, Report

SCHEMA = json.loads(
    (Path(__file__).parents[2] / "src" / "contract_analyzer" / "report" / "schema.json").read_text(
        encoding="utf-8"
    )
)


def _added(**overrides: Any) -> dict[str, Any]:
    item: dict[str, Any] = {
        "type": "Missing Event",
        "severity": "low",
        "line_number": 3,
        "title": "No event",
        "description": "State changes without an event.",
        "recommendation": "Emit an event.",
        "swc_id": "",
    }
    item.update(overrides)
    return item


def _verdict(fid: str, verdict: str = "confirmed", severity: str | None = None) -> dict[str, Any]:
    return {"finding_id": fid, "verdict": verdict, "severity": severity, "reason": "because"}


@pytest.fixture
def static(hostile_source: str) -> Report:
    report = analyze(hostile_source, path="HostileVault.sol")
    assert any(f.severity == "critical" for f in report.findings)
    return report


def test_injection_obeying_answer_keeps_every_serious_finding(
    static: Report, hostile_source: str
) -> None:
    answer = Answer(
        verdicts=[
            _verdict(f"F{i}", "likely_false_positive", "info")
            for i in range(1, len(static.findings) + 1)
        ],
        additional_findings=[],
    )
    merged = merge_answer(static, hostile_source, answer, service="Evil")
    assert len(merged.report.findings) == len(static.findings)
    for before, after in zip(static.findings, merged.report.findings, strict=True):
        assert after.type == before.type
        assert after.ai_verdict == "likely_false_positive"
        assert after.severity_rank == min(before.severity_rank + 1, len(SEVERITIES) - 1)
        assert "severity" in (after.ai_reason or "")
    assert any("limited to one level" in w for w in merged.warnings)
    assert static.findings[0].ai_verdict is None  # the input is not modified


def test_severity_may_rise_by_one_level_only(static: Report, hostile_source: str) -> None:
    index = next(i for i, f in enumerate(static.findings) if f.severity == "high")
    answer = Answer(
        verdicts=[_verdict(f"F{index + 1}", severity="critical")], additional_findings=[]
    )
    merged = merge_answer(static, hostile_source, answer, service="OpenAI")
    assert merged.report.findings[index].severity == "critical"


def test_bad_verdicts_are_ignored_and_counted(static: Report, hostile_source: str) -> None:
    answer = Answer(
        verdicts=[
            _verdict("F999"),
            _verdict("F1", "delete_this_finding"),
            {"finding_id": 3},
            _verdict("f1"),
            _verdict("F1", "likely_false_positive"),  # a repeat: the first verdict stands
        ],
        additional_findings=[],
    )
    merged = merge_answer(static, hostile_source, answer, service="OpenAI")
    assert merged.report.findings[0].ai_verdict == "confirmed"
    assert merged.confirmed == 1
    assert any("ignored 4 verdict(s)" in w for w in merged.warnings)


def test_invalid_added_findings_are_dropped_and_counted(
    static: Report, hostile_source: str
) -> None:
    lines = len(hostile_source.splitlines())
    answer = Answer(
        verdicts=[],
        additional_findings=[
            _added(),
            _added(line_number=lines + 5),
            _added(line_number=-2),
            _added(line_number=None),
            _added(severity="catastrophic"),
            _added(line_number="twelve"),
            _added(title="", description=""),
            _added(type=static.findings[0].type, line_number=static.findings[0].line_number),
            _added(),  # the same finding twice
        ],
    )
    merged = merge_answer(static, hostile_source, answer, service="Gemini")
    assert merged.added == 1
    assert merged.dropped == 8
    [warning] = merged.warnings
    assert "dropped 8 of 9" in warning
    assert "2 with a line outside the file" in warning
    assert "1 without a location" in warning
    assert "1 with an unknown severity" in warning
    assert "2 repeating a finding already reported" in warning
    [ai] = [f for f in merged.report.findings if f.source == "Gemini"]
    assert ai.type == "missing_event"
    assert ai.line_number == 3


def test_added_findings_fit_the_report_schema(static: Report, hostile_source: str) -> None:
    answer = Answer(
        verdicts=[_verdict("F1")],
        additional_findings=[
            _added(type="123 Weird-Type!!", swc_id="swc-107", line_number=20),
            _added(type="", swc_id="SWC-999", line_number=21, severity="HIGH"),
            _added(description="bidi \u202e trick \x00", line_number=22),
        ],
    )
    merged = merge_answer(static, hostile_source, answer, service="OpenAI")
    ai = [f for f in merged.report.findings if f.source == "OpenAI"]
    assert [f.type for f in ai] == ["weird_type", "ai_finding", "missing_event"]
    assert [f.swc_id for f in ai] == ["SWC-107", None, None]
    assert ai[1].severity == "high"
    assert "\u202e" not in ai[2].description and "\x00" not in ai[2].description
    project = ProjectReport(analysis_type="security", reports=[merged.report])
    jsonschema.validate(project.to_dict(), SCHEMA)
    lines = [f.line_number for f in merged.report.findings]
    assert lines == sorted(lines)


def test_added_findings_are_capped(static: Report, hostile_source: str) -> None:
    items = [
        _added(type=f"issue_{i}", line_number=1 + i % len(hostile_source.splitlines()))
        for i in range(MAX_ADDED_FINDINGS + 7)
    ]
    merged = merge_answer(
        static, hostile_source, Answer(verdicts=[], additional_findings=items), service="X"
    )
    assert merged.added == MAX_ADDED_FINDINGS
    assert f"7 past the limit of {MAX_ADDED_FINDINGS}" in merged.warnings[0]


@pytest.mark.parametrize(
    "text",
    ["", "not json", "[1, 2]", '{"verdicts": []}', '{"verdicts": {}, "additional_findings": []}'],
)
def test_parse_answer_rejects_bad_shapes(text: str) -> None:
    with pytest.raises(ProviderError) as info:
        parse_answer(text)
    assert info.value.kind.value == "invalid_answer"


def test_parse_answer_accepts_a_fenced_answer() -> None:
    answer = parse_answer('```json\n{"verdicts": [], "additional_findings": []}\n```')
    assert answer.verdicts == [] and answer.additional_findings == []


def test_schema_is_strict_mode_compatible() -> None:
    def walk(node: dict[str, Any]) -> None:
        if node.get("type") == "object":
            assert node["additionalProperties"] is False
            assert sorted(node["required"]) == sorted(node["properties"])
            for child in node["properties"].values():
                walk(child)
        if node.get("type") == "array":
            walk(node["items"])
        assert "null" not in json.dumps(node.get("type"))

    walk(response_schema())


def test_prompt_numbers_lines_and_fences_the_source(static: Report, hostile_source: str) -> None:
    request = build_request(static, hostile_source, max_output_tokens=1000)
    assert "22| " in request.user or "22|" in request.user
    assert request.user.count("<source-") == 1 and request.user.count("</source-") == 1
    assert '"id": "F1"' in request.user
    assert "untrusted" in request.system
