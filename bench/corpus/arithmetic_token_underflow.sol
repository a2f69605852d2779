// Corpus: a simple fixed-supply token (Solidity 0.4) without SafeMath. transfer() has
// no balance check, so sending more than you own underflows your balance to a huge
// number; transferFrom() subtracts the allowance without checking it either.
pragma solidity ^0.4.18;

contract SimpleToken {
    string public name;
    string public symbol;
    uint8 public decimals = 8;
    uint256 public totalSupply;

    mapping(address => uint256) public balanceOf;
    mapping(address => mapping(address => uint256)) public allowance;

    event Transfer(address indexed from, address indexed to, uint256 value);
    event Approval(address indexed owner, address indexed spender, uint256 value);

    function SimpleToken(uint256 supply, string tokenName, string tokenSymbol) public {
        totalSupply = supply * 10 ** uint256(decimals);
        balanceOf[msg.sender] = totalSupply;
        name = tokenName;
        symbol = tokenSymbol;
    }

    // vuln: short_address
    function transfer(address _to, uint256 _value) public returns (bool) {
        // vuln: arithmetic
        balanceOf[msg.sender] -= _value;
        balanceOf[_to] += _value;
        Transfer(msg.sender, _to, _value);
        return true;
    }

    function approve(address _spender, uint256 _value) public returns (bool) {
        // vuln: front_running
        allowance[msg.sender][_spender] = _value;
        Approval(msg.sender, _spender, _value);
        return true;
    }

    function transferFrom(address _from, address _to, uint256 _value) public returns (bool) {
        require(balanceOf[_from] >= _value);
        // vuln: arithmetic
        allowance[_from][msg.sender] -= _value;
        balanceOf[_from] -= _value;
        balanceOf[_to] += _value;
        Transfer(_from, _to, _value);
        return true;
    }
}
