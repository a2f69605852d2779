// Safe corpus: a raffle (Solidity 0.8) that takes its randomness from an external
// verifiable-randomness coordinator. draw() only requests a random word; the winner is
// chosen in the callback, which only the coordinator can call. No block value feeds
// the selection. Ticket sales are capped.
// SPDX-License-Identifier: MIT
pragma solidity ^0.8.18;

interface IRandomnessCoordinator {
    function requestRandomWord() external returns (uint256 requestId);
}

contract OracleRaffle {
    IRandomnessCoordinator public immutable coordinator;
    address public immutable host;
    uint256 public constant TICKET = 0.01 ether;
    uint256 public constant MAX_TICKETS = 500;

    address[] public tickets;
    uint256 public pendingRequest;
    bool public drawing;
    address public winner;
    mapping(address => uint256) public prizes;

    constructor(IRandomnessCoordinator coordinator_) {
        coordinator = coordinator_;
        host = msg.sender;
    }

    function buy() external payable {
        require(!drawing && winner == address(0), "closed");
        require(msg.value == TICKET, "price");
        require(tickets.length < MAX_TICKETS, "sold out");
        tickets.push(msg.sender);
    }

    function draw() external {
        require(msg.sender == host, "host only");
        require(!drawing && tickets.length > 0, "cannot draw");
        drawing = true;
        pendingRequest = coordinator.requestRandomWord();
    }

    function fulfillRandomWord(uint256 requestId, uint256 randomWord) external {
        require(msg.sender == address(coordinator), "coordinator only");
        require(drawing && requestId == pendingRequest, "unexpected request");
        drawing = false;
        winner = tickets[randomWord % tickets.length];
        prizes[winner] += tickets.length * TICKET;
    }

    function claim() external {
        uint256 amount = prizes[msg.sender];
        require(amount > 0, "no prize");
        prizes[msg.sender] = 0;
        (bool ok, ) = msg.sender.call{value: amount}("");
        require(ok, "claim failed");
    }
}
