"""Engine behaviour: suppression comments, crashing detectors, metadata checks, dedupe."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from contract_analyzer import analyze
from contract_analyzer.detectors import base
from contract_analyzer.detectors.base import (
    SECURITY,
    Confidence,
    Detector,
    DetectorDefinitionError,
    Issue,
    Severity,
)
from contract_analyzer.detectors.context import Context
from contract_analyzer.detectors.registry import all_detectors, detectors_for

BANK = """pragma solidity ^0.8.0;
contract Bank {
    mapping(address => uint256) public balances;
    function withdraw(uint256 amount) public {
        // analyzer-disable-next-line unchecked_call
        (bool success, ) = msg.sender.call{value: amount}("");
        balances[msg.sender] -= amount;
    }
}
"""


def test_suppression_comment_silences_only_the_named_detector() -> None:
    report = analyze(BANK)
    assert [(f.type, f.line_number) for f in report.findings] == [("reentrancy", 6)]


def test_suppression_without_ids_silences_everything_on_the_line() -> None:
    report = analyze(
        BANK.replace("analyzer-disable-next-line unchecked_call", "analyzer-disable-next-line")
    )
    assert report.findings == []


def test_suppression_of_several_ids_and_same_line_form() -> None:
    several = BANK.replace("unchecked_call", "unchecked_call, reentrancy")
    assert analyze(several).findings == []
    same_line = BANK.replace("        // analyzer-disable-next-line unchecked_call\n", "").replace(
        '("");\n', '(""); // analyzer-disable-line reentrancy\n', 1
    )
    assert [f.type for f in analyze(same_line).findings] == ["unchecked_call"]


def test_a_crashing_detector_becomes_a_warning() -> None:
    class Exploding(Detector):
        id = "test_exploding_detector"
        title = "Explodes"
        severity = Severity.LOW
        confidence = Confidence.LOW
        types = SECURITY
        description = "Always raises."
        recommendation = "None."

        def detect(self, ctx: Context) -> Iterator[Issue]:
            raise RuntimeError("boom")
            yield  # pragma: no cover

    from contract_analyzer import engine

    unit_report = engine._report_for  # the function under test
    from contract_analyzer.ir.project import Project
    from contract_analyzer.parsing import parse_source

    unit = parse_source(BANK)
    project = Project([unit]).build()
    try:
        report = unit_report(unit, project, (*detectors_for("security"), Exploding), "security")
    finally:
        base._REGISTRY.pop("test_exploding_detector", None)
    assert any("test_exploding_detector failed" in w and "boom" in w for w in report.warnings)
    assert {f.type for f in report.findings} == {"reentrancy"}


@pytest.mark.parametrize(
    ("attrs", "message"),
    [
        ({"id": "Bad-Id"}, "snake_case"),
        ({"swc": "SWC-999"}, "SWC-100"),
        ({"description": " "}, "must not be empty"),
        ({"types": frozenset({"style"})}, "subset"),
    ],
)
def test_bad_metadata_fails_at_definition(attrs: dict[str, object], message: str) -> None:
    namespace: dict[str, object] = {
        "id": "test_bad_metadata",
        "title": "t",
        "severity": Severity.LOW,
        "confidence": Confidence.LOW,
        "types": SECURITY,
        "description": "d",
        "recommendation": "r",
        "detect": lambda self, ctx: iter(()),
    }
    namespace.update(attrs)
    with pytest.raises(DetectorDefinitionError, match=message):
        type("BadDetector", (Detector,), namespace)
    base._REGISTRY.pop("test_bad_metadata", None)


def test_registry_is_consistent() -> None:
    from contract_analyzer.detectors.registry import LOAD_ERRORS

    detectors = all_detectors()
    assert LOAD_ERRORS == []
    ids = [d.id for d in detectors]
    assert len(ids) == len(set(ids))
    assert set(detectors_for("full")) == set(detectors)
    for kind in ("security", "gas", "quality"):
        assert all(kind in d.types for d in detectors_for(kind))


def test_findings_are_sorted_and_deduplicated() -> None:
    report = analyze(
        BANK.replace("        // analyzer-disable-next-line unchecked_call\n", ""),
        analysis_type="full",
    )
    keys = [(f.line_number, f.severity_rank) for f in report.findings]
    assert keys == sorted(keys)
    assert len({(f.type, f.line_number) for f in report.findings}) == len(report.findings)
