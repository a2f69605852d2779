// Corpus: a "hash the number" game (Solidity 0.4). The helper that pays the winner
// was meant to be internal but has no visibility keyword; before 0.5 functions are
// public by default, so anyone calls _payWinnings() directly and takes the pot.
// The owner-only refill has the same omission but is guarded, so it is not labelled.
pragma solidity ^0.4.24;

contract NumberGuess {
    address public owner;
    bytes32 public answerHash;
    uint public attempts;
    uint public constant FEE = 0.05 ether;

    event Guessed(address player, uint number, bool won);

    constructor(bytes32 hash) public payable {
        owner = msg.sender;
        answerHash = hash;
    }

    function guess(uint number) public payable {
        require(msg.value == FEE);
        attempts++;
        // vuln: front_running
        bool won = keccak256(abi.encodePacked(number)) == answerHash;
        emit Guessed(msg.sender, number, won);
        if (won) {
            _payWinnings(msg.sender);
        }
    }

    // vuln: access_control
    function _payWinnings(address winner) {
        winner.transfer(address(this).balance);
    }

    function refill(bytes32 newHash) payable {
        require(msg.sender == owner);
        answerHash = newHash;
    }
}
