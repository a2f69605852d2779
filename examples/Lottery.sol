// SPDX-License-Identifier: MIT
pragma solidity ^0.8.19;

/// A weekly lottery with a few classic mistakes: the winner is drawn from block values,
/// anyone can trigger the draw, and the prize is pushed to the winner in a loop of refunds.
contract Lottery {
    address public owner;
    address[] public players;
    uint256 public ticketPrice = 0.01 ether;
    uint256 public lastDraw;

    constructor() {
        owner = msg.sender;
        lastDraw = block.timestamp;
    }

    function buy() external payable {
        require(msg.value == ticketPrice, "wrong price");
        players.push(msg.sender);
    }

    function draw() external {
        require(block.timestamp >= lastDraw + 7 days, "too early");
        uint256 index = uint256(keccak256(abi.encodePacked(block.timestamp, block.prevrandao, players.length))) % players.length;
        address winner = players[index];
        lastDraw = block.timestamp;
        delete players;
        payable(winner).transfer(address(this).balance);
    }

    function cancel() external {
        require(msg.sender == owner, "owner only");
        for (uint256 i = 0; i < players.length; i++) {
            payable(players[i]).transfer(ticketPrice);
        }
        delete players;
    }

    function setPrice(uint256 price) external {
        require(msg.sender == owner, "owner only");
        ticketPrice = price;
    }
}
