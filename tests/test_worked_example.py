"""The product brief's worked example must come out exactly (issue: engine)."""

from __future__ import annotations

from pathlib import Path

from contract_analyzer import analyze

EXAMPLES = Path(__file__).parent.parent / "examples"


def test_vulnerable_bank_gives_exactly_the_two_findings_and_score_25() -> None:
    source = (EXAMPLES / "VulnerableBank.sol").read_text()
    report = analyze(source, name="VulnerableBank", analysis_type="security")
    got = [(f.type, f.severity, f.line_number) for f in report.findings]
    assert got == [("reentrancy", "critical", 7), ("unchecked_call", "high", 7)]
    assert report.score == 25
    assert report.summary["critical"] == 1 and report.summary["high"] == 1


def test_legacy_bank_also_reports_the_underflow() -> None:
    source = (EXAMPLES / "LegacyBank.sol").read_text()
    report = analyze(source, analysis_type="security")
    severe = {
        (f.type, f.line_number) for f in report.findings if f.severity in ("critical", "high")
    }
    assert ("reentrancy", 7) in severe
    assert ("unchecked_call", 7) in severe
    assert any(f.line_number == 8 and f.swc_id == "SWC-101" for f in report.findings), (
        report.findings
    )
