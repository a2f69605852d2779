"""Severity and confidence calibration of the arithmetic, randomness and time detectors
(the fixture harness checks lines only)."""

from __future__ import annotations

from contract_analyzer import analyze


def _found(source: str, detector: str) -> dict[int, tuple[str, str]]:
    report = analyze(source, analysis_type="security")
    return {
        f.line_number: (f.severity, f.confidence) for f in report.findings if f.type == detector
    }


LEGACY_TOKEN = """pragma solidity ^0.4.24;
contract T {
    mapping(address => uint256) public balances;
    uint256 public totalSupply;
    address public owner;
    function withdraw(uint256 amount) public {
        balances[msg.sender] -= amount;
        msg.sender.transfer(amount);
    }
    function mint(address to, uint256 value) public {
        require(msg.sender == owner);
        totalSupply += value;
        balances[to] += value;
    }
    function batch(address[] to, uint256 value) public {
        uint256 total = to.length * value;
        require(balances[msg.sender] >= total);
        balances[msg.sender] -= total;
    }
}
"""


def test_unchecked_balance_underflow_is_high_and_privileged_mint_low() -> None:
    found = _found(LEGACY_TOKEN, "integer_overflow")
    assert found[7] == ("high", "high")
    assert found[12] == ("low", "high")
    assert 13 not in found  # the same amount credited again is bounded by the supply
    assert found[16][0] == "critical"  # BEC-style batch multiplication


def test_pragma_range_lowers_confidence_only() -> None:
    source = LEGACY_TOKEN.replace("^0.4.24", ">=0.7.0 <0.9.0").replace(
        "address[] to", "address[] memory to"
    )
    found = _found(source, "integer_overflow")
    assert found[7] == ("high", "low")


def test_modern_checked_arithmetic_is_quiet() -> None:
    source = LEGACY_TOKEN.replace("^0.4.24", "^0.8.20").replace(
        "address[] to", "address[] memory to"
    )
    assert _found(source, "integer_overflow") == {}


RANDOM = """pragma solidity ^0.8.20;
contract R {
    address[] public players;
    mapping(uint256 => uint256) public traits;
    function draw() external {
        uint256 i = uint256(keccak256(abi.encodePacked(block.timestamp, players.length))) % players.length;
        payable(players[i]).transfer(address(this).balance);
    }
    function roll(uint256 id) external {
        traits[id] = uint256(keccak256(abi.encodePacked(block.prevrandao, id))) % 100;
    }
}
"""


def test_randomness_deciding_a_payout_is_high_otherwise_medium() -> None:
    found = _found(RANDOM, "weak_randomness")
    assert found[6][0] == "high"
    assert found[10][0] == "medium"


TIME = """pragma solidity ^0.8.20;
contract V {
    uint256 public start;
    mapping(address => uint256) public last;
    function release() external {
        require(block.timestamp >= start + 30 days);
        payable(msg.sender).transfer(1 ether);
    }
    function poke() external {
        require(block.timestamp >= last[msg.sender] + 20 seconds);
        last[msg.sender] = block.timestamp;
    }
    function flip() external {
        if (block.timestamp % 2 == 0) payable(msg.sender).transfer(1 ether);
    }
}
"""


def test_timestamp_long_deadline_quiet_short_window_low_modulo_payout_medium() -> None:
    found = _found(TIME, "timestamp_dependence")
    assert 6 not in found
    assert found[10][0] == "low"
    assert found[14][0] == "medium"
    assert "weak_randomness" not in {
        f.type for f in analyze(TIME, analysis_type="security").findings
    }
