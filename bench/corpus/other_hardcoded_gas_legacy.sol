// Corpus: a legacy forwarding wallet (Solidity 0.4) that forwards incoming ether to a
// cold wallet with a fixed gas stipend set via .gas(). Once the cold wallet is a
// multisig whose fallback needs more gas, every deposit reverts.
pragma solidity ^0.4.24;

contract Forwarder {
    address public destination;
    address public admin;
    uint public forwarded;

    event Forwarded(address from, uint amount);

    constructor(address dest) public {
        destination = dest;
        admin = msg.sender;
    }

    function () public payable {
        // vuln: other
        require(destination.call.value(msg.value).gas(10000)());
        forwarded += msg.value;
        emit Forwarded(msg.sender, msg.value);
    }

    function setDestination(address dest) public {
        require(msg.sender == admin);
        destination = dest;
    }

    function setAdmin(address newAdmin) public {
        require(msg.sender == admin);
        require(newAdmin != address(0));
        admin = newAdmin;
    }
}
