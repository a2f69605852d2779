// Corpus: a crowdfunding campaign (Solidity 0.8) with a "close" function meant for the
// organiser, but the author forgot the check: anyone can call close() and the
// selfdestruct sends every backer's ether to the caller-chosen address.
// SPDX-License-Identifier: MIT
pragma solidity ^0.8.0;

contract Campaign {
    address payable public organiser;
    uint256 public goal;
    uint256 public deadline;
    uint256 public raised;
    mapping(address => uint256) public pledges;

    event Pledged(address backer, uint256 amount);
    event Refunded(address backer, uint256 amount);

    constructor(uint256 goal_, uint256 duration) {
        organiser = payable(msg.sender);
        goal = goal_;
        deadline = block.timestamp + duration;
    }

    function pledge() external payable {
        require(block.timestamp < deadline, "over");
        pledges[msg.sender] += msg.value;
        raised += msg.value;
        emit Pledged(msg.sender, msg.value);
    }

    function claimFunds() external {
        require(msg.sender == organiser, "organiser only");
        require(block.timestamp >= deadline && raised >= goal, "not successful");
        (bool ok, ) = organiser.call{value: address(this).balance}("");
        require(ok, "send failed");
    }

    function refund() external {
        require(block.timestamp >= deadline && raised < goal, "no refunds");
        uint256 amount = pledges[msg.sender];
        pledges[msg.sender] = 0;
        payable(msg.sender).transfer(amount);
        emit Refunded(msg.sender, amount);
    }

    // vuln: access_control
    function close(address payable to) external {
        selfdestruct(to);
    }
}
