// Corpus: a pausable ERC20 token with a batch transfer (Solidity 0.4), modelled on the
// April 2018 BEC "batchOverflow": amount = receivers * value is computed without a
// check, so two receivers and value = 2^255 make amount overflow to 0, the balance
// check passes and each receiver is credited 2^255 tokens.
pragma solidity ^0.4.16;

library SafeMath {
    function mul(uint256 a, uint256 b) internal pure returns (uint256) {
        uint256 c = a * b;
        assert(a == 0 || c / a == b);
        return c;
    }

    function sub(uint256 a, uint256 b) internal pure returns (uint256) {
        assert(b <= a);
        return a - b;
    }

    function add(uint256 a, uint256 b) internal pure returns (uint256) {
        uint256 c = a + b;
        assert(c >= a);
        return c;
    }
}

contract PausableBatchToken {
    using SafeMath for uint256;

    string public name = "BatchChain";
    string public symbol = "BTC2";
    uint8 public decimals = 18;
    uint256 public totalSupply;
    address public owner;
    bool public paused;

    mapping(address => uint256) balances;
    mapping(address => mapping(address => uint256)) allowed;

    event Transfer(address indexed from, address indexed to, uint256 value);

    modifier whenNotPaused() {
        require(!paused);
        _;
    }

    function PausableBatchToken() public {
        owner = msg.sender;
        totalSupply = 7000000000 * 10 ** 18;
        balances[msg.sender] = totalSupply;
    }

    // vuln: short_address
    function transfer(address _to, uint256 _value) public whenNotPaused returns (bool) {
        require(_to != address(0));
        require(_value <= balances[msg.sender]);
        balances[msg.sender] = balances[msg.sender].sub(_value);
        balances[_to] = balances[_to].add(_value);
        Transfer(msg.sender, _to, _value);
        return true;
    }

    function batchTransfer(address[] _receivers, uint256 _value) public whenNotPaused returns (bool) {
        uint cnt = _receivers.length;
        // vuln: arithmetic
        uint256 amount = uint256(cnt) * _value;
        require(cnt > 0 && cnt <= 20);
        require(_value > 0 && balances[msg.sender] >= amount);

        balances[msg.sender] = balances[msg.sender].sub(amount);
        for (uint i = 0; i < cnt; i++) {
            balances[_receivers[i]] = balances[_receivers[i]].add(_value);
            Transfer(msg.sender, _receivers[i], _value);
        }
        return true;
    }

    function balanceOf(address _owner) public constant returns (uint256) {
        return balances[_owner];
    }

    function pause() public {
        require(msg.sender == owner);
        paused = true;
    }

    function unpause() public {
        require(msg.sender == owner);
        paused = false;
    }
}
