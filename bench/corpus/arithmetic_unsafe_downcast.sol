// Corpus: a staking pool (Solidity 0.8) that packs each position into one slot with
// uint96 amounts and uint32 timestamps. stake() casts the caller's uint256 amount to
// uint96 without a bound check; the cast silently truncates, so staking
// 2^96 + 1 wei-tokens records a stake of 1 while the pool's uint256 total counts the
// full amount (and withdrawals of other users break).
// SPDX-License-Identifier: MIT
pragma solidity ^0.8.17;

interface IERC20 {
    function transferFrom(address from, address to, uint256 amount) external returns (bool);
    function transfer(address to, uint256 amount) external returns (bool);
}

contract PackedStakingPool {
    struct Position {
        uint96 amount;
        uint32 since;
        uint128 rewardDebt;
    }

    IERC20 public immutable stakingToken;
    address public immutable distributor;
    uint256 public totalStaked;
    uint256 public accRewardPerToken;
    mapping(address => Position) public positions;

    event Staked(address indexed user, uint256 amount);
    event Withdrawn(address indexed user, uint256 amount);

    constructor(IERC20 token) {
        stakingToken = token;
        distributor = msg.sender;
    }

    function notifyReward(uint256 amount) external {
        require(msg.sender == distributor, "distributor only");
        require(totalStaked > 0, "nothing staked");
        require(stakingToken.transferFrom(msg.sender, address(this), amount), "pull failed");
        accRewardPerToken += (amount * 1e18) / totalStaked;
    }

    function stake(uint256 amount) external {
        require(amount > 0, "zero");
        require(stakingToken.transferFrom(msg.sender, address(this), amount), "pull failed");
        Position storage p = positions[msg.sender];
        // vuln: arithmetic
        p.amount += uint96(amount);
        p.since = uint32(block.timestamp);
        // vuln: arithmetic
        p.rewardDebt = uint128(amount * accRewardPerToken / 1e18);
        totalStaked += amount;
        emit Staked(msg.sender, amount);
    }

    function withdraw() external {
        Position memory p = positions[msg.sender];
        require(p.amount > 0, "no position");
        delete positions[msg.sender];
        totalStaked -= p.amount;
        require(stakingToken.transfer(msg.sender, p.amount), "transfer failed");
        emit Withdrawn(msg.sender, p.amount);
    }
}
