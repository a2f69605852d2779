// Corpus: a token vesting escrow (Solidity 0.8) that pays out with token.transfer and
// ignores the returned bool. Tokens that signal failure by returning false (rather than
// reverting) leave the claim recorded as paid while nothing moved.
// SPDX-License-Identifier: MIT
pragma solidity ^0.8.7;

interface IERC20 {
    function transfer(address to, uint256 amount) external returns (bool);
    function transferFrom(address from, address to, uint256 amount) external returns (bool);
}

contract TokenEscrow {
    IERC20 public immutable token;
    address public depositor;
    mapping(address => uint256) public allocation;
    mapping(address => uint256) public claimed;
    uint256 public releaseTime;

    event Allocated(address indexed beneficiary, uint256 amount);
    event Claimed(address indexed beneficiary, uint256 amount);

    constructor(IERC20 token_, uint256 releaseTime_) {
        token = token_;
        depositor = msg.sender;
        releaseTime = releaseTime_;
    }

    function allocate(address beneficiary, uint256 amount) external {
        require(msg.sender == depositor, "depositor only");
        // vuln: other
        token.transferFrom(msg.sender, address(this), amount);
        allocation[beneficiary] += amount;
        emit Allocated(beneficiary, amount);
    }

    function claim() external {
        require(block.timestamp >= releaseTime, "locked");
        uint256 amount = allocation[msg.sender] - claimed[msg.sender];
        require(amount > 0, "nothing to claim");
        claimed[msg.sender] += amount;
        // vuln: other
        token.transfer(msg.sender, amount);
        emit Claimed(msg.sender, amount);
    }
}
