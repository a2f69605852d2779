// Corpus: a fixed-price token shop (Solidity 0.8). The owner can change the price at any
// time, and buy() charges whatever the price is when the transaction executes. The
// owner (or whoever controls the price feed) sees a large purchase pending, raises the
// price in front of it and the buyer pays far more than the quote they saw; buyers have
// no way to state the maximum price they accept.
// SPDX-License-Identifier: MIT
pragma solidity ^0.8.4;

interface IERC20 {
    function transfer(address to, uint256 amount) external returns (bool);
    function balanceOf(address account) external view returns (uint256);
}

contract TokenShop {
    IERC20 public immutable token;
    address public owner;
    uint256 public pricePerToken; // wei per whole token

    event PriceChanged(uint256 oldPrice, uint256 newPrice);
    event Purchased(address indexed buyer, uint256 tokens, uint256 paid);

    constructor(IERC20 token_, uint256 price) {
        token = token_;
        owner = msg.sender;
        pricePerToken = price;
    }

    function setPrice(uint256 price) external {
        require(msg.sender == owner, "owner only");
        emit PriceChanged(pricePerToken, price);
        pricePerToken = price;
    }

    function buy() external payable {
        // vuln: front_running
        uint256 tokens = (msg.value * 1e18) / pricePerToken;
        require(tokens > 0, "too little");
        require(token.transfer(msg.sender, tokens), "transfer failed");
        emit Purchased(msg.sender, tokens, msg.value);
    }

    function withdraw() external {
        require(msg.sender == owner, "owner only");
        payable(owner).transfer(address(this).balance);
    }
}
