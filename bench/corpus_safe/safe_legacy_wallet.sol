// Safe corpus: a personal wallet (Solidity 0.4.24) written the way a careful 2018 audit
// would require: `constructor` keyword, explicit visibility, msg.sender (not tx.origin)
// for authorisation, a checked transfer, and an owner-only shutdown.
pragma solidity 0.4.24;

contract CarefulWallet {
    address public owner;
    uint256 public dailyLimit;
    uint256 public spentToday;
    uint256 public lastDay;

    event Sent(address to, uint256 amount);
    event Received(address from, uint256 amount);

    modifier onlyOwner() {
        require(msg.sender == owner);
        _;
    }

    constructor(uint256 limit) public {
        owner = msg.sender;
        dailyLimit = limit;
    }

    function () external payable {
        emit Received(msg.sender, msg.value);
    }

    function transferTo(address to, uint256 amount) external onlyOwner {
        require(to != address(0));
        if (now / 1 days > lastDay) {
            lastDay = now / 1 days;
            spentToday = 0;
        }
        require(amount <= dailyLimit && spentToday <= dailyLimit - amount);
        spentToday += amount;
        to.transfer(amount);
        emit Sent(to, amount);
    }

    function setLimit(uint256 limit) external onlyOwner {
        dailyLimit = limit;
    }

    function shutdown() external onlyOwner {
        selfdestruct(owner);
    }
}
