// Corpus: a points ledger for a loyalty programme (Solidity 0.8). To save gas the author
// wrapped the redemption arithmetic in `unchecked`, reasoning that the frontend never
// asks for more points than a user has. redeem() takes the amount from the caller, so
// redeeming more than the balance wraps it to nearly 2^256 points.
// SPDX-License-Identifier: MIT
pragma solidity ^0.8.4;

contract LoyaltyPoints {
    address public merchant;
    mapping(address => uint256) public points;
    mapping(address => uint256) public lifetime;
    uint256 public outstanding;

    event Earned(address indexed customer, uint256 amount);
    event Redeemed(address indexed customer, uint256 amount, bytes32 reward);

    error NotMerchant();

    constructor() {
        merchant = msg.sender;
    }

    function award(address customer, uint256 amount) external {
        if (msg.sender != merchant) revert NotMerchant();
        points[customer] += amount;
        lifetime[customer] += amount;
        outstanding += amount;
        emit Earned(customer, amount);
    }

    function redeem(uint256 amount, bytes32 reward) external {
        unchecked {
            // vuln: arithmetic
            points[msg.sender] -= amount;
            outstanding -= amount;
        }
        emit Redeemed(msg.sender, amount, reward);
    }

    function transferPoints(address to, uint256 amount) external {
        require(points[msg.sender] >= amount, "not enough points");
        unchecked {
            points[msg.sender] -= amount;
        }
        points[to] += amount;
    }
}
