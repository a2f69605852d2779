// Corpus: a token-weighted voting contract (Solidity 0.6). Delegating votes subtracts
// the delegator's weight from the previous delegate without checking that the
// delegate still has it; weights can be moved in a way that makes the subtraction
// wrap (and an overflowing addition makes a delegate's weight small again).
// SPDX-License-Identifier: MIT
pragma solidity ^0.6.12;

contract WeightedVoting {
    struct Proposal {
        bytes32 description;
        uint256 votesFor;
        uint256 votesAgainst;
        uint256 deadline;
    }

    address public chair;
    mapping(address => uint256) public weight;
    mapping(address => address) public delegateOf;
    mapping(address => uint256) public delegatedWeight;
    mapping(uint256 => mapping(address => bool)) public voted;
    Proposal[] public proposals;

    constructor() public {
        chair = msg.sender;
    }

    function setWeight(address voter, uint256 amount) external {
        require(msg.sender == chair, "chair only");
        weight[voter] = amount;
    }

    function delegate(address to) external {
        require(to != msg.sender, "self delegation");
        address previous = delegateOf[msg.sender];
        if (previous != address(0)) {
            // vuln: arithmetic
            delegatedWeight[previous] -= weight[msg.sender];
        }
        delegateOf[msg.sender] = to;
        // vuln: arithmetic
        delegatedWeight[to] += weight[msg.sender];
    }

    function propose(bytes32 description, uint256 duration) external returns (uint256) {
        require(weight[msg.sender] > 0, "no weight");
        proposals.push(Proposal(description, 0, 0, now + duration));
        return proposals.length - 1;
    }

    function vote(uint256 id, bool support) external {
        Proposal storage p = proposals[id];
        require(now < p.deadline, "closed");
        require(!voted[id][msg.sender], "already voted");
        voted[id][msg.sender] = true;
        uint256 power = weight[msg.sender] + delegatedWeight[msg.sender];
        if (support) {
            p.votesFor += power;
        } else {
            p.votesAgainst += power;
        }
    }
}
