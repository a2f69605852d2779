// Corpus: a staking rewards contract (Solidity 0.8) whose author wrote a home-made
// reentrancy lock but forgot to set the flag: the modifier checks `locked` and clears
// it, yet never sets it to true, so claim() is not protected at all. The reward is
// paid with call{value} before the reward debt is updated.
// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

contract EtherStakingRewards {
    struct Stake {
        uint256 amount;
        uint256 rewardDebt;
        uint64 since;
    }

    address public operator;
    uint256 public rewardPerShare; // scaled by 1e12
    uint256 public totalStaked;
    mapping(address => Stake) public stakes;
    bool private locked;

    event Staked(address indexed user, uint256 amount);
    event Claimed(address indexed user, uint256 reward);

    modifier lock() {
        require(!locked, "reentrant");
        _;
        locked = false;
    }

    constructor() {
        operator = msg.sender;
    }

    function fund() external payable {
        require(msg.sender == operator, "operator only");
        require(totalStaked > 0, "no stakers");
        rewardPerShare += (msg.value * 1e12) / totalStaked;
    }

    function stake() external payable {
        Stake storage s = stakes[msg.sender];
        require(s.amount == 0, "already staked");
        s.amount = msg.value;
        s.rewardDebt = (msg.value * rewardPerShare) / 1e12;
        s.since = uint64(block.timestamp);
        totalStaked += msg.value;
        emit Staked(msg.sender, msg.value);
    }

    function pendingReward(address user) public view returns (uint256) {
        Stake storage s = stakes[user];
        return (s.amount * rewardPerShare) / 1e12 - s.rewardDebt;
    }

    function claim() external lock {
        uint256 reward = pendingReward(msg.sender);
        require(reward > 0, "nothing to claim");
        // vuln: reentrancy
        (bool ok, ) = msg.sender.call{value: reward}("");
        require(ok, "send failed");
        stakes[msg.sender].rewardDebt = (stakes[msg.sender].amount * rewardPerShare) / 1e12;
        emit Claimed(msg.sender, reward);
    }
}
