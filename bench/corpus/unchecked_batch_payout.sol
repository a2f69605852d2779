// Corpus: a dividend distributor for a fixed list of shareholders (Solidity 0.4). The
// owner pays out a dividend round; each payment uses send() and the result is ignored,
// then the round is closed. Shareholders whose send fails lose their dividend and
// the contract's books (paidOut) no longer match its balance.
pragma solidity ^0.4.21;

contract DividendDistributor {
    address public owner;
    address[10] public holders;
    uint[10] public weights;
    uint public totalWeight;
    uint public paidOut;
    uint public roundsPaid;

    function DividendDistributor(address[10] _holders, uint[10] _weights) public {
        owner = msg.sender;
        for (uint i = 0; i < 10; i++) {
            holders[i] = _holders[i];
            weights[i] = _weights[i];
            totalWeight += _weights[i];
        }
    }

    function payDividend() public payable {
        require(msg.sender == owner);
        require(msg.value > 0);
        for (uint i = 0; i < 10; i++) {
            uint share = msg.value * weights[i] / totalWeight;
            // vuln: unchecked_call
            holders[i].send(share);
            paidOut += share;
        }
        roundsPaid++;
    }

    function replaceHolder(uint index, address holder) public {
        require(msg.sender == owner);
        require(index < 10);
        holders[index] = holder;
    }
}
