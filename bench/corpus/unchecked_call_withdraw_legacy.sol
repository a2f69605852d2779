// Corpus: a payroll contract (Solidity 0.5) that lets employees withdraw accrued
// salary. The balance is zeroed first (correct ordering) but the call's boolean is
// dropped, so a failed payment is recorded as paid and the employee loses the salary.
pragma solidity ^0.5.0;

contract Payroll {
    address public employer;
    mapping(address => uint256) public accrued;
    mapping(address => uint256) public ratePerDay;
    mapping(address => uint256) public lastAccrual;

    event Hired(address employee, uint256 ratePerDay);
    event Paid(address employee, uint256 amount);

    modifier onlyEmployer() {
        require(msg.sender == employer, "employer only");
        _;
    }

    constructor() public payable {
        employer = msg.sender;
    }

    function hire(address employee, uint256 rate) external onlyEmployer {
        ratePerDay[employee] = rate;
        lastAccrual[employee] = now;
        emit Hired(employee, rate);
    }

    function accrue(address employee) public {
        uint256 daysWorked = (now - lastAccrual[employee]) / 1 days;
        if (daysWorked > 0) {
            accrued[employee] += daysWorked * ratePerDay[employee];
            lastAccrual[employee] += daysWorked * 1 days;
        }
    }

    function withdrawSalary() external {
        accrue(msg.sender);
        uint256 amount = accrued[msg.sender];
        require(amount > 0, "nothing accrued");
        accrued[msg.sender] = 0;
        // vuln: unchecked_call
        msg.sender.call.value(amount)("");
        emit Paid(msg.sender, amount);
    }

    function fund() external payable onlyEmployer {}
}
