// Safe corpus: a reward distributor (Solidity 0.8) that avoids both DoS shapes: the
// recipient list is owner-managed and capped at 25 entries, and distribute() only
// credits balances inside the loop; each recipient pulls its own reward afterwards, so
// one failing recipient cannot block the others.
// SPDX-License-Identifier: MIT
pragma solidity ^0.8.16;

contract BoundedRewards {
    uint256 public constant MAX_RECIPIENTS = 25;
    address public immutable manager;
    address[] public recipients;
    mapping(address => bool) public isRecipient;
    mapping(address => uint256) public claimable;

    event Distributed(uint256 perRecipient);

    constructor() {
        manager = msg.sender;
    }

    function addRecipient(address account) external {
        require(msg.sender == manager, "manager only");
        require(!isRecipient[account], "duplicate");
        require(recipients.length < MAX_RECIPIENTS, "too many recipients");
        isRecipient[account] = true;
        recipients.push(account);
    }

    function distribute() external payable {
        require(msg.sender == manager, "manager only");
        uint256 count = recipients.length;
        require(count > 0, "no recipients");
        uint256 perRecipient = msg.value / count;
        for (uint256 i = 0; i < count; i++) {
            claimable[recipients[i]] += perRecipient;
        }
        emit Distributed(perRecipient);
    }

    function claim() external {
        uint256 amount = claimable[msg.sender];
        require(amount > 0, "nothing to claim");
        claimable[msg.sender] = 0;
        (bool ok, ) = msg.sender.call{value: amount}("");
        require(ok, "claim failed");
    }
}
