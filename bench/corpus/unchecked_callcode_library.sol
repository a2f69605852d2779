// Corpus: a legacy contract (Solidity 0.4) that runs library code through callcode to
// update an exchange rate and through call to notify an external registry. Neither
// return value is checked: a failing library leaves the old rate in place while the
// contract records the update as done and keeps selling at the stale rate.
pragma solidity ^0.4.15;

contract RateKeeper {
    address public owner;
    address public rateLibrary;
    address public registry;
    uint public rate;
    uint public lastUpdate;
    mapping(address => uint) public credits;

    function RateKeeper(address lib, address reg) {
        owner = msg.sender;
        rateLibrary = lib;
        registry = reg;
        rate = 100;
    }

    function updateRate(uint newRate) {
        require(msg.sender == owner);
        // vuln: unchecked_call
        rateLibrary.callcode(bytes4(sha3("setRate(uint256)")), newRate);
        lastUpdate = now;
        // vuln: unchecked_call
        registry.call(bytes4(sha3("rateChanged(uint256)")), newRate);
    }

    function buyCredits() payable {
        require(msg.value > 0);
        credits[msg.sender] += msg.value * rate;
    }

    function withdraw() {
        require(msg.sender == owner);
        owner.transfer(this.balance);
    }
}
