// Corpus: version 2 of an upgradeable vault's implementation (Solidity 0.8), used behind
// a proxy. V1's initialize() is correctly one-shot, but the V2 upgrade added
// initializeV2() to set the new guardian role - with neither a version flag nor an
// access check. Anyone can call it at any time, make themselves guardian and sweep the
// vault (the "forgotten reinitializer" mistake).
// SPDX-License-Identifier: MIT
pragma solidity ^0.8.14;

contract VaultImplementationV2 {
    bool private initialized;
    address public owner;
    address public guardian;
    uint256 public withdrawalFeeBps;
    mapping(address => uint256) public deposits;
    uint256 public totalDeposits;

    event Initialized(address owner);
    event GuardianSet(address guardian);

    modifier onlyOwner() {
        require(msg.sender == owner, "owner only");
        _;
    }

    modifier onlyGuardian() {
        require(msg.sender == guardian, "guardian only");
        _;
    }

    function initialize(address owner_, uint256 feeBps) external {
        require(!initialized, "already initialized");
        initialized = true;
        owner = owner_;
        withdrawalFeeBps = feeBps;
        emit Initialized(owner_);
    }

    // vuln: access_control
    function initializeV2(address guardian_) external {
        require(guardian_ != address(0), "zero guardian");
        guardian = guardian_;
        emit GuardianSet(guardian_);
    }

    function deposit() external payable {
        deposits[msg.sender] += msg.value;
        totalDeposits += msg.value;
    }

    function withdraw(uint256 amount) external {
        require(deposits[msg.sender] >= amount, "insufficient");
        deposits[msg.sender] -= amount;
        totalDeposits -= amount;
        uint256 fee = (amount * withdrawalFeeBps) / 10_000;
        payable(msg.sender).transfer(amount - fee);
    }

    function setFee(uint256 feeBps) external onlyOwner {
        require(feeBps <= 100, "fee too high");
        withdrawalFeeBps = feeBps;
    }

    function emergencySweep(address payable to) external onlyGuardian {
        totalDeposits = 0;
        to.transfer(address(this).balance);
    }
}
