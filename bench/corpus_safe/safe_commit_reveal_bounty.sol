// Safe corpus: a preimage bounty (Solidity 0.8) protected against front-running by
// commit-reveal. A solver first commits keccak256(solution, solver, salt); only after
// the commitment is at least one block old can it reveal. A copier who sees the reveal
// cannot use it: the commitment binds the solver's address.
// SPDX-License-Identifier: MIT
pragma solidity ^0.8.9;

contract CommitRevealBounty {
    bytes32 public immutable targetHash;
    address public immutable sponsor;
    bool public solved;

    struct Commitment {
        bytes32 hash;
        uint64 blockNumber;
    }

    mapping(address => Commitment) public commitments;

    event Committed(address indexed solver);
    event Solved(address indexed solver);

    constructor(bytes32 targetHash_) payable {
        targetHash = targetHash_;
        sponsor = msg.sender;
    }

    function commit(bytes32 commitment) external {
        require(!solved, "solved");
        commitments[msg.sender] = Commitment(commitment, uint64(block.number));
        emit Committed(msg.sender);
    }

    function reveal(string calldata solution, bytes32 salt) external {
        require(!solved, "solved");
        Commitment memory c = commitments[msg.sender];
        require(c.hash != bytes32(0), "no commitment");
        require(block.number > c.blockNumber, "wait one block");
        require(keccak256(abi.encode(solution, msg.sender, salt)) == c.hash, "commitment mismatch");
        require(keccak256(bytes(solution)) == targetHash, "wrong solution");
        solved = true;
        emit Solved(msg.sender);
        (bool ok, ) = msg.sender.call{value: address(this).balance}("");
        require(ok, "payout failed");
    }

    function cancel() external {
        require(msg.sender == sponsor, "sponsor only");
        require(!solved, "solved");
        solved = true;
        (bool ok, ) = payable(sponsor).call{value: address(this).balance}("");
        require(ok, "refund failed");
    }
}
