"""IR facts the reentrancy detector relies on."""

from __future__ import annotations

from contract_analyzer.engine import analyze

CONCAT = """pragma solidity ^0.8.19;
contract Joiner {
    mapping(address => uint256) public sizes;

    function join(string memory reason) external returns (bytes memory joined) {
        joined = bytes.concat(msg.data, hex"00");
        if (sizes[msg.sender] == 0) revert(string.concat("first: ", reason));
        sizes[msg.sender] = joined.length;
    }
}
"""


def test_bytes_and_string_concat_are_builtins_not_external_calls() -> None:
    findings = analyze(CONCAT, analysis_type="security").findings
    assert [f for f in findings if f.type == "reentrancy"] == []


OWN_RESULT = """pragma solidity ^0.8.19;
interface ICoordinator {
    function openAccount() external returns (uint64);
    function ping() external;
}
contract Client {
    ICoordinator public immutable coordinator;
    uint64 public accountId;
    uint256 public pings;

    constructor(ICoordinator c) {
        coordinator = c;
    }

    function open() external {
        if (accountId == 0) {
            accountId = coordinator.openAccount();
            coordinator.ping();
        }
    }

    function ping() external {
        require(pings < 10, "enough");
        coordinator.ping();
        pings = pings + 1;
    }
}
"""


def test_storing_the_calls_own_result_is_low_other_late_writes_medium() -> None:
    findings = analyze(OWN_RESULT, analysis_type="security").findings
    found = {f.line_number: f.severity for f in findings if f.type == "reentrancy"}
    assert found.get(17, "low") == "low"  # `accountId = coordinator.openAccount()`
    assert found[24] == "medium"  # `pings` written on a later line
