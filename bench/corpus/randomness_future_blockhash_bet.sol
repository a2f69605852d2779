// Corpus: a number-betting game in the style of SmartBillions (Solidity 0.4). A bet
// records the block number at which it will be resolved; the result is taken from
// block.blockhash(betBlock). After 256 blocks blockhash returns 0, so a player who
// waits knows the "random" number in advance and only collects winning bets.
pragma solidity ^0.4.18;

contract BlockBets {
    struct Bet {
        uint8 guess;
        uint64 blockNumber;
        uint amount;
    }

    address public house;
    uint public maxBet = 1 ether;
    mapping(address => Bet) public bets;

    event BetPlaced(address player, uint8 guess, uint64 blockNumber);
    event BetResolved(address player, uint8 result, uint payout);

    function BlockBets() public payable {
        house = msg.sender;
    }

    function placeBet(uint8 guess) public payable {
        require(msg.value > 0 && msg.value <= maxBet);
        require(bets[msg.sender].amount == 0);
        require(guess < 16);
        bets[msg.sender] = Bet(guess, uint64(block.number + 1), msg.value);
        BetPlaced(msg.sender, guess, uint64(block.number + 1));
    }

    function resolve() public {
        Bet memory bet = bets[msg.sender];
        require(bet.amount > 0);
        require(block.number > bet.blockNumber);
        // vuln: bad_randomness
        uint8 result = uint8(uint(block.blockhash(bet.blockNumber)) % 16);
        delete bets[msg.sender];
        uint payout = 0;
        if (result == bet.guess) {
            payout = bet.amount * 15;
            msg.sender.transfer(payout);
        }
        BetResolved(msg.sender, result, payout);
    }

    function fund() public payable {}
}
