// Corpus: a weekly lottery (Solidity 0.4) that pays the winner and the house with
// send() and ignores the result. When the winner is a contract whose fallback needs
// more than 2300 gas, send fails silently, the round is marked paid and the prize
// stays in the contract (as happened to several 2016 lotteries and King of the Ether).
// The winning index is chosen by a trusted operator; only the payouts are modelled.
pragma solidity ^0.4.19;

contract WeeklyLottery {
    address public operator;
    uint public ticketPrice = 0.1 ether;
    uint public round;
    address[] public tickets;
    mapping(uint => address) public winners;
    mapping(uint => bool) public paid;

    event TicketBought(address buyer, uint round);
    event Drawn(uint round, address winner, uint prize);

    modifier onlyOperator() {
        require(msg.sender == operator);
        _;
    }

    function WeeklyLottery() public {
        operator = msg.sender;
    }

    function buy() public payable {
        require(msg.value == ticketPrice);
        require(tickets.length < 500);
        tickets.push(msg.sender);
        TicketBought(msg.sender, round);
    }

    function draw(uint winningIndex) public onlyOperator {
        require(tickets.length > 0);
        require(!paid[round]);
        address winner = tickets[winningIndex % tickets.length];
        uint pot = tickets.length * ticketPrice;
        uint houseCut = pot / 20;
        uint prize = pot - houseCut;
        winners[round] = winner;
        paid[round] = true;
        // vuln: unchecked_call
        winner.send(prize);
        // vuln: unchecked_call
        operator.send(houseCut);
        Drawn(round, winner, prize);
        delete tickets;
        round += 1;
    }

    function ticketCount() public constant returns (uint) {
        return tickets.length;
    }
}
