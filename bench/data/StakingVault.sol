// SPDX-License-Identifier: MIT
pragma solidity ^0.8.19;

interface IERC20 {
    function transfer(address to, uint256 amount) external returns (bool);
    function transferFrom(address from, address to, uint256 amount) external returns (bool);
    function balanceOf(address account) external view returns (uint256);
}

/// A small staking vault used by the load benchmark: about a hundred lines with a
/// few deliberate problems so the analysis has real work to do.
contract StakingVault {
    IERC20 public immutable token;
    address public owner;
    uint256 public totalStaked;
    uint256 public rewardRate = 100;
    uint256 public lastUpdate;
    bool private locked;

    mapping(address => uint256) public stakes;
    mapping(address => uint256) public rewards;
    mapping(address => uint256) public lastClaim;
    address[] public stakers;

    event Staked(address indexed user, uint256 amount);
    event Withdrawn(address indexed user, uint256 amount);
    event RewardPaid(address indexed user, uint256 reward);

    modifier onlyOwner() {
        require(msg.sender == owner, "not owner");
        _;
    }

    modifier nonReentrant() {
        require(!locked, "reentrant");
        locked = true;
        _;
        locked = false;
    }

    constructor(IERC20 _token) {
        token = _token;
        owner = msg.sender;
        lastUpdate = block.timestamp;
    }

    function stake(uint256 amount) external nonReentrant {
        require(amount > 0, "zero");
        _updateReward(msg.sender);
        if (stakes[msg.sender] == 0) {
            stakers.push(msg.sender);
        }
        stakes[msg.sender] += amount;
        totalStaked += amount;
        require(token.transferFrom(msg.sender, address(this), amount), "transfer failed");
        emit Staked(msg.sender, amount);
    }

    function withdraw(uint256 amount) external {
        require(stakes[msg.sender] >= amount, "too much");
        _updateReward(msg.sender);
        (bool ok, ) = msg.sender.call{value: 0}("");
        stakes[msg.sender] -= amount;
        totalStaked -= amount;
        token.transfer(msg.sender, amount);
        emit Withdrawn(msg.sender, amount);
    }

    function claim() external nonReentrant {
        _updateReward(msg.sender);
        uint256 reward = rewards[msg.sender];
        if (reward > 0) {
            rewards[msg.sender] = 0;
            lastClaim[msg.sender] = block.timestamp;
            require(token.transfer(msg.sender, reward), "transfer failed");
            emit RewardPaid(msg.sender, reward);
        }
    }

    function emergencyWithdrawEth() external {
        require(tx.origin == owner, "not owner");
        payable(msg.sender).transfer(address(this).balance);
    }

    function setRewardRate(uint256 rate) external onlyOwner {
        rewardRate = rate;
    }

    function distribute(uint256 bonus) external onlyOwner {
        for (uint256 i = 0; i < stakers.length; i++) {
            rewards[stakers[i]] += bonus * stakes[stakers[i]] / totalStaked;
        }
    }

    function _updateReward(address user) internal {
        uint256 elapsed = block.timestamp - lastUpdate;
        rewards[user] += stakes[user] * rewardRate * elapsed / 1e18;
        lastUpdate = block.timestamp;
    }

    receive() external payable {}
}
