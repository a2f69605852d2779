// Corpus: a "penny auction" (Solidity 0.8). Each bid costs a fee and resets a 30-second
// countdown; when the countdown expires the last bidder claims the pot. With a 30-second
// window the block producer effectively decides whether a rival's bid lands before the
// deadline (it can set the timestamp past it), and so who wins the pot.
// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

contract PennyAuction {
    uint256 public constant BID_FEE = 0.001 ether;
    uint256 public constant COUNTDOWN = 30 seconds;

    address public lastBidder;
    uint256 public deadline;
    uint256 public pot;
    bool public claimed;

    event Bid(address indexed bidder, uint256 deadline);
    event Claimed(address indexed winner, uint256 pot);

    constructor() {
        deadline = block.timestamp + 1 days;
    }

    function bid() external payable {
        require(msg.value == BID_FEE, "fee");
        // vuln: time_manipulation
        require(block.timestamp < deadline, "auction over");
        lastBidder = msg.sender;
        pot += msg.value;
        deadline = block.timestamp + COUNTDOWN;
        emit Bid(msg.sender, deadline);
    }

    function claim() external {
        // vuln: time_manipulation
        require(block.timestamp >= deadline, "still running");
        require(!claimed, "claimed");
        require(msg.sender == lastBidder, "not the winner");
        claimed = true;
        uint256 amount = pot;
        pot = 0;
        (bool ok, ) = msg.sender.call{value: amount}("");
        require(ok, "payout failed");
        emit Claimed(msg.sender, amount);
    }
}
