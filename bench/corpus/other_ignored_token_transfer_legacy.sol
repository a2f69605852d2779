// Corpus: a token swap desk (Solidity 0.6) that sells a project token for ether at a
// fixed rate. It accepts payment, then calls token.transfer without looking at the
// result; with a token that returns false on failure (insufficient desk inventory) the
// buyer pays and receives nothing.
// SPDX-License-Identifier: MIT
pragma solidity ^0.6.12;

interface IToken {
    function transfer(address to, uint256 amount) external returns (bool);
    function balanceOf(address account) external view returns (uint256);
}

contract SwapDesk {
    IToken public token;
    address payable public owner;
    uint256 public constant RATE = 500;

    event Bought(address indexed buyer, uint256 paid, uint256 tokens);

    constructor(IToken token_) public {
        token = token_;
        owner = msg.sender;
    }

    function buy() external payable {
        require(msg.value > 0, "zero");
        uint256 amount = msg.value * RATE;
        // vuln: other
        token.transfer(msg.sender, amount);
        emit Bought(msg.sender, msg.value, amount);
    }

    function withdraw() external {
        require(msg.sender == owner, "owner only");
        owner.transfer(address(this).balance);
    }
}
