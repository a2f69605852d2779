// Safe corpus: an ether savings vault (Solidity 0.8) that follows
// checks-effects-interactions: the balance is reduced before the ether is sent with
// call{value}, and the call's result is required. Re-entering withdraw() finds the
// balance already reduced.
// SPDX-License-Identifier: MIT
pragma solidity ^0.8.17;

contract SafeSavingsVault {
    mapping(address => uint256) public balances;
    uint256 public totalDeposits;

    event Deposited(address indexed account, uint256 amount);
    event Withdrawn(address indexed account, uint256 amount);

    error Insufficient(uint256 requested, uint256 available);
    error TransferFailed();

    function deposit() external payable {
        require(msg.value > 0, "zero deposit");
        balances[msg.sender] += msg.value;
        totalDeposits += msg.value;
        emit Deposited(msg.sender, msg.value);
    }

    function withdraw(uint256 amount) external {
        uint256 balance = balances[msg.sender];
        if (amount > balance) revert Insufficient(amount, balance);

        balances[msg.sender] = balance - amount;
        totalDeposits -= amount;
        emit Withdrawn(msg.sender, amount);

        (bool ok, ) = msg.sender.call{value: amount}("");
        if (!ok) revert TransferFailed();
    }

    function balanceOf(address account) external view returns (uint256) {
        return balances[account];
    }
}
