// Corpus: a daily raffle (Solidity 0.4) whose winner index is `now` modulo the number
// of tickets. The miner of the draw block chooses the timestamp within a window, and
// anybody can predict the result for the current block.
pragma solidity ^0.4.17;

contract DailyRaffle {
    address public organiser;
    address[] public tickets;
    uint public lastDraw;
    uint public constant TICKET = 10 finney;

    function DailyRaffle() public {
        organiser = msg.sender;
        lastDraw = now;
    }

    function buyTicket() public payable {
        require(msg.value == TICKET);
        tickets.push(msg.sender);
    }

    function draw() public {
        require(now >= lastDraw + 1 days);
        require(tickets.length > 0);
        // vuln: bad_randomness
        uint winnerIndex = now % tickets.length;
        address winner = tickets[winnerIndex];
        lastDraw = now;
        delete tickets;
        winner.transfer(this.balance);
    }
}
