// Safe corpus: the batch-transfer token (Solidity 0.4.24) with the BEC bug fixed: the
// total is computed with SafeMath.mul, the batch size is bounded, and every balance
// update uses SafeMath.
pragma solidity 0.4.24;

library SafeMath {
    function mul(uint256 a, uint256 b) internal pure returns (uint256) {
        if (a == 0) {
            return 0;
        }
        uint256 c = a * b;
        require(c / a == b);
        return c;
    }

    function sub(uint256 a, uint256 b) internal pure returns (uint256) {
        require(b <= a);
        return a - b;
    }

    function add(uint256 a, uint256 b) internal pure returns (uint256) {
        uint256 c = a + b;
        require(c >= a);
        return c;
    }
}

contract SafeBatchToken {
    using SafeMath for uint256;

    uint256 public totalSupply;
    address public owner;
    mapping(address => uint256) internal balances;

    event Transfer(address indexed from, address indexed to, uint256 value);

    constructor(uint256 supply) public {
        owner = msg.sender;
        totalSupply = supply;
        balances[msg.sender] = supply;
    }

    function balanceOf(address who) public view returns (uint256) {
        return balances[who];
    }

    function transfer(address to, uint256 value) public returns (bool) {
        require(msg.data.length >= 68);
        require(to != address(0));
        balances[msg.sender] = balances[msg.sender].sub(value);
        balances[to] = balances[to].add(value);
        emit Transfer(msg.sender, to, value);
        return true;
    }

    function batchTransfer(address[] receivers, uint256 value) public returns (bool) {
        uint256 count = receivers.length;
        require(count > 0 && count <= 20);
        uint256 amount = value.mul(count);
        balances[msg.sender] = balances[msg.sender].sub(amount);
        for (uint256 i = 0; i < count; i++) {
            require(receivers[i] != address(0));
            balances[receivers[i]] = balances[receivers[i]].add(value);
            emit Transfer(msg.sender, receivers[i], value);
        }
        return true;
    }
}
