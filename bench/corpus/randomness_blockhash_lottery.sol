// Corpus: a pot lottery (Solidity 0.4) that draws the winner from the previous
// block's hash modulo the number of players. Everything is known when the draw
// transaction is built: a contract can compute the outcome and only call draw() (or
// only buy a ticket) when it wins, and a miner can withhold blocks.
pragma solidity ^0.4.21;

contract PotLottery {
    address public owner;
    address[] public players;
    uint public ticketPrice = 0.05 ether;
    uint public maxPlayers = 100;
    uint public round = 1;

    event Entered(address player, uint round);
    event Winner(address player, uint prize, uint round);

    function PotLottery() public {
        owner = msg.sender;
    }

    function enter() public payable {
        require(msg.value == ticketPrice);
        require(players.length < maxPlayers);
        players.push(msg.sender);
        emit Entered(msg.sender, round);
    }

    function draw() public {
        require(players.length >= 3);
        // vuln: bad_randomness
        uint index = uint(block.blockhash(block.number - 1)) % players.length;
        address winner = players[index];
        uint prize = this.balance * 95 / 100;
        delete players;
        round++;
        winner.transfer(prize);
        owner.transfer(this.balance);
        emit Winner(winner, prize, round - 1);
    }

    function playerCount() public view returns (uint) {
        return players.length;
    }
}
