// Corpus: a reward token for a game (Solidity 0.8). The game contract is supposed to be
// the only minter, and there is a `minters` mapping for it, but mint() forgot to
// consult it: anyone can mint themselves unlimited tokens and dump them.
// SPDX-License-Identifier: MIT
pragma solidity ^0.8.18;

contract GameRewardToken {
    string public name = "Game Reward";
    string public symbol = "GRW";
    uint8 public constant decimals = 18;
    uint256 public totalSupply;
    uint256 public immutable cap;
    address public admin;

    mapping(address => uint256) public balanceOf;
    mapping(address => mapping(address => uint256)) public allowance;
    mapping(address => bool) public minters;

    event Transfer(address indexed from, address indexed to, uint256 value);
    event Approval(address indexed owner, address indexed spender, uint256 value);
    event MinterSet(address indexed minter, bool enabled);

    constructor(uint256 cap_) {
        admin = msg.sender;
        cap = cap_;
    }

    function setMinter(address minter, bool enabled) external {
        require(msg.sender == admin, "admin only");
        minters[minter] = enabled;
        emit MinterSet(minter, enabled);
    }

    // vuln: access_control
    function mint(address to, uint256 amount) external {
        require(totalSupply + amount <= cap, "cap exceeded");
        totalSupply += amount;
        balanceOf[to] += amount;
        emit Transfer(address(0), to, amount);
    }

    function transfer(address to, uint256 amount) external returns (bool) {
        balanceOf[msg.sender] -= amount;
        balanceOf[to] += amount;
        emit Transfer(msg.sender, to, amount);
        return true;
    }

    function increaseAllowance(address spender, uint256 added) external returns (bool) {
        allowance[msg.sender][spender] += added;
        emit Approval(msg.sender, spender, allowance[msg.sender][spender]);
        return true;
    }

    function transferFrom(address from, address to, uint256 amount) external returns (bool) {
        allowance[from][msg.sender] -= amount;
        balanceOf[from] -= amount;
        balanceOf[to] += amount;
        emit Transfer(from, to, amount);
        return true;
    }
}
