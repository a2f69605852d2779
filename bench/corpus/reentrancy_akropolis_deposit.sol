// Corpus: a savings pool (Solidity 0.8) that accepts any whitelisted-by-nobody token
// and credits "pool shares" by measuring its balance before and after pulling the
// user's tokens - the pattern behind the 2020 Akropolis loss. The token address comes
// from the caller, so a fake token re-enters deposit() from inside transferFrom; both
// the inner and the outer deposit see the same balance increase and mint twice.
// SPDX-License-Identifier: MIT
pragma solidity ^0.8.4;

interface IERC20Like {
    function balanceOf(address account) external view returns (uint256);
    function transferFrom(address from, address to, uint256 amount) external returns (bool);
    function transfer(address to, uint256 amount) external returns (bool);
}

contract SavingsPool {
    address public owner;
    IERC20Like public immutable baseToken;
    mapping(address => uint256) public poolShares;
    uint256 public totalPoolShares;

    event Deposit(address indexed user, address indexed token, uint256 credited);
    event Withdraw(address indexed user, uint256 shares);

    constructor(IERC20Like base) {
        owner = msg.sender;
        baseToken = base;
    }

    function deposit(address token, uint256 amount) external {
        require(amount > 0, "zero amount");
        uint256 before = IERC20Like(token).balanceOf(address(this));
        // vuln: reentrancy
        IERC20Like(token).transferFrom(msg.sender, address(this), amount);
        uint256 received = IERC20Like(token).balanceOf(address(this)) - before;
        poolShares[msg.sender] += received;
        totalPoolShares += received;
        emit Deposit(msg.sender, token, received);
    }

    function withdraw(uint256 shares) external {
        require(poolShares[msg.sender] >= shares, "not enough shares");
        poolShares[msg.sender] -= shares;
        totalPoolShares -= shares;
        require(baseToken.transfer(msg.sender, shares), "transfer failed");
        emit Withdraw(msg.sender, shares);
    }
}
