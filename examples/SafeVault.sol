// SPDX-License-Identifier: MIT
pragma solidity 0.8.24;

/// A vault written carefully: checks-effects-interactions, a reentrancy lock, pull
/// payments and an owner check on the admin function. The analyzer should stay quiet.
contract SafeVault {
    error NotOwner();
    error Insufficient(uint256 available, uint256 requested);
    error TransferFailed();

    event Deposited(address indexed account, uint256 amount);
    event Withdrawn(address indexed account, uint256 amount);
    event FeeChanged(uint256 fee);

    address public immutable owner;
    uint256 public feeBasisPoints;
    mapping(address => uint256) public balanceOf;
    uint256 private locked = 1;

    modifier onlyOwner() {
        if (msg.sender != owner) revert NotOwner();
        _;
    }

    modifier nonReentrant() {
        require(locked == 1, "reentrant");
        locked = 2;
        _;
        locked = 1;
    }

    constructor() {
        owner = msg.sender;
    }

    function deposit() external payable {
        balanceOf[msg.sender] += msg.value;
        emit Deposited(msg.sender, msg.value);
    }

    function withdraw(uint256 amount) external nonReentrant {
        uint256 available = balanceOf[msg.sender];
        if (amount > available) revert Insufficient(available, amount);
        balanceOf[msg.sender] = available - amount;
        emit Withdrawn(msg.sender, amount);
        (bool ok, ) = msg.sender.call{value: amount}("");
        if (!ok) revert TransferFailed();
    }

    function setFee(uint256 newFee) external onlyOwner {
        require(newFee <= 100, "fee too high");
        feeBasisPoints = newFee;
        emit FeeChanged(newFee);
    }
}
