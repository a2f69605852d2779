// Corpus: a multi-owner wallet split into a shared library contract and thin wallets
// that delegatecall into it (Solidity 0.4), modelled on the 2017 Parity multisig
// incidents. The library's initWallet() can be called by anyone at any time - on a
// wallet through the catch-all delegatecall (July 2017: attacker re-initialises the
// wallet, becomes owner, drains it) and on the library itself (November 2017: someone
// becomes owner of the library and calls kill(), bricking every wallet).
pragma solidity ^0.4.9;

contract WalletLibrary {
    address[] public owners;
    uint public required;
    uint public dailyLimit;
    uint public spentToday;
    mapping(address => bool) public isOwner;

    event Deposit(address from, uint value);
    event SingleTransact(address owner, uint value, address to);

    modifier onlyOwner() {
        if (!isOwner[msg.sender]) throw;
        _;
    }

    // vuln: access_control
    function initWallet(address[] _owners, uint _required, uint _daylimit) {
        for (uint i = 0; i < _owners.length; i++) {
            owners.push(_owners[i]);
            isOwner[_owners[i]] = true;
        }
        required = _required;
        dailyLimit = _daylimit;
    }

    function execute(address to, uint value, bytes data) onlyOwner returns (bool) {
        if (value + spentToday <= dailyLimit) {
            spentToday += value;
            SingleTransact(msg.sender, value, to);
            if (!to.call.value(value)(data)) throw;
            return true;
        }
        return false;
    }

    function kill(address to) onlyOwner {
        suicide(to);
    }

    function() payable {
        if (msg.value > 0) Deposit(msg.sender, msg.value);
    }
}

contract Wallet {
    address constant LIBRARY = 0x863DF6BFa4469f3ead0bE8f9F2AAE51c91A907b4;
    address[] public owners;
    uint public required;
    uint public dailyLimit;
    uint public spentToday;
    mapping(address => bool) public isOwner;

    function Wallet(address[] _owners, uint _required, uint _daylimit) {
        // vuln: unchecked_call
        LIBRARY.delegatecall(bytes4(sha3("initWallet(address[],uint256,uint256)")), _owners, _required, _daylimit);
    }

    function() payable {
        if (msg.value > 0) return;
        if (!LIBRARY.delegatecall(msg.data)) throw;
    }
}
