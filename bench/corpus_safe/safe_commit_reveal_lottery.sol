// Safe corpus: a lottery (Solidity 0.8) whose randomness comes from players'
// commit-reveal secrets, not from block values. Each player commits
// keccak256(secret, player) with a ticket and a bond; after the commit phase every
// player reveals; the winning index is derived from the XOR of all revealed secrets.
// Players who do not reveal forfeit their bond, which makes withholding a losing
// reveal costly. Phases last days, so timestamp drift does not matter.
// SPDX-License-Identifier: MIT
pragma solidity ^0.8.15;

contract CommitRevealLottery {
    uint256 public constant TICKET = 0.1 ether;
    uint256 public constant BOND = 0.1 ether;
    uint256 public constant MAX_PLAYERS = 50;

    uint256 public immutable commitDeadline;
    uint256 public immutable revealDeadline;

    address[] public players;
    mapping(address => bytes32) public commitments;
    mapping(address => bool) public revealed;
    uint256 public revealedCount;
    bytes32 public entropy;
    address public winner;
    mapping(address => uint256) public credit;

    constructor(uint256 commitDays, uint256 revealDays) {
        require(commitDays >= 1 && revealDays >= 1, "phases too short");
        commitDeadline = block.timestamp + commitDays * 1 days;
        revealDeadline = commitDeadline + revealDays * 1 days;
    }

    function commit(bytes32 commitment) external payable {
        require(block.timestamp < commitDeadline, "commit phase over");
        require(msg.value == TICKET + BOND, "ticket plus bond");
        require(commitments[msg.sender] == bytes32(0), "already committed");
        require(players.length < MAX_PLAYERS, "full");
        commitments[msg.sender] = commitment;
        players.push(msg.sender);
    }

    function reveal(bytes32 secret) external {
        require(block.timestamp >= commitDeadline && block.timestamp < revealDeadline, "not reveal phase");
        require(!revealed[msg.sender], "already revealed");
        require(keccak256(abi.encode(secret, msg.sender)) == commitments[msg.sender], "bad reveal");
        revealed[msg.sender] = true;
        revealedCount++;
        entropy ^= secret;
        credit[msg.sender] += BOND;
    }

    function draw() external {
        require(block.timestamp >= revealDeadline, "reveal phase running");
        require(winner == address(0), "drawn");
        require(revealedCount > 0, "nobody revealed");
        uint256 index = uint256(entropy) % players.length;
        uint256 tries = 0;
        while (!revealed[players[index]] && tries < MAX_PLAYERS) {
            index = (index + 1) % players.length;
            tries++;
        }
        winner = players[index];
        credit[winner] += players.length * TICKET + (players.length - revealedCount) * BOND;
    }

    function withdraw() external {
        uint256 amount = credit[msg.sender];
        require(amount > 0, "nothing to withdraw");
        credit[msg.sender] = 0;
        (bool ok, ) = msg.sender.call{value: amount}("");
        require(ok, "withdraw failed");
    }
}
