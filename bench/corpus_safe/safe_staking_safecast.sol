// Safe corpus: a packed staking pool (Solidity 0.8) that bounds every downcast before
// performing it (a SafeCast-style helper) and multiplies before dividing when computing
// rewards.
// SPDX-License-Identifier: MIT
pragma solidity ^0.8.17;

interface IERC20 {
    function transferFrom(address from, address to, uint256 amount) external returns (bool);
    function transfer(address to, uint256 amount) external returns (bool);
}

library SafeCast96 {
    function toUint96(uint256 value) internal pure returns (uint96) {
        require(value <= type(uint96).max, "value does not fit in 96 bits");
        return uint96(value);
    }
}

contract SafePackedStaking {
    using SafeCast96 for uint256;

    struct Position {
        uint96 amount;
        uint64 since;
    }

    IERC20 public immutable stakingToken;
    uint256 public constant RATE_BPS_PER_YEAR = 800;
    uint256 public totalStaked;
    mapping(address => Position) public positions;

    constructor(IERC20 token) {
        stakingToken = token;
    }

    function stake(uint256 amount) external {
        require(amount > 0, "zero");
        Position storage p = positions[msg.sender];
        uint256 updated = uint256(p.amount) + amount;
        p.amount = updated.toUint96();
        p.since = uint64(block.timestamp);
        totalStaked += amount;
        require(stakingToken.transferFrom(msg.sender, address(this), amount), "pull failed");
    }

    function reward(address user) public view returns (uint256) {
        Position memory p = positions[user];
        uint256 elapsed = block.timestamp - p.since;
        return (uint256(p.amount) * RATE_BPS_PER_YEAR * elapsed) / (10_000 * 365 days);
    }

    function withdraw() external {
        Position memory p = positions[msg.sender];
        require(p.amount > 0, "no position");
        delete positions[msg.sender];
        totalStaked -= p.amount;
        require(stakingToken.transfer(msg.sender, p.amount), "transfer failed");
    }
}
