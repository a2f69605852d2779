// Corpus: a "King of the Ether Throne" game (Solidity 0.4). To claim the throne you
// pay more than the current claim price; the previous king is refunded in the same
// transaction. If the king is a contract that rejects ether, every future claim
// reverts and the game is frozen with that king forever.
pragma solidity ^0.4.22;

contract KingOfTheEther {
    address public king;
    uint public claimPrice = 0.1 ether;
    address public wizard;
    uint public wizardFees;
    string public kingName;

    event NewKing(address king, string name, uint price);

    constructor() public {
        wizard = msg.sender;
        king = msg.sender;
    }

    function claimThrone(string name) public payable {
        require(msg.value >= claimPrice);
        uint fee = msg.value / 100;
        uint compensation = msg.value - fee;
        wizardFees += fee;
        // vuln: denial_of_service
        king.transfer(compensation);
        king = msg.sender;
        kingName = name;
        claimPrice = msg.value * 3 / 2;
        emit NewKing(msg.sender, name, msg.value);
    }

    function sweepFees() public {
        require(msg.sender == wizard);
        uint amount = wizardFees;
        wizardFees = 0;
        wizard.transfer(amount);
    }
}
