// Corpus: a payment splitter for a small team (Solidity 0.7). release() pays a payee
// with call{value} and then calls an internal bookkeeping helper that records what was
// released. The state write is hidden in _recordRelease(), after the external call, so
// the payee can re-enter release() and be paid the same pending amount again.
// SPDX-License-Identifier: MIT
pragma solidity ^0.7.6;

contract TeamSplitter {
    address public admin;
    uint256 public totalShares;
    uint256 public totalReleased;
    address[] public payees;
    mapping(address => uint256) public shares;
    mapping(address => uint256) public released;

    event PayeeAdded(address account, uint256 shares);
    event PaymentReleased(address to, uint256 amount);
    event PaymentReceived(address from, uint256 amount);

    constructor(address[] memory accounts, uint256[] memory weights) {
        require(accounts.length == weights.length, "length mismatch");
        admin = msg.sender;
        for (uint256 i = 0; i < accounts.length; i++) {
            _addPayee(accounts[i], weights[i]);
        }
    }

    receive() external payable {
        emit PaymentReceived(msg.sender, msg.value);
    }

    function pending(address account) public view returns (uint256) {
        uint256 totalReceived = address(this).balance + totalReleased;
        return (totalReceived * shares[account]) / totalShares - released[account];
    }

    function release(address payable account) external {
        require(shares[account] > 0, "no shares");
        uint256 payment = pending(account);
        require(payment != 0, "nothing due");
        // vuln: reentrancy
        (bool ok, ) = account.call{value: payment}("");
        require(ok, "payment failed");
        _recordRelease(account, payment);
    }

    function _recordRelease(address account, uint256 payment) internal {
        released[account] = released[account] + payment;
        totalReleased = totalReleased + payment;
        emit PaymentReleased(account, payment);
    }

    function _addPayee(address account, uint256 weight) private {
        require(account != address(0), "zero address");
        require(weight > 0, "zero shares");
        require(shares[account] == 0, "duplicate");
        payees.push(account);
        shares[account] = weight;
        totalShares = totalShares + weight;
        emit PayeeAdded(account, weight);
    }
}
