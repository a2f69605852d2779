"""Severity of ignored return values: success flags stay medium, handed-out ids are low."""

from __future__ import annotations

from contract_analyzer.engine import analyze

SOURCE = """pragma solidity ^0.8.19;

interface IRandomSource {
    function requestWords(bytes32 keyHash, uint32 count) external returns (uint256 requestId);
    function sendMessage(bytes calldata payload) external returns (bytes32);
    function deposit(uint256 amount) external returns (bool accepted);
}

contract Consumer {
    IRandomSource public immutable source;

    constructor(IRandomSource s) {
        source = s;
    }

    function ask(bytes32 keyHash) external {
        source.requestWords(keyHash, 2);
    }

    function notify(bytes calldata payload) external {
        source.sendMessage(payload);
    }

    function fund(uint256 amount) external {
        source.deposit(amount);
    }
}
"""


def test_ignored_ids_are_low_and_ignored_flags_medium() -> None:
    result = analyze(SOURCE, analysis_type="security")
    found = {f.line_number: f.severity for f in result.findings if f.type == "unused_return_value"}
    assert found == {17: "low", 21: "low", 25: "medium"}
