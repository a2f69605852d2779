// Corpus: a tournament registry (Solidity 0.6). Anyone may sign up for the next
// tournament with a small fee; startNewSeason() resets every player's score in a loop
// over all players ever registered. Spam sign-ups make the reset impossible and the
// registry can never start a new season.
// SPDX-License-Identifier: MIT
pragma solidity ^0.6.8;

contract TournamentRegistry {
    address public organiser;
    address[] public players;
    mapping(address => uint256) public score;
    mapping(address => bool) public signedUp;
    uint256 public season;
    uint256 public constant FEE = 1 wei;

    constructor() public {
        organiser = msg.sender;
    }

    function signUp() external payable {
        require(msg.value == FEE, "fee");
        require(!signedUp[msg.sender], "already");
        signedUp[msg.sender] = true;
        players.push(msg.sender);
    }

    function report(address player, uint256 points) external {
        require(msg.sender == organiser, "organiser only");
        score[player] += points;
    }

    function startNewSeason() external {
        require(msg.sender == organiser, "organiser only");
        // vuln: denial_of_service
        for (uint256 i = 0; i < players.length; i++) {
            score[players[i]] = 0;
        }
        season++;
    }

    function withdrawFees(address payable to) external {
        require(msg.sender == organiser, "organiser only");
        to.transfer(address(this).balance);
    }
}
