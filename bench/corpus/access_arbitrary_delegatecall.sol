// Corpus: a smart-account with a "batch helper" (Solidity 0.8). The owner-only execute
// path is fine, but the multicall-style helper delegatecalls any target with any data
// for anyone: an attacker delegatecalls a contract that writes slot 0 (the owner) or
// selfdestructs, taking over the account.
// SPDX-License-Identifier: MIT
pragma solidity ^0.8.13;

contract SmartAccount {
    address public owner;
    uint256 public nonce;

    event Executed(address target, uint256 value, bytes data);
    event OwnerChanged(address owner);

    constructor(address owner_) {
        owner = owner_;
    }

    modifier onlyOwner() {
        require(msg.sender == owner, "owner only");
        _;
    }

    function execute(address target, uint256 value, bytes calldata data)
        external
        onlyOwner
        returns (bytes memory)
    {
        nonce++;
        (bool ok, bytes memory result) = target.call{value: value}(data);
        require(ok, "call failed");
        emit Executed(target, value, data);
        return result;
    }

    function delegateBatch(address helper, bytes[] calldata calls) external {
        for (uint256 i = 0; i < calls.length; i++) {
            // vuln: access_control
            (bool ok, ) = helper.delegatecall(calls[i]);
            require(ok, "batch step failed");
        }
    }

    function setOwner(address next) external onlyOwner {
        owner = next;
        emit OwnerChanged(next);
    }

    receive() external payable {}
}
