// Corpus: a sealed group-buy (Solidity 0.8). If the minimum is not reached by the
// deadline, cancel() refunds every participant in one loop with transfer(). One
// participant that is a contract rejecting ether (or the list growing too long) makes
// the whole refund revert, so nobody gets their money back.
// SPDX-License-Identifier: MIT
pragma solidity ^0.8.8;

contract GroupBuy {
    address public organiser;
    uint256 public minimum;
    uint256 public deadline;
    uint256 public unitPrice;
    address payable[] public participants;
    mapping(address => uint256) public paid;
    bool public cancelled;

    event Joined(address indexed who, uint256 amount);
    event Cancelled(uint256 refunded);

    constructor(uint256 minimum_, uint256 unitPrice_, uint256 duration) {
        organiser = msg.sender;
        minimum = minimum_;
        unitPrice = unitPrice_;
        deadline = block.timestamp + duration;
    }

    function join() external payable {
        require(block.timestamp < deadline, "closed");
        require(msg.value == unitPrice, "price");
        if (paid[msg.sender] == 0) {
            participants.push(payable(msg.sender));
        }
        paid[msg.sender] += msg.value;
        emit Joined(msg.sender, msg.value);
    }

    function cancel() external {
        require(block.timestamp >= deadline, "running");
        require(participants.length < minimum, "minimum reached");
        require(!cancelled, "done");
        cancelled = true;
        uint256 refunded;
        // vuln: denial_of_service
        for (uint256 i = 0; i < participants.length; i++) {
            uint256 amount = paid[participants[i]];
            paid[participants[i]] = 0;
            refunded += amount;
            // vuln: denial_of_service
            participants[i].transfer(amount);
        }
        emit Cancelled(refunded);
    }

    function complete() external {
        require(msg.sender == organiser, "organiser");
        require(participants.length >= minimum, "not enough");
        payable(organiser).transfer(address(this).balance);
    }
}
