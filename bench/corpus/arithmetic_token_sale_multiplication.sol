// Corpus: a fixed-price token sale (Solidity 0.5). buy() checks the ether sent equals
// numTokens * PRICE; with numTokens large enough the product wraps around, so the
// buyer pays a few wei for an enormous number of tokens, and sell() then pays out
// real ether for them.
pragma solidity ^0.5.4;

contract FixedPriceSale {
    mapping(address => uint256) public balanceOf;
    uint256 public constant PRICE_PER_TOKEN = 1 ether;
    uint256 public sold;
    address payable public seller;

    event Bought(address buyer, uint256 tokens);
    event Sold(address holder, uint256 tokens);

    constructor() public payable {
        require(msg.value == 1 ether, "seed the sale with 1 ether");
        seller = msg.sender;
    }

    function isComplete() public view returns (bool) {
        return address(this).balance < 1 ether;
    }

    function buy(uint256 numTokens) public payable {
        // vuln: arithmetic
        require(msg.value == numTokens * PRICE_PER_TOKEN, "wrong payment");
        // vuln: arithmetic
        balanceOf[msg.sender] += numTokens;
        sold += numTokens;
        emit Bought(msg.sender, numTokens);
    }

    function sell(uint256 numTokens) public {
        require(balanceOf[msg.sender] >= numTokens, "not enough tokens");
        balanceOf[msg.sender] -= numTokens;
        sold -= numTokens;
        msg.sender.transfer(numTokens * PRICE_PER_TOKEN);
        emit Sold(msg.sender, numTokens);
    }
}
