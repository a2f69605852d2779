// Corpus: a token-for-ether exchange desk (Solidity 0.5). The operator sets the rate at
// which it buys tokens back; sellTokens() uses the rate current at execution. The
// operator can lower the rate in front of a pending sale (or a rate update can land
// before or after a user's sale by chance), and the seller gets whatever rate applies.
pragma solidity ^0.5.10;

contract TokenLike {
    function transferFrom(address from, address to, uint256 value) public returns (bool);
}

contract BuybackDesk {
    address payable public operator;
    TokenLike public token;
    uint256 public rate; // wei paid per token unit

    event RateUpdated(uint256 rate);
    event Sold(address seller, uint256 amount, uint256 paid);

    constructor(TokenLike token_, uint256 rate_) public payable {
        operator = msg.sender;
        token = token_;
        rate = rate_;
    }

    function updateRate(uint256 newRate) public {
        require(msg.sender == operator, "operator only");
        rate = newRate;
        emit RateUpdated(newRate);
    }

    function sellTokens(uint256 amount) public {
        require(token.transferFrom(msg.sender, address(this), amount), "pull failed");
        // vuln: front_running
        uint256 payment = amount * rate;
        require(payment / rate == amount, "overflow");
        msg.sender.transfer(payment);
        emit Sold(msg.sender, amount, payment);
    }

    function topUp() public payable {}
}
