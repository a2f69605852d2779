// Corpus: a credit ledger (Solidity 0.4) where the author meant `balance -= amount` but
// typed `=-`. Before 0.5 unary minus on uint compiles, so the balance is set to the
// two's complement of the amount - a huge number - instead of being reduced.
pragma solidity ^0.4.24;

contract CreditLedger {
    address public bank;
    mapping(address => uint) public credit;
    uint public issued;

    event Spent(address account, uint amount);

    constructor() public {
        bank = msg.sender;
    }

    function grant(address account, uint amount) public {
        require(msg.sender == bank);
        credit[account] += amount;
        issued += amount;
    }

    function spend(uint amount) public {
        require(credit[msg.sender] >= amount);
        // vuln: other
        credit[msg.sender] =- amount;
        emit Spent(msg.sender, amount);
    }

    function transferCredit(address to, uint amount) public {
        require(msg.data.length >= 68);
        require(credit[msg.sender] >= amount);
        credit[msg.sender] -= amount;
        credit[to] += amount;
    }
}
