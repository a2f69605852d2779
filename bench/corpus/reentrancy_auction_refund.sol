// Corpus: an English auction with refund accounting (Solidity 0.4). Outbid bidders
// have a pending refund; withdrawRefund() pays it with call.value and zeroes it after
// the call. The refund balance is also consulted by bid(), so re-entry lets a bidder
// both drain refunds and reuse them.
pragma solidity ^0.4.24;

contract RefundAuction {
    address public seller;
    uint public endTime;
    address public highestBidder;
    uint public highestBid;
    bool public ended;
    mapping(address => uint) public refunds;

    event HighestBidIncreased(address bidder, uint amount);
    event AuctionEnded(address winner, uint amount);

    constructor(uint biddingTime) public {
        seller = msg.sender;
        endTime = now + biddingTime;
    }

    function bid() public payable {
        require(!ended);
        uint total = msg.value + refunds[msg.sender];
        require(total > highestBid);
        refunds[msg.sender] = 0;
        if (highestBidder != address(0)) {
            refunds[highestBidder] += highestBid;
        }
        highestBidder = msg.sender;
        highestBid = total;
        emit HighestBidIncreased(msg.sender, total);
    }

    function withdrawRefund() public returns (bool) {
        uint amount = refunds[msg.sender];
        if (amount > 0) {
            // vuln: reentrancy
            if (!msg.sender.call.value(amount)()) {
                return false;
            }
            refunds[msg.sender] = 0;
        }
        return true;
    }

    function endAuction() public {
        require(!ended);
        require(now >= endTime);
        ended = true;
        emit AuctionEnded(highestBidder, highestBid);
        seller.transfer(highestBid);
    }
}
