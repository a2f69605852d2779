// Corpus: a bridge withdrawal queue (Solidity 0.8) that validates user input with
// assert() instead of require(). A user who asks for more than queued trips a Panic;
// before 0.8 the same assert consumed all the gas of the transaction. assert is for
// invariants that can never fail, and tools treat a reachable assert as a bug.
// SPDX-License-Identifier: MIT
pragma solidity ^0.8.0;

contract WithdrawalQueue {
    struct Request {
        address account;
        uint128 amount;
        uint64 readyAt;
        bool done;
    }

    address public relayer;
    Request[] public requests;
    mapping(address => uint256) public queued;

    event Queued(uint256 indexed id, address indexed account, uint256 amount);
    event Processed(uint256 indexed id);

    constructor(address relayer_) {
        relayer = relayer_;
    }

    function enqueue(uint128 amount) external payable {
        // vuln: other
        assert(msg.value == amount);
        requests.push(Request(msg.sender, amount, uint64(block.timestamp + 1 days), false));
        queued[msg.sender] += amount;
        emit Queued(requests.length - 1, msg.sender, amount);
    }

    function cancel(uint256 id) external {
        Request storage r = requests[id];
        // vuln: other
        assert(r.account == msg.sender && !r.done);
        r.done = true;
        queued[msg.sender] -= r.amount;
        payable(msg.sender).transfer(r.amount);
    }

    function process(uint256 id) external {
        require(msg.sender == relayer, "relayer only");
        Request storage r = requests[id];
        require(!r.done && block.timestamp >= r.readyAt, "not ready");
        r.done = true;
        queued[r.account] -= r.amount;
        emit Processed(id);
    }
}
