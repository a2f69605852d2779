// Corpus: an ether savings vault (Solidity 0.8) with deposit, partial withdrawal and a
// per-account withdrawal limit. withdraw() sends with call{value} and only then
// decreases the balance, so a contract account re-enters withdraw() from its receive
// function and drains the vault.
// SPDX-License-Identifier: MIT
pragma solidity ^0.8.17;

contract EtherSavingsVault {
    mapping(address => uint256) public balances;
    mapping(address => uint256) public lastWithdrawal;
    uint256 public constant DAILY_LIMIT = 10 ether;
    uint256 public totalDeposits;

    event Deposited(address indexed account, uint256 amount);
    event Withdrawn(address indexed account, uint256 amount);

    error NothingToWithdraw();
    error LimitExceeded(uint256 requested, uint256 limit);

    function deposit() external payable {
        require(msg.value > 0, "zero deposit");
        balances[msg.sender] += msg.value;
        totalDeposits += msg.value;
        emit Deposited(msg.sender, msg.value);
    }

    function withdraw(uint256 amount) external {
        uint256 balance = balances[msg.sender];
        if (balance == 0) revert NothingToWithdraw();
        if (amount > DAILY_LIMIT) revert LimitExceeded(amount, DAILY_LIMIT);
        require(amount <= balance, "insufficient");
        require(block.timestamp >= lastWithdrawal[msg.sender] + 1 days, "once a day");

        // vuln: reentrancy
        (bool ok, ) = msg.sender.call{value: amount}("");
        require(ok, "transfer failed");

        balances[msg.sender] = balance - amount;
        totalDeposits -= amount;
        lastWithdrawal[msg.sender] = block.timestamp;
        emit Withdrawn(msg.sender, amount);
    }

    function balanceOf(address account) external view returns (uint256) {
        return balances[account];
    }

    receive() external payable {
        balances[msg.sender] += msg.value;
        totalDeposits += msg.value;
        emit Deposited(msg.sender, msg.value);
    }
}
