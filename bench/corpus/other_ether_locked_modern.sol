// Corpus: a membership registry (Solidity 0.8) that charges a joining fee in ether. It
// has a payable join() and a receive() but no function that ever sends ether out and
// no selfdestruct: every fee paid is locked in the contract forever.
// SPDX-License-Identifier: MIT
pragma solidity ^0.8.19;

// vuln: other
contract MembershipRegistry {
    struct Member {
        string handle;
        uint64 joinedAt;
        uint32 level;
    }

    address public admin;
    uint256 public joiningFee = 0.05 ether;
    uint256 public memberCount;
    mapping(address => Member) public members;
    mapping(string => address) public handleOwner;

    event Joined(address indexed account, string handle);
    event LevelChanged(address indexed account, uint32 level);

    constructor() {
        admin = msg.sender;
    }

    function join(string calldata handle) external payable {
        require(msg.value == joiningFee, "wrong fee");
        require(members[msg.sender].joinedAt == 0, "already a member");
        require(handleOwner[handle] == address(0), "handle taken");
        members[msg.sender] = Member(handle, uint64(block.timestamp), 1);
        handleOwner[handle] = msg.sender;
        memberCount++;
        emit Joined(msg.sender, handle);
    }

    function setLevel(address account, uint32 level) external {
        require(msg.sender == admin, "admin only");
        members[account].level = level;
        emit LevelChanged(account, level);
    }

    function setFee(uint256 fee) external {
        require(msg.sender == admin, "admin only");
        joiningFee = fee;
    }

    receive() external payable {}
}
