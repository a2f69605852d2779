// Corpus: a token crowdsale (Solidity 0.5) with an early-bird bonus that lasts only the
// first 60 seconds after the opening time, and ends the sale at a hard close. The
// bonus window is so short that the block timestamp decides who receives 50% more
// tokens: the miner of the first block after opening can back-date it.
pragma solidity ^0.5.16;

contract EarlyBirdSale {
    address payable public wallet;
    uint256 public openingTime;
    uint256 public closingTime;
    uint256 public rate = 1000;
    uint256 public weiRaised;
    mapping(address => uint256) public purchased;

    event TokensPurchased(address indexed buyer, uint256 value, uint256 tokens);

    constructor(address payable wallet_, uint256 opening, uint256 closing) public {
        require(opening < closing, "bad window");
        wallet = wallet_;
        openingTime = opening;
        closingTime = closing;
    }

    function buyTokens() public payable {
        require(block.timestamp >= openingTime && block.timestamp <= closingTime, "not open");
        require(msg.value > 0, "zero");
        uint256 tokens = msg.value * rate;
        // vuln: time_manipulation
        if (block.timestamp < openingTime + 60) {
            tokens = tokens * 150 / 100;
        }
        weiRaised += msg.value;
        purchased[msg.sender] += tokens;
        wallet.transfer(msg.value);
        emit TokensPurchased(msg.sender, msg.value, tokens);
    }

    function () external payable {
        buyTokens();
    }
}
