// Corpus: an "ether race" game (Solidity 0.8). Players deposit exactly 1 ether; the
// player whose deposit makes the balance reach exactly 7 ether wins. Anyone can force
// ether in with selfdestruct so that the balance skips 7 ether and the game never ends
// (and the deposits are stuck).
// SPDX-License-Identifier: MIT
pragma solidity ^0.8.3;

contract SevenEtherRace {
    uint256 public constant TARGET = 7 ether;
    address public winner;
    mapping(address => uint256) public deposited;

    event Deposit(address indexed player, uint256 balance);
    event Won(address indexed player);

    function deposit() external payable {
        require(msg.value == 1 ether, "send exactly 1 ether");
        require(winner == address(0), "game over");
        uint256 balance = address(this).balance;
        require(balance <= TARGET, "game over");
        deposited[msg.sender] += msg.value;
        emit Deposit(msg.sender, balance);
        // vuln: denial_of_service
        if (balance == TARGET) {
            winner = msg.sender;
            emit Won(msg.sender);
        }
    }

    function claim() external {
        require(msg.sender == winner, "not the winner");
        (bool ok, ) = msg.sender.call{value: address(this).balance}("");
        require(ok, "claim failed");
    }
}
