// Corpus: a faucet (Solidity 0.4) that pays a large "first claim of the hour" bonus to
// whoever claims in the first minute of each hour, computed from now % 1 hours. Miners
// choose timestamps and can grab the bonus every hour.
pragma solidity ^0.4.24;

contract HourlyFaucet {
    address public owner;
    uint public dripAmount = 0.001 ether;
    uint public bonusAmount = 0.1 ether;
    mapping(address => uint) public lastClaim;
    mapping(uint => bool) public bonusPaid;

    constructor() public payable {
        owner = msg.sender;
    }

    function claim() public {
        require(now >= lastClaim[msg.sender] + 1 hours);
        lastClaim[msg.sender] = now;
        uint amount = dripAmount;
        uint hourIndex = now / 1 hours;
        // vuln: time_manipulation
        if (now % 1 hours < 60 && !bonusPaid[hourIndex]) {
            bonusPaid[hourIndex] = true;
            amount += bonusAmount;
        }
        msg.sender.transfer(amount);
    }

    function refill() public payable {}

    function setAmounts(uint drip, uint bonus) public {
        require(msg.sender == owner);
        dripAmount = drip;
        bonusAmount = bonus;
    }
}
