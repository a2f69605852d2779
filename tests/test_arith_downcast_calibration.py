"""unsafe_downcast severity: narrowing that is not an attack is reported low, not medium."""

from __future__ import annotations

from contract_analyzer.engine import analyze

SOURCE = """pragma solidity ^0.8.19;

interface IFeed {
    function latestRound() external view returns (uint256);
}

contract Book {
    IFeed public feed;
    address public owner;
    mapping(uint32 => uint256) public answers;
    uint64 public lastRound;

    constructor(IFeed f) {
        feed = f;
        owner = msg.sender;
    }

    function sync() external {
        lastRound = uint64(feed.latestRound());
    }

    function answerOf(uint256 roundId) external view returns (uint256) {
        return answers[uint32(roundId)];
    }

    function submit(uint256 roundId, uint256 value) external {
        require(answers[uint32(roundId)] == 0, "taken");
        answers[uint32(roundId)] = value;
    }

    function split(uint256 packed) external {
        lastRound = uint64(packed);
        answers[uint32(packed >> 64)] = 1;
    }

    function record(uint256 roundId, uint256 value) external {
        answers[uint32(roundId)] = value;
        lastRound = uint64(roundId);
    }
}
"""


def test_downcast_severity() -> None:
    result = analyze(SOURCE, analysis_type="security")
    found = {f.line_number: f.severity for f in result.findings if f.type == "unsafe_downcast"}
    # configured oracle, own view query, a parameter used only narrowed, a packed word
    assert found[19] == found[23] == found[28] == found[32] == found[33] == "low"
    # the wide id is used twice with different widths: a real medium
    assert found[37] == found[38] == "medium"
