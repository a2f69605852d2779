// Corpus: a "high yield" investment scheme (Solidity 0.5). Anyone can invest (a single
// wei suffices) and each investment is appended to a list; payInterest() loops over
// every investment ever made. Once the list is long enough the loop needs more gas than
// a block has and interest can never be paid again.
pragma solidity ^0.5.7;

contract HighYield {
    struct Investment {
        address payable investor;
        uint256 amount;
        uint256 paidOut;
    }

    address public admin;
    Investment[] public investments;
    uint256 public lastPayout;
    uint256 public constant DAILY_BPS = 100;

    constructor() public {
        admin = msg.sender;
        lastPayout = now;
    }

    function invest() external payable {
        require(msg.value > 0, "zero");
        investments.push(Investment(msg.sender, msg.value, 0));
    }

    function payInterest() external {
        require(now >= lastPayout + 1 days, "too early");
        lastPayout = now;
        // vuln: denial_of_service
        for (uint256 i = 0; i < investments.length; i++) {
            uint256 interest = investments[i].amount * DAILY_BPS / 10000;
            if (address(this).balance < interest) {
                return;
            }
            investments[i].paidOut += interest;
            // vuln: denial_of_service
            investments[i].investor.transfer(interest);
        }
    }

    function investmentCount() external view returns (uint256) {
        return investments.length;
    }
}
