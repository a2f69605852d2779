// Corpus: a "find the preimage" bounty (Solidity 0.4). The first transaction that
// submits a string hashing to the published hash wins 1000 ether. The solution travels
// in the clear through the mempool; anyone can copy it with a higher gas price and
// be paid first.
pragma solidity ^0.4.22;

contract PreimageBounty {
    bytes32 constant public hash = 0xb5b5b97fafd9855eec9b41f74dfb6c38f5951141f9a3ecd7f44d5479b630ee0a;
    address public sponsor;
    bool public solved;

    event Solved(address solver, string solution);

    constructor() public payable {
        sponsor = msg.sender;
    }

    function solve(string solution) public {
        require(!solved);
        // vuln: front_running
        require(hash == sha3(solution));
        solved = true;
        emit Solved(msg.sender, solution);
        msg.sender.transfer(1000 ether);
    }

    function cancel() public {
        require(msg.sender == sponsor);
        require(!solved);
        selfdestruct(sponsor);
    }
}
