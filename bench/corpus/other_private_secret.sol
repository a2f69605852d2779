// Corpus: a "password vault" for an escape-room game (Solidity 0.8). The room stores
// its unlock code in a private state variable, believing private means secret. Every
// state slot is public on chain (eth_getStorageAt), so anyone reads the code and
// takes the prize without playing.
// SPDX-License-Identifier: MIT
pragma solidity ^0.8.14;

contract EscapeRoom {
    address public gameMaster;
    // vuln: other
    bytes32 private unlockCode;
    uint256 public prize;
    uint256 public attempts;
    bool public escaped;

    event Attempt(address indexed player, bool success);

    constructor(bytes32 code) payable {
        gameMaster = msg.sender;
        unlockCode = code;
        prize = msg.value;
    }

    function tryCode(bytes32 code) external {
        require(!escaped, "already escaped");
        attempts++;
        bool ok = code == unlockCode;
        emit Attempt(msg.sender, ok);
        if (ok) {
            escaped = true;
            uint256 amount = prize;
            prize = 0;
            payable(msg.sender).transfer(amount);
        }
    }

    function reset(bytes32 code) external payable {
        require(msg.sender == gameMaster, "game master only");
        unlockCode = code;
        prize += msg.value;
        escaped = false;
    }
}
