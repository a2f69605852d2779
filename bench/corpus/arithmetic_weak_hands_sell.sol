// Corpus: a bonding-curve "hands" token (Solidity 0.4) in the spirit of the 2018 PoWH
// bug. transferFrom() checks the allowance of `_from`, but when the destination is the
// contract itself it calls sell(), which burns tokens from msg.sender - the spender,
// who holds none. The unchecked subtraction underflows and the spender ends up with
// an astronomically large token balance that it can then sell for the reserve.
pragma solidity ^0.4.20;

contract WeakHands {
    string public constant name = "WeakHands";
    uint8 public constant decimals = 18;
    uint public totalSupply;
    uint public reserve;
    uint public constant PRICE = 0.001 ether;

    mapping(address => uint) public balanceOf;
    mapping(address => mapping(address => uint)) public allowance;

    event Transfer(address indexed from, address indexed to, uint value);

    function buy() public payable {
        // vuln: arithmetic
        uint tokens = msg.value / PRICE * 1e18;
        totalSupply += tokens;
        balanceOf[msg.sender] += tokens;
        reserve += msg.value;
        Transfer(address(0), msg.sender, tokens);
    }

    function sell(uint amount) internal {
        uint payout = amount * PRICE / 1e18;
        // vuln: arithmetic
        balanceOf[msg.sender] -= amount;
        totalSupply -= amount;
        reserve -= payout;
        msg.sender.transfer(payout);
    }

    function withdrawTokens(uint amount) public {
        require(balanceOf[msg.sender] >= amount);
        sell(amount);
    }

    function approve(address spender, uint value) public returns (bool) {
        require(value == 0 || allowance[msg.sender][spender] == 0);
        allowance[msg.sender][spender] = value;
        return true;
    }

    function transferFrom(address _from, address _to, uint _value) public returns (bool) {
        require(_value <= allowance[_from][msg.sender]);
        allowance[_from][msg.sender] -= _value;
        if (_to == address(this)) {
            sell(_value);
        } else {
            require(balanceOf[_from] >= _value);
            balanceOf[_from] -= _value;
            balanceOf[_to] += _value;
            Transfer(_from, _to, _value);
        }
        return true;
    }
}
