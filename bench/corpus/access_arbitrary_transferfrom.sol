// Corpus: a staking router (Solidity 0.8) that pulls tokens on behalf of users who
// approved it. stakeFor() takes the `from` address as a parameter and never checks
// that the caller is `from`: anyone can move the tokens of every user who approved
// the router into a stake credited to the attacker.
// SPDX-License-Identifier: MIT
pragma solidity ^0.8.16;

interface IERC20 {
    function transferFrom(address from, address to, uint256 amount) external returns (bool);
    function transfer(address to, uint256 amount) external returns (bool);
}

contract StakingRouter {
    IERC20 public immutable token;
    address public immutable vault;
    mapping(address => uint256) public staked;
    uint256 public totalStaked;

    event Staked(address indexed beneficiary, address indexed payer, uint256 amount);
    event Unstaked(address indexed account, uint256 amount);

    constructor(IERC20 token_, address vault_) {
        token = token_;
        vault = vault_;
    }

    function stake(uint256 amount) external {
        require(token.transferFrom(msg.sender, address(this), amount), "pull failed");
        staked[msg.sender] += amount;
        totalStaked += amount;
        emit Staked(msg.sender, msg.sender, amount);
    }

    function stakeFor(address from, address beneficiary, uint256 amount) external {
        // vuln: access_control
        require(token.transferFrom(from, address(this), amount), "pull failed");
        staked[beneficiary] += amount;
        totalStaked += amount;
        emit Staked(beneficiary, from, amount);
    }

    function unstake(uint256 amount) external {
        require(staked[msg.sender] >= amount, "too much");
        staked[msg.sender] -= amount;
        totalStaked -= amount;
        require(token.transfer(msg.sender, amount), "transfer failed");
        emit Unstaked(msg.sender, amount);
    }
}
