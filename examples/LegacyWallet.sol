pragma solidity ^0.4.24;

// An old-style wallet: authorisation through tx.origin, a constructor that is really a
// public function (misspelt name), and an unchecked send.
contract LegacyWallet {
    address owner;
    mapping(address => uint) public allowance;

    function LegacyWalet() public {
        owner = msg.sender;
    }

    function () public payable {}

    function setAllowance(address spender, uint amount) public {
        require(tx.origin == owner);
        allowance[spender] = amount;
    }

    function spend(uint amount) public {
        require(allowance[msg.sender] >= amount);
        allowance[msg.sender] -= amount;
        msg.sender.send(amount);
    }

    function close() public {
        require(tx.origin == owner);
        selfdestruct(owner);
    }
}
