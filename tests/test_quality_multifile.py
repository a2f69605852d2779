"""Gas and quality detectors over several files (what single-file fixtures cannot show)."""

from __future__ import annotations

from contract_analyzer.detectors.registry import all_detectors
from contract_analyzer.engine import analyze, analyze_sources
from contract_analyzer.report.models import ProjectReport

PRAGMA_NEW = "pragma solidity ^0.8.20;\n"
PRAGMA_OLD = "pragma solidity ^0.8.0;\n"


def _lines(result: ProjectReport, file: str, detector: str) -> list[int]:
    for report in result.reports:
        if report.file == file:
            return sorted(f.line_number for f in report.findings if f.type == detector)
    raise AssertionError(f"no report for {file}")


def test_inconsistent_pragma_reports_the_file_that_differs_from_the_majority() -> None:
    sources = {
        "src/A.sol": PRAGMA_NEW + "contract A {}\n",
        "src/B.sol": PRAGMA_NEW + "contract B {}\n",
        "src/C.sol": "// SPDX-License-Identifier: MIT\n" + PRAGMA_OLD + "contract C {}\n",
    }
    result = analyze_sources(sources, analysis_type="quality")
    assert _lines(result, "src/A.sol", "inconsistent_pragma") == []
    assert _lines(result, "src/B.sol", "inconsistent_pragma") == []
    assert _lines(result, "src/C.sol", "inconsistent_pragma") == [2]
    finding = next(
        f
        for r in result.reports
        if r.file == "src/C.sol"
        for f in r.findings
        if f.type == "inconsistent_pragma"
    )
    assert "^0.8.0" in finding.description and "^0.8.20" in finding.description


def test_inconsistent_pragma_with_two_files_reports_one_of_them() -> None:
    sources = {"A.sol": PRAGMA_NEW + "contract A {}\n", "B.sol": PRAGMA_OLD + "contract B {}\n"}
    result = analyze_sources(sources, analysis_type="quality")
    reported = [
        r.file for r in result.reports if any(f.type == "inconsistent_pragma" for f in r.findings)
    ]
    assert reported == ["B.sol"]


def test_inconsistent_pragma_ignores_dependencies_and_equal_pragmas() -> None:
    sources = {
        "contracts/Token.sol": PRAGMA_NEW + 'import "@openzeppelin/contracts/ERC20.sol";\n'
        "contract Token is ERC20 {}\n",
        "@openzeppelin/contracts/ERC20.sol": PRAGMA_OLD + "contract ERC20 {}\n",
        "node_modules/lib/Math.sol": "pragma solidity >=0.6.0;\nlibrary Math {}\n",
        "contracts/Vault.sol": "pragma solidity  ^0.8.20 ;\ncontract Vault {}\n",
    }
    result = analyze_sources(sources, analysis_type="quality")
    for report in result.reports:
        assert not [f for f in report.findings if f.type == "inconsistent_pragma"], report.file


def test_inconsistent_pragma_is_quiet_for_one_file() -> None:
    report = analyze(PRAGMA_OLD + "contract A {}\n", analysis_type="quality")
    assert not [f for f in report.findings if f.type == "inconsistent_pragma"]


def test_unused_import_of_a_resolved_file() -> None:
    sources = {
        "Lib.sol": PRAGMA_NEW
        + "library Lib { function one() internal pure returns (uint256) { return 1; } }\n",
        "Unused.sol": PRAGMA_NEW + "contract Unused {}\nstruct Point { uint256 x; }\n",
        "Main.sol": PRAGMA_NEW
        + 'import "./Lib.sol";\n'
        + 'import "./Unused.sol";\n'
        + "contract Main { function f() external pure returns (uint256) { return Lib.one(); } }\n",
    }
    result = analyze_sources(sources, analysis_type="quality")
    assert _lines(result, "Main.sol", "unused_import") == [3]


def test_usage_in_derived_contracts_of_other_files_counts() -> None:
    base = PRAGMA_NEW + (
        "contract Base {\n"
        "    uint256 internal bonus;\n"  # read by Derived only
        "    uint256 internal rate = 5;\n"  # written by Derived: not a constant
        "    function shares(uint256 a) public view returns (uint256) { return a * rate + bonus; }\n"
        "}\n"
    )
    derived = PRAGMA_NEW + (
        'import "./Base.sol";\n'
        "contract Derived is Base {\n"
        "    function quote(uint256 a) external view returns (uint256) { return shares(a) + bonus; }\n"
        "    function setRate(uint256 r) external { rate = r; }\n"
        "}\n"
    )
    result = analyze_sources({"Base.sol": base, "Derived.sol": derived}, analysis_type="full")
    assert _lines(result, "Base.sol", "unused_state_variable") == []
    assert _lines(result, "Base.sol", "state_could_be_constant") == []
    assert _lines(result, "Base.sol", "public_function_could_be_external") == []


def test_todo_in_a_block_comment_is_reported_on_its_own_line() -> None:
    source = (
        PRAGMA_NEW
        + "contract A {\n    /*\n     * Notes.\n     * FIXME: fee is hard-coded\n     */\n    uint256 public fee;\n}\n"
    )
    report = analyze(source, analysis_type="quality")
    assert [f.line_number for f in report.findings if f.type == "todo_comment"] == [5]


def test_gas_and_quality_findings_never_lower_the_security_score() -> None:
    source = PRAGMA_OLD + (
        "contract Wasteful {\n"
        "    uint256 public total = 0;\n"
        "    uint256[] public items;\n"
        "    function sum() public view returns (uint256 s) {\n"
        "        for (uint256 i = 0; i < items.length; i++) { s += items[i] * 7 + total; }\n"
        "    }\n"
        "}\n"
    )
    for analysis_type in ("gas", "quality"):
        report = analyze(source, analysis_type=analysis_type)
        assert report.findings
        assert report.score == 100
    gas = analyze(source, analysis_type="gas")
    assert {f.type for f in gas.findings} >= {
        "array_length_not_cached",
        "storage_read_in_loop",
        "postfix_increment",
        "redundant_zero_initialization",
    }
    assert all(f.gas_saved for f in gas.findings if f.type != "public_function_could_be_external")


def test_gas_and_quality_detectors_are_typed_and_never_security() -> None:
    mine = [d for d in all_detectors() if d.category in ("gas", "quality")]
    assert len([d for d in mine if d.category == "gas"]) >= 10
    assert len([d for d in mine if d.category == "quality"]) >= 10
    for detector in mine:
        assert "security" not in detector.types, detector.id
        assert detector.types == frozenset({detector.category}), detector.id
        assert detector.severity.value in ("low", "info"), detector.id
