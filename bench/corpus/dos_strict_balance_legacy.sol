// Corpus: a crowdfunding escrow (Solidity 0.4) that asserts its ether balance equals
// the sum of recorded contributions before paying out. Ether can be forced into the
// contract without calling it (selfdestruct of another contract, or a mining reward),
// after which the equality never holds and payouts are locked forever.
pragma solidity ^0.4.24;

contract ContributionEscrow {
    address public beneficiary;
    uint public totalContributions;
    uint public goal;
    mapping(address => uint) public contributions;
    bool public paidOut;

    constructor(address _beneficiary, uint _goal) public {
        beneficiary = _beneficiary;
        goal = _goal;
    }

    function contribute() public payable {
        require(!paidOut);
        contributions[msg.sender] += msg.value;
        totalContributions += msg.value;
    }

    function payOut() public {
        require(!paidOut);
        require(totalContributions >= goal);
        // vuln: denial_of_service
        require(this.balance == totalContributions);
        paidOut = true;
        beneficiary.transfer(this.balance);
    }

    function refund() public {
        require(!paidOut);
        require(totalContributions < goal);
        // vuln: denial_of_service
        assert(address(this).balance == totalContributions);
        uint amount = contributions[msg.sender];
        contributions[msg.sender] = 0;
        totalContributions -= amount;
        msg.sender.transfer(amount);
    }
}
