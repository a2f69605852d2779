// Safe corpus: a token timelock (Solidity 0.8). Funds unlock after a release time that
// is at least 30 days away; miners can shift block timestamps by seconds, which cannot
// matter at this scale. Only the beneficiary receives the tokens, and the transfer's
// result is required.
// SPDX-License-Identifier: MIT
pragma solidity ^0.8.0;

interface IERC20 {
    function transfer(address to, uint256 amount) external returns (bool);
    function balanceOf(address account) external view returns (uint256);
}

contract TokenTimelock {
    IERC20 public immutable token;
    address public immutable beneficiary;
    uint256 public immutable releaseTime;

    event Released(uint256 amount);

    constructor(IERC20 token_, address beneficiary_, uint256 lockDays) {
        require(beneficiary_ != address(0), "zero beneficiary");
        require(lockDays >= 30, "lock too short");
        token = token_;
        beneficiary = beneficiary_;
        releaseTime = block.timestamp + lockDays * 1 days;
    }

    function release() external {
        require(block.timestamp >= releaseTime, "still locked");
        uint256 amount = token.balanceOf(address(this));
        require(amount > 0, "nothing to release");
        require(token.transfer(beneficiary, amount), "transfer failed");
        emit Released(amount);
    }
}
