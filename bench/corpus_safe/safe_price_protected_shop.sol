// Safe corpus: a token shop (Solidity 0.8) where the owner can change the price, but
// every purchase states the highest price the buyer accepts and a deadline, so a price
// change in front of a pending purchase makes it revert instead of overcharging.
// SPDX-License-Identifier: MIT
pragma solidity ^0.8.4;

interface IERC20 {
    function transfer(address to, uint256 amount) external returns (bool);
}

contract ProtectedTokenShop {
    IERC20 public immutable token;
    address public immutable owner;
    uint256 public pricePerToken;

    event PriceChanged(uint256 oldPrice, uint256 newPrice);
    event Purchased(address indexed buyer, uint256 tokens, uint256 paid);

    constructor(IERC20 token_, uint256 price) {
        require(price > 0, "zero price");
        token = token_;
        owner = msg.sender;
        pricePerToken = price;
    }

    function setPrice(uint256 price) external {
        require(msg.sender == owner, "owner only");
        require(price > 0, "zero price");
        emit PriceChanged(pricePerToken, price);
        pricePerToken = price;
    }

    function buy(uint256 maxPricePerToken, uint256 deadline) external payable {
        require(block.timestamp <= deadline, "expired");
        uint256 price = pricePerToken;
        require(price <= maxPricePerToken, "price moved");
        uint256 tokens = (msg.value * 1e18) / price;
        require(tokens > 0, "too little");
        require(token.transfer(msg.sender, tokens), "transfer failed");
        emit Purchased(msg.sender, tokens, msg.value);
    }

    function withdraw() external {
        require(msg.sender == owner, "owner only");
        (bool ok, ) = payable(owner).call{value: address(this).balance}("");
        require(ok, "withdraw failed");
    }
}
