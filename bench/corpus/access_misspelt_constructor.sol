// Corpus: an owned ether safe (Solidity 0.4) where the constructor's name differs
// from the contract name only in case: contract MoneySafe, function Moneysafe().
// It compiles as a public function that resets the owner.
pragma solidity ^0.4.18;

contract MoneySafe {
    address public owner;
    uint public unlockAt;
    mapping(address => uint) public deposits;

    event Deposit(address from, uint amount);
    event Withdrawal(address to, uint amount);

    modifier onlyOwner() {
        require(msg.sender == owner);
        _;
    }

    // vuln: access_control
    function Moneysafe() public {
        owner = msg.sender;
        unlockAt = now + 30 days;
    }

    function () public payable {
        deposits[msg.sender] += msg.value;
        Deposit(msg.sender, msg.value);
    }

    function withdraw(uint amount) public onlyOwner {
        require(now >= unlockAt);
        require(amount <= this.balance);
        owner.transfer(amount);
        Withdrawal(owner, amount);
    }

    function extendLock(uint extra) public onlyOwner {
        unlockAt += extra;
    }
}
