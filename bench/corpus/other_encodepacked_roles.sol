// Corpus: a role registry (Solidity 0.8) that derives a role id from two caller-chosen
// arrays packed together. abi.encodePacked of two dynamic arrays is ambiguous: moving
// the boundary between the arrays gives a different grant with the same id, so an
// address granted roles for one (modules, actions) set holds them for another.
// SPDX-License-Identifier: MIT
pragma solidity ^0.8.0;

contract PermissionRegistry {
    address public root;
    mapping(bytes32 => mapping(address => bool)) public granted;

    event Granted(bytes32 indexed id, address indexed account);

    constructor() {
        root = msg.sender;
    }

    function permissionId(address[] memory modules, bytes4[] memory actions) public pure returns (bytes32) {
        // vuln: other
        return keccak256(abi.encodePacked(modules, actions));
    }

    function grant(address[] calldata modules, bytes4[] calldata actions, address account) external {
        require(msg.sender == root, "root only");
        bytes32 id = permissionId(modules, actions);
        granted[id][account] = true;
        emit Granted(id, account);
    }

    function isAllowed(address[] calldata modules, bytes4[] calldata actions, address account)
        external
        view
        returns (bool)
    {
        return granted[permissionId(modules, actions)][account];
    }
}
