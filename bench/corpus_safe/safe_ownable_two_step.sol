// Safe corpus: a fee collector (Solidity 0.8) with two-step ownership transfer. Every
// privileged function is onlyOwner; the new owner must accept, and the pending owner
// can only be set by the current owner.
// SPDX-License-Identifier: MIT
pragma solidity ^0.8.9;

contract OwnedFeeCollector {
    address public owner;
    address public pendingOwner;
    uint256 public feeBps = 30;

    event OwnershipTransferStarted(address indexed previousOwner, address indexed newOwner);
    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);
    event FeePaid(address indexed payer, uint256 amount);

    modifier onlyOwner() {
        require(msg.sender == owner, "caller is not the owner");
        _;
    }

    constructor() {
        owner = msg.sender;
        emit OwnershipTransferred(address(0), msg.sender);
    }

    function payFee() external payable {
        require(msg.value > 0, "no fee");
        emit FeePaid(msg.sender, msg.value);
    }

    function setFee(uint256 bps) external onlyOwner {
        require(bps <= 500, "fee too high");
        feeBps = bps;
    }

    function transferOwnership(address newOwner) external onlyOwner {
        pendingOwner = newOwner;
        emit OwnershipTransferStarted(owner, newOwner);
    }

    function acceptOwnership() external {
        require(msg.sender == pendingOwner, "caller is not the new owner");
        emit OwnershipTransferred(owner, pendingOwner);
        owner = pendingOwner;
        pendingOwner = address(0);
    }

    function withdraw(address payable to) external onlyOwner {
        require(to != address(0), "zero address");
        (bool ok, ) = to.call{value: address(this).balance}("");
        require(ok, "withdraw failed");
    }
}
