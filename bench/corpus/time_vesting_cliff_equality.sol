// Corpus: a team vesting contract (Solidity 0.8) that releases a bonus tranche only if
// release() is called in the exact second the cliff ends (block.timestamp == cliff).
// Whether the bonus is ever paid depends on a block landing at that timestamp - the
// block producer decides, and in practice it is almost never paid.
// SPDX-License-Identifier: MIT
pragma solidity ^0.8.0;

interface IERC20 {
    function transfer(address to, uint256 amount) external returns (bool);
}

contract TeamVesting {
    IERC20 public immutable token;
    address public immutable beneficiary;
    uint256 public immutable start;
    uint256 public immutable cliff;
    uint256 public immutable duration;
    uint256 public immutable total;
    uint256 public immutable cliffBonus;
    uint256 public released;
    bool public bonusReleased;

    constructor(IERC20 token_, address beneficiary_, uint256 total_, uint256 bonus_) {
        token = token_;
        beneficiary = beneficiary_;
        start = block.timestamp;
        cliff = block.timestamp + 365 days;
        duration = 4 * 365 days;
        total = total_;
        cliffBonus = bonus_;
    }

    function vested() public view returns (uint256) {
        if (block.timestamp < cliff) return 0;
        if (block.timestamp >= start + duration) return total;
        return (total * (block.timestamp - start)) / duration;
    }

    function release() external {
        uint256 amount = vested() - released;
        released += amount;
        // vuln: time_manipulation
        if (block.timestamp == cliff && !bonusReleased) {
            bonusReleased = true;
            amount += cliffBonus;
        }
        require(token.transfer(beneficiary, amount), "transfer failed");
    }
}
