// Corpus: a legacy ether "piggy bank" (Solidity 0.4) with a break-the-bank function
// that was meant for the owner once the savings goal is met. The goal check is there,
// the owner check is not: once the goal is reached anyone can call smash() and receive
// the savings.
pragma solidity ^0.4.16;

contract PiggyBank {
    address public owner;
    uint public goal;
    uint public deposits;

    event Saved(uint amount, uint total);

    function PiggyBank(uint _goal) public {
        owner = msg.sender;
        goal = _goal;
    }

    function () public payable {
        deposits += msg.value;
        Saved(msg.value, this.balance);
    }

    function progress() public constant returns (uint) {
        return this.balance * 100 / goal;
    }

    // vuln: access_control
    function smash() public {
        require(this.balance >= goal);
        suicide(msg.sender);
    }
}
