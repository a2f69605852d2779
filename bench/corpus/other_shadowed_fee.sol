// Corpus: a marketplace base contract and a concrete market (Solidity 0.5). The base
// keeps `feePercent` and the admin setter updates it; the child re-declares its own
// `feePercent` and uses that one when charging. The admin believes the fee has been
// lowered but buyers keep paying the old fee.
pragma solidity ^0.5.0;

contract MarketBase {
    address public admin;
    uint256 public feePercent = 5;

    constructor() public {
        admin = msg.sender;
    }

    function setFee(uint256 percent) public {
        require(msg.sender == admin, "admin only");
        require(percent <= 10, "too high");
        feePercent = percent;
    }
}

contract ArtMarket is MarketBase {
    // vuln: other
    uint256 public feePercent = 5;
    mapping(uint256 => address payable) public sellerOf;
    mapping(uint256 => uint256) public priceOf;
    uint256 public collectedFees;

    function list(uint256 itemId, uint256 price) public {
        require(sellerOf[itemId] == address(0), "listed");
        sellerOf[itemId] = msg.sender;
        priceOf[itemId] = price;
    }

    function buy(uint256 itemId) public payable {
        require(sellerOf[itemId] != address(0), "not listed");
        require(msg.value == priceOf[itemId], "price");
        uint256 fee = msg.value * feePercent / 100;
        collectedFees += fee;
        address payable seller = sellerOf[itemId];
        delete sellerOf[itemId];
        seller.transfer(msg.value - fee);
    }

    function withdrawFees() public {
        require(msg.sender == admin, "admin only");
        uint256 amount = collectedFees;
        collectedFees = 0;
        msg.sender.transfer(amount);
    }
}
