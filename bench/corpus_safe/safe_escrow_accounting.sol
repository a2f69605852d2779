// Safe corpus: a crowdfunding escrow (Solidity 0.8) that tracks contributions in its
// own variable and never compares address(this).balance for equality: forced ether
// only increases the balance and changes nothing. Refunds are pulled per contributor.
// SPDX-License-Identifier: MIT
pragma solidity ^0.8.3;

contract AccountingEscrow {
    address payable public immutable beneficiary;
    uint256 public immutable goal;
    uint256 public immutable deadline;
    uint256 public totalContributions;
    mapping(address => uint256) public contributions;
    bool public paidOut;

    constructor(address payable beneficiary_, uint256 goal_, uint256 durationDays) {
        require(durationDays >= 7, "campaign too short");
        beneficiary = beneficiary_;
        goal = goal_;
        deadline = block.timestamp + durationDays * 1 days;
    }

    function contribute() external payable {
        require(block.timestamp < deadline, "closed");
        contributions[msg.sender] += msg.value;
        totalContributions += msg.value;
    }

    function payOut() external {
        require(block.timestamp >= deadline, "running");
        require(!paidOut, "paid");
        require(totalContributions >= goal, "goal not met");
        require(address(this).balance >= totalContributions, "accounting");
        paidOut = true;
        (bool ok, ) = beneficiary.call{value: address(this).balance}("");
        require(ok, "payout failed");
    }

    function refund() external {
        require(block.timestamp >= deadline, "running");
        require(totalContributions < goal, "goal met");
        uint256 amount = contributions[msg.sender];
        require(amount > 0, "nothing to refund");
        contributions[msg.sender] = 0;
        (bool ok, ) = msg.sender.call{value: amount}("");
        require(ok, "refund failed");
    }
}
