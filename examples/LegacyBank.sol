pragma solidity ^0.4.24;

contract LegacyBank {
    mapping(address => uint256) public balances;
    
    function withdraw(uint256 amount) public {
        msg.sender.call.value(amount)();
        balances[msg.sender] -= amount;
    }
}
