"""Where and how severely access-control findings are reported on legacy contracts."""

from __future__ import annotations

from contract_analyzer.engine import analyze

LEGACY = """pragma solidity ^0.4.18;

contract Jar {
    address public owner;
    uint public limit;

    function Jar() public {
        owner = msg.sender;
    }

    function kill() {
        if (msg.sender == owner) suicide(owner);
    }

    function destroy() {
        suicide(msg.sender);
    }

    function setOwner(address next) public {
        limit = 1;
        owner = next;
    }
}
"""


def _findings(detector_id: str) -> dict[int, str]:
    report = analyze(LEGACY, analysis_type="security", path="Jar.sol")
    return {f.line_number: f.severity for f in report.findings if f.type == detector_id}


def test_missing_visibility_on_an_owner_guarded_selfdestruct_is_not_high() -> None:
    found = _findings("default_function_visibility")
    assert found.get(15) == "high"  # `destroy`: anyone can destroy the contract
    assert found.get(11) in (None, "low", "info")  # `kill` checks the owner first


def test_unprotected_functions_are_reported_at_their_header() -> None:
    assert set(_findings("unprotected_selfdestruct")) == {15}
    ownership = analyze(LEGACY, analysis_type="security", path="Jar.sol").findings
    change = [f for f in ownership if f.type == "unprotected_ownership_change"]
    assert [f.line_number for f in change] == [19]
    assert change[0].end_line == 21  # the span reaches the overwriting statement
