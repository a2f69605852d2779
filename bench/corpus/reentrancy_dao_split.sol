// Corpus: a DAO-style investment fund (Solidity 0.4). Members deposit ether and get
// shares; a member who disagrees with the fund can "split" and take their ether back.
// The payout is sent with call.value before the member's share balance is cleared,
// which is the shape of the 2016 DAO drain: the recipient's fallback calls split again
// and is paid repeatedly from the same balance.
pragma solidity ^0.4.11;

contract SplitFund {
    address public curator;
    uint public totalShares;
    uint public proposalCount;
    mapping(address => uint) public shares;
    mapping(address => bool) public blocked;
    mapping(uint => mapping(address => bool)) public voted;

    struct Proposal {
        address recipient;
        uint amount;
        uint yea;
        uint nay;
        bool executed;
    }

    Proposal[] public proposals;

    event Joined(address indexed member, uint amount);
    event Split(address indexed member, uint amount);

    function SplitFund() {
        curator = msg.sender;
    }

    function join() payable {
        require(msg.value > 0);
        shares[msg.sender] += msg.value;
        totalShares += msg.value;
        Joined(msg.sender, msg.value);
    }

    function propose(address recipient, uint amount) returns (uint) {
        require(shares[msg.sender] > 0);
        proposals.push(Proposal(recipient, amount, 0, 0, false));
        proposalCount = proposals.length;
        return proposals.length - 1;
    }

    function vote(uint id, bool support) {
        Proposal storage p = proposals[id];
        require(!p.executed && !voted[id][msg.sender]);
        voted[id][msg.sender] = true;
        if (support) {
            p.yea += shares[msg.sender];
        } else {
            p.nay += shares[msg.sender];
        }
        blocked[msg.sender] = true;
    }

    function execute(uint id) {
        Proposal storage p = proposals[id];
        require(!p.executed && p.yea > p.nay && p.yea * 2 > totalShares);
        p.executed = true;
        require(p.recipient.send(p.amount));
    }

    function splitFund() returns (bool) {
        uint amount = shares[msg.sender];
        require(amount > 0);
        // pays before the shares are burned
        // vuln: reentrancy
        if (!msg.sender.call.value(amount)()) {
            throw;
        }
        totalShares -= amount;
        shares[msg.sender] = 0;
        blocked[msg.sender] = false;
        Split(msg.sender, amount);
        return true;
    }

    function shareOf(address member) constant returns (uint) {
        return shares[member];
    }
}
