// Corpus: a time-locked deposit box (Solidity 0.4). Users may extend their lock to earn
// a bonus; increaseLockTime() adds a caller-chosen number of seconds with no overflow
// check, so adding 2^256 - currentLock wraps the unlock time to 0 and the deposit can
// be withdrawn immediately while the bonus is still counted.
pragma solidity ^0.4.21;

contract TimeLockBox {
    mapping(address => uint) public balances;
    mapping(address => uint) public lockTime;
    mapping(address => uint) public bonusPoints;
    uint public constant MIN_LOCK = 1 weeks;

    event Locked(address user, uint amount, uint until);

    function deposit() public payable {
        balances[msg.sender] += msg.value;
        lockTime[msg.sender] = now + MIN_LOCK;
        emit Locked(msg.sender, msg.value, lockTime[msg.sender]);
    }

    function increaseLockTime(uint _secondsToIncrease) public {
        // vuln: arithmetic
        lockTime[msg.sender] += _secondsToIncrease;
        bonusPoints[msg.sender] += _secondsToIncrease / 1 days;
    }

    function withdraw() public {
        require(balances[msg.sender] > 0);
        require(now > lockTime[msg.sender]);
        uint amount = balances[msg.sender];
        balances[msg.sender] = 0;
        msg.sender.transfer(amount);
    }
}
