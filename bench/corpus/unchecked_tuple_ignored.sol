// Corpus: a marketplace escrow (Solidity 0.8). When a sale completes, the seller's
// proceeds and the platform fee are sent with call{value}. The success flags are
// captured into variables but never checked, so a reverting seller contract leaves
// the sale marked settled while the ether stays behind.
// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

contract MarketplaceEscrow {
    enum State { None, Funded, Shipped, Settled, Refunded }

    struct Sale {
        address payable seller;
        address buyer;
        uint256 price;
        State state;
    }

    address payable public platform;
    uint256 public feeBps = 250;
    uint256 public nextId;
    mapping(uint256 => Sale) public sales;

    event Listed(uint256 id, address seller, uint256 price);
    event Settled(uint256 id);

    constructor(address payable platform_) {
        platform = platform_;
    }

    function list(uint256 price) external returns (uint256 id) {
        id = nextId++;
        sales[id] = Sale(payable(msg.sender), address(0), price, State.None);
        emit Listed(id, msg.sender, price);
    }

    function buy(uint256 id) external payable {
        Sale storage s = sales[id];
        require(s.state == State.None && s.price > 0, "not for sale");
        require(msg.value == s.price, "wrong price");
        s.buyer = msg.sender;
        s.state = State.Funded;
    }

    function markShipped(uint256 id) external {
        Sale storage s = sales[id];
        require(msg.sender == s.seller && s.state == State.Funded, "bad state");
        s.state = State.Shipped;
    }

    function confirmReceipt(uint256 id) external {
        Sale storage s = sales[id];
        require(msg.sender == s.buyer && s.state == State.Shipped, "bad state");
        s.state = State.Settled;
        uint256 fee = (s.price * feeBps) / 10_000;
        // vuln: unchecked_call
        (bool sellerPaid, ) = s.seller.call{value: s.price - fee}("");
        // vuln: unchecked_call
        (bool feePaid, ) = platform.call{value: fee}("");
        emit Settled(id);
    }
}
