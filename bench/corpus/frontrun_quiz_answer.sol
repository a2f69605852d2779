// Corpus: an on-chain quiz (Solidity 0.8). The host publishes the keccak256 of each
// answer; the first player to send the plain answer claims the prize for that
// question. Submissions are public before they are mined, so a bot copies correct
// answers and out-bids the gas price of the real solver.
// SPDX-License-Identifier: MIT
pragma solidity ^0.8.9;

contract OnChainQuiz {
    struct Question {
        string text;
        bytes32 answerHash;
        uint256 prize;
        address solvedBy;
    }

    address public host;
    Question[] public questions;

    event QuestionAdded(uint256 indexed id, string text, uint256 prize);
    event Answered(uint256 indexed id, address indexed solver);

    constructor() {
        host = msg.sender;
    }

    function addQuestion(string calldata text, bytes32 answerHash) external payable {
        require(msg.sender == host, "host only");
        require(msg.value > 0, "no prize");
        questions.push(Question(text, answerHash, msg.value, address(0)));
        emit QuestionAdded(questions.length - 1, text, msg.value);
    }

    function answer(uint256 id, string calldata response) external {
        Question storage q = questions[id];
        require(q.solvedBy == address(0), "already solved");
        // vuln: front_running
        require(keccak256(bytes(response)) == q.answerHash, "wrong answer");
        q.solvedBy = msg.sender;
        uint256 prize = q.prize;
        q.prize = 0;
        (bool ok, ) = msg.sender.call{value: prize}("");
        require(ok, "payout failed");
        emit Answered(id, msg.sender);
    }
}
