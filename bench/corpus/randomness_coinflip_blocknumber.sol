// Corpus: a double-or-nothing coin flip (Solidity 0.8) that uses the parity of the
// hash of block.number as the coin. The caller's transaction runs in that block, so a
// contract can compute the flip first and only play when it will win.
// SPDX-License-Identifier: MIT
pragma solidity ^0.8.10;

contract CoinFlip {
    address public owner;
    uint256 public maxWager = 0.5 ether;
    uint256 public consecutiveWins;
    mapping(address => uint256) public winnings;

    event Flipped(address indexed player, bool guess, bool outcome);

    constructor() payable {
        owner = msg.sender;
    }

    function flip(bool guessHeads) external payable {
        require(msg.value > 0 && msg.value <= maxWager, "wager");
        // vuln: bad_randomness
        bool heads = uint256(blockhash(block.number - 1)) % 2 == 0;
        emit Flipped(msg.sender, guessHeads, heads);
        if (heads == guessHeads) {
            consecutiveWins++;
            winnings[msg.sender] += msg.value * 2;
        } else {
            consecutiveWins = 0;
        }
    }

    function collect() external {
        uint256 amount = winnings[msg.sender];
        winnings[msg.sender] = 0;
        (bool ok, ) = msg.sender.call{value: amount}("");
        require(ok, "collect failed");
    }

    function setMaxWager(uint256 wager) external {
        require(msg.sender == owner, "owner only");
        maxWager = wager;
    }
}
