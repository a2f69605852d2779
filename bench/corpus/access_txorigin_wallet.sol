// Corpus: a personal wallet (Solidity 0.4) that authorises transfers with tx.origin.
// If the owner interacts with any malicious contract (say, claims an "airdrop"), that
// contract can call transferTo() and the check passes because tx.origin is still the
// owner.
pragma solidity ^0.4.23;

contract PersonalWallet {
    address public owner;
    uint public dailyLimit;
    uint public spentToday;
    uint public lastDay;

    event Sent(address to, uint amount);
    event Received(address from, uint amount);

    constructor(uint limit) public {
        owner = msg.sender;
        dailyLimit = limit;
    }

    function () public payable {
        emit Received(msg.sender, msg.value);
    }

    function transferTo(address to, uint amount) public {
        // vuln: access_control
        require(tx.origin == owner);
        if (now / 1 days > lastDay) {
            lastDay = now / 1 days;
            spentToday = 0;
        }
        require(spentToday + amount <= dailyLimit);
        spentToday += amount;
        to.transfer(amount);
        emit Sent(to, amount);
    }

    function setLimit(uint limit) public {
        require(msg.sender == owner);
        dailyLimit = limit;
    }
}
