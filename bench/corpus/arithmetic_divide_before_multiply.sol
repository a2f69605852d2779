// Corpus: an interest-bearing deposit (Solidity 0.8) that pays a yearly rate pro rata.
// interestFor() divides by the year length before multiplying by the rate and the
// amount, so any deposit held less than a full year earns nothing, and longer ones are
// rounded down to whole years. The fee calculation divides before multiplying too.
// SPDX-License-Identifier: MIT
pragma solidity ^0.8.15;

contract FixedRateDeposit {
    uint256 public constant YEAR = 365 days;
    uint256 public constant RATE_BPS = 500; // 5% a year
    uint256 public constant FEE_BPS = 25;

    address public treasury;
    mapping(address => uint256) public principal;
    mapping(address => uint256) public depositedAt;

    event Opened(address indexed user, uint256 amount);
    event Closed(address indexed user, uint256 paid, uint256 fee);

    constructor(address treasury_) payable {
        treasury = treasury_;
    }

    function open() external payable {
        require(principal[msg.sender] == 0, "already open");
        principal[msg.sender] = msg.value;
        depositedAt[msg.sender] = block.timestamp;
        emit Opened(msg.sender, msg.value);
    }

    function interestFor(address user) public view returns (uint256) {
        uint256 elapsed = block.timestamp - depositedAt[user];
        // vuln: arithmetic
        return (elapsed / YEAR) * RATE_BPS * principal[user] / 10_000;
    }

    function close() external {
        uint256 amount = principal[msg.sender];
        require(amount > 0, "nothing deposited");
        uint256 gross = amount + interestFor(msg.sender);
        // vuln: arithmetic
        uint256 fee = gross / 10_000 * FEE_BPS;
        principal[msg.sender] = 0;
        depositedAt[msg.sender] = 0;
        payable(treasury).transfer(fee);
        payable(msg.sender).transfer(gross - fee);
        emit Closed(msg.sender, gross - fee, fee);
    }
}
