// Corpus: a "configurable" registry (Solidity 0.8) that exposes a low-level setter
// for its settings, written in assembly to save gas. The slot number comes straight
// from the caller, so anyone writes any storage slot. The author reserved slot 0 in the
// belief that it holds the admin, but the admin lives in slot 1.
// SPDX-License-Identifier: MIT
pragma solidity ^0.8.19;

contract SettingsRegistry {
    uint256 public protocolFee;
    address public admin;
    uint256 public maxLeverage;
    mapping(bytes32 => uint256) public named;

    event SettingChanged(uint256 slot, bytes32 value);

    constructor() {
        admin = msg.sender;
        protocolFee = 30;
        maxLeverage = 5;
    }

    function setNamed(bytes32 key, uint256 value) external {
        require(msg.sender == admin, "admin only");
        named[key] = value;
    }

    function setRaw(uint256 slot, bytes32 value) external {
        require(slot > 0, "slot 0 is reserved");
        assembly {
            // vuln: access_control
            sstore(slot, value)
        }
        emit SettingChanged(slot, value);
    }

    function readRaw(uint256 slot) external view returns (bytes32 value) {
        assembly {
            value := sload(slot)
        }
    }
}
