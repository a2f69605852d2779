// Corpus: a rental deposit contract (Solidity 0.8). Two checks were written as bare
// comparisons instead of require(...): they compute a bool and discard it, so a tenant
// can reclaim a deposit before the lease ends and a landlord can deduct more than was
// deposited (the later subtraction reverts, blocking the tenant's refund).
// SPDX-License-Identifier: MIT
pragma solidity ^0.8.11;

contract RentalDeposit {
    address public landlord;
    address public tenant;
    uint256 public deposit;
    uint256 public leaseEnd;
    uint256 public deductions;

    event Deducted(uint256 amount, string reason);
    event Reclaimed(uint256 amount);

    constructor(address tenant_, uint256 leaseEnd_) {
        landlord = msg.sender;
        tenant = tenant_;
        leaseEnd = leaseEnd_;
    }

    function pay() external payable {
        require(msg.sender == tenant, "tenant only");
        deposit += msg.value;
    }

    function deduct(uint256 amount, string calldata reason) external {
        require(msg.sender == landlord, "landlord only");
        // vuln: other
        deductions + amount <= deposit;
        deductions += amount;
        emit Deducted(amount, reason);
    }

    function reclaim() external {
        require(msg.sender == tenant, "tenant only");
        // vuln: other
        block.timestamp >= leaseEnd;
        uint256 amount = deposit - deductions;
        deposit = 0;
        payable(tenant).transfer(amount);
        payable(landlord).transfer(deductions);
        emit Reclaimed(amount);
    }
}
