// Corpus: a domain-name auction (Solidity 0.5). A new highest bid refunds the previous
// highest bidder immediately with call and requires it to succeed. A bidder contract
// that reverts on receiving ether becomes the permanent winner: every higher bid fails.
// The refund is also sent before highestBidder/highestBid change, so the outbid bidder
// can re-enter bid() with a higher bid and be refunded the old bid a second time.
pragma solidity ^0.5.17;

contract DomainAuction {
    address payable public highestBidder;
    uint256 public highestBid;
    uint256 public endTime;
    address payable public registrar;
    bytes32 public domain;
    bool public settled;

    event NewBid(address bidder, uint256 amount);

    constructor(bytes32 domain_, uint256 duration) public {
        registrar = msg.sender;
        domain = domain_;
        endTime = now + duration;
    }

    function bid() external payable {
        require(now < endTime, "ended");
        require(msg.value > highestBid, "bid too low");
        if (highestBidder != address(0)) {
            // vuln: denial_of_service, reentrancy
            (bool refunded, ) = highestBidder.call.value(highestBid)("");
            require(refunded, "refund failed");
        }
        highestBidder = msg.sender;
        highestBid = msg.value;
        emit NewBid(msg.sender, msg.value);
    }

    function settle() external {
        require(now >= endTime, "running");
        require(!settled, "settled");
        settled = true;
        registrar.transfer(highestBid);
    }
}
