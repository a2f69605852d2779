// Corpus: a wrapped-ether style token (Solidity 0.8). withdrawAll() sends the ether
// before zeroing the caller's token balance. Even if the attacker cannot re-enter
// withdrawAll itself profitably, during the call it can invoke transfer() - a
// different public function that reads the stale balance - and move the same
// tokens to a second address, then collect ether for them again (cross-function
// reentrancy).
// SPDX-License-Identifier: MIT
pragma solidity ^0.8.19;

contract WrappedEther {
    string public constant name = "Wrapped Ether";
    string public constant symbol = "WETH";
    uint8 public constant decimals = 18;

    mapping(address => uint256) public balanceOf;
    mapping(address => mapping(address => uint256)) public allowance;
    bool private paused;
    address public guardian;

    event Transfer(address indexed from, address indexed to, uint256 value);
    event Approval(address indexed owner, address indexed spender, uint256 value);

    constructor() {
        guardian = msg.sender;
    }

    function deposit() public payable {
        balanceOf[msg.sender] += msg.value;
        emit Transfer(address(0), msg.sender, msg.value);
    }

    function transfer(address to, uint256 amount) external returns (bool) {
        require(!paused, "paused");
        require(balanceOf[msg.sender] >= amount, "balance");
        balanceOf[msg.sender] -= amount;
        balanceOf[to] += amount;
        emit Transfer(msg.sender, to, amount);
        return true;
    }

    function withdrawAll() external {
        uint256 amount = balanceOf[msg.sender];
        require(amount > 0, "empty");
        // vuln: reentrancy
        (bool sent, ) = payable(msg.sender).call{value: amount}("");
        require(sent, "send failed");
        balanceOf[msg.sender] = 0;
        emit Transfer(msg.sender, address(0), amount);
    }

    function setPaused(bool value) external {
        require(msg.sender == guardian, "guardian");
        paused = value;
    }

    receive() external payable {
        deposit();
    }
}
