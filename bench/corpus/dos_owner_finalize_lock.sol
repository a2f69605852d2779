// Corpus: a presale vault (Solidity 0.8). Buyers deposit ether; they can only withdraw
// or claim once the owner calls finalize(). There is no deadline after which buyers can
// act on their own, so if the owner loses the key (or simply never finalises) every
// deposit is locked for good.
// SPDX-License-Identifier: MIT
pragma solidity ^0.8.1;

contract PresaleVault {
    address public owner;
    bool public finalized;
    bool public succeeded;
    uint256 public totalRaised;
    uint256 public hardCap;
    mapping(address => uint256) public deposits;

    event Deposited(address indexed buyer, uint256 amount);
    event Finalized(bool succeeded);

    constructor(uint256 cap) {
        owner = msg.sender;
        hardCap = cap;
    }

    function deposit() external payable {
        require(!finalized, "finalized");
        require(totalRaised + msg.value <= hardCap, "cap");
        deposits[msg.sender] += msg.value;
        totalRaised += msg.value;
        emit Deposited(msg.sender, msg.value);
    }

    function finalize(bool success) external {
        require(msg.sender == owner, "owner only");
        require(!finalized, "already");
        finalized = true;
        succeeded = success;
        if (success) {
            payable(owner).transfer(totalRaised);
        }
        emit Finalized(success);
    }

    function refund() external {
        // vuln: denial_of_service
        require(finalized && !succeeded, "not refundable");
        uint256 amount = deposits[msg.sender];
        deposits[msg.sender] = 0;
        payable(msg.sender).transfer(amount);
    }
}
