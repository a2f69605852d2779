// Safe corpus: an English auction (Solidity 0.8) with pull payments. Outbid bidders are
// credited, not paid, and withdraw their refunds themselves after the credit is zeroed;
// a reverting bidder can only hurt itself. The end time is days away, so a few seconds
// of timestamp drift cannot decide the outcome.
// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

contract PullAuction {
    address payable public immutable seller;
    uint256 public immutable endTime;
    address public highestBidder;
    uint256 public highestBid;
    bool public ended;
    mapping(address => uint256) public pendingReturns;

    event HighestBidIncreased(address indexed bidder, uint256 amount);
    event AuctionEnded(address winner, uint256 amount);

    constructor(uint256 biddingDays) {
        require(biddingDays >= 1, "at least a day");
        seller = payable(msg.sender);
        endTime = block.timestamp + biddingDays * 1 days;
    }

    function bid() external payable {
        require(block.timestamp < endTime, "auction over");
        require(msg.value > highestBid, "bid too low");
        if (highestBidder != address(0)) {
            pendingReturns[highestBidder] += highestBid;
        }
        highestBidder = msg.sender;
        highestBid = msg.value;
        emit HighestBidIncreased(msg.sender, msg.value);
    }

    function withdraw() external returns (bool) {
        uint256 amount = pendingReturns[msg.sender];
        if (amount == 0) {
            return false;
        }
        pendingReturns[msg.sender] = 0;
        (bool ok, ) = payable(msg.sender).call{value: amount}("");
        require(ok, "refund failed");
        return true;
    }

    function endAuction() external {
        require(block.timestamp >= endTime, "not yet");
        require(!ended, "already ended");
        ended = true;
        emit AuctionEnded(highestBidder, highestBid);
        (bool ok, ) = seller.call{value: highestBid}("");
        require(ok, "payout failed");
    }
}
