// Corpus: a withdrawal contract (Solidity 0.8) that forwards exactly 2300 gas with each
// payment, "to prevent reentrancy". Gas costs of opcodes change between forks (EIP-1884
// raised SLOAD) and smart-contract wallets need more than 2300 gas to receive ether, so
// these payments start failing; the hardcoded gas in the relay call has the same flaw.
// SPDX-License-Identifier: MIT
pragma solidity ^0.8.9;

contract GasCappedPayouts {
    address public owner;
    mapping(address => uint256) public owed;

    event Paid(address indexed to, uint256 amount);
    event Relayed(address indexed target, bool ok);

    constructor() {
        owner = msg.sender;
    }

    function credit(address to) external payable {
        owed[to] += msg.value;
    }

    function withdraw() external {
        uint256 amount = owed[msg.sender];
        require(amount > 0, "nothing owed");
        owed[msg.sender] = 0;
        // vuln: other
        (bool ok, ) = msg.sender.call{value: amount, gas: 2300}("");
        require(ok, "payment failed");
        emit Paid(msg.sender, amount);
    }

    function relay(address target, bytes calldata data) external {
        require(msg.sender == owner, "owner only");
        // vuln: other
        (bool ok, ) = target.call{gas: 50000}(data);
        require(ok, "relay failed");
        emit Relayed(target, ok);
    }
}
