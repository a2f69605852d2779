// Corpus: a "lucky second" game (Solidity 0.8). Players pay to play; whoever plays in
// a block whose timestamp is a multiple of 15 wins the jackpot. A block proposer sets
// the timestamp (within protocol rules) and can include its own play in a block with
// a winning timestamp.
// SPDX-License-Identifier: MIT
pragma solidity ^0.8.6;

contract LuckySecond {
    uint256 public constant PLAY_PRICE = 0.01 ether;
    uint256 public lastPlayed;
    uint256 public plays;
    address public lastWinner;

    event Played(address indexed player, uint256 timestamp, bool won);

    function play() external payable {
        require(msg.value == PLAY_PRICE, "price");
        require(block.timestamp != lastPlayed, "one play per block");
        lastPlayed = block.timestamp;
        plays++;
        // vuln: time_manipulation
        if (block.timestamp % 15 == 0) {
            lastWinner = msg.sender;
            emit Played(msg.sender, block.timestamp, true);
            (bool ok, ) = msg.sender.call{value: address(this).balance}("");
            require(ok, "payout failed");
        } else {
            emit Played(msg.sender, block.timestamp, false);
        }
    }

    receive() external payable {}
}
