// Corpus: a fee collector (Solidity 0.8) with a two-function ownership API. The author
// protected withdraw() but transferOwnership() has no check, so anyone takes ownership
// and then withdraws the collected fees.
// SPDX-License-Identifier: MIT
pragma solidity ^0.8.9;

contract FeeCollector {
    address public owner;
    uint256 public feeBps = 30;
    uint256 public collected;
    mapping(address => uint256) public paidBy;

    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);
    event FeePaid(address indexed payer, uint256 amount);

    modifier onlyOwner() {
        require(msg.sender == owner, "Ownable: caller is not the owner");
        _;
    }

    constructor() {
        owner = msg.sender;
        emit OwnershipTransferred(address(0), msg.sender);
    }

    function payFee() external payable {
        require(msg.value > 0, "no fee");
        paidBy[msg.sender] += msg.value;
        collected += msg.value;
        emit FeePaid(msg.sender, msg.value);
    }

    function quote(uint256 amount) external view returns (uint256) {
        return (amount * feeBps) / 10_000;
    }

    function setFee(uint256 bps) external onlyOwner {
        require(bps <= 500, "fee too high");
        feeBps = bps;
    }

    // vuln: access_control
    function transferOwnership(address newOwner) public {
        require(newOwner != address(0), "Ownable: new owner is the zero address");
        emit OwnershipTransferred(owner, newOwner);
        owner = newOwner;
    }

    function withdraw(address payable to) external onlyOwner {
        uint256 amount = address(this).balance;
        collected = 0;
        (bool ok, ) = to.call{value: amount}("");
        require(ok, "withdraw failed");
    }
}
