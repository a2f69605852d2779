// Safe corpus: an m-of-n multisig wallet (Solidity 0.8). Owners are fixed in the
// constructor (no re-initialisation path); a transaction runs once enough owners
// confirm it, it is marked executed before the call, and the call's result is checked.
// The owner list is bounded at construction.
// SPDX-License-Identifier: MIT
pragma solidity ^0.8.13;

contract MultiSigWallet {
    struct Transaction {
        address to;
        uint256 value;
        bytes data;
        bool executed;
        uint256 confirmations;
    }

    uint256 public constant MAX_OWNERS = 20;
    address[] public owners;
    mapping(address => bool) public isOwner;
    uint256 public immutable required;
    Transaction[] public transactions;
    mapping(uint256 => mapping(address => bool)) public confirmed;

    event Submitted(uint256 indexed id, address indexed to, uint256 value);
    event Confirmed(uint256 indexed id, address indexed owner);
    event Executed(uint256 indexed id);

    modifier onlyOwner() {
        require(isOwner[msg.sender], "not an owner");
        _;
    }

    constructor(address[] memory owners_, uint256 required_) {
        require(owners_.length > 0 && owners_.length <= MAX_OWNERS, "owner count");
        require(required_ > 0 && required_ <= owners_.length, "threshold");
        for (uint256 i = 0; i < owners_.length; i++) {
            address o = owners_[i];
            require(o != address(0) && !isOwner[o], "bad owner");
            isOwner[o] = true;
            owners.push(o);
        }
        required = required_;
    }

    receive() external payable {}

    function submit(address to, uint256 value, bytes calldata data) external onlyOwner returns (uint256 id) {
        id = transactions.length;
        transactions.push(Transaction(to, value, data, false, 0));
        emit Submitted(id, to, value);
    }

    function confirm(uint256 id) external onlyOwner {
        require(id < transactions.length, "no such tx");
        require(!confirmed[id][msg.sender], "already confirmed");
        confirmed[id][msg.sender] = true;
        transactions[id].confirmations += 1;
        emit Confirmed(id, msg.sender);
    }

    function execute(uint256 id) external onlyOwner {
        Transaction storage t = transactions[id];
        require(!t.executed, "executed");
        require(t.confirmations >= required, "not enough confirmations");
        t.executed = true;
        (bool ok, ) = t.to.call{value: t.value}(t.data);
        require(ok, "call failed");
        emit Executed(id);
    }
}
