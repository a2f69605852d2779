// Corpus: a charity donation box (Solidity 0.5) with a refund helper for mistaken
// donations. refundTo() sends any amount to any address and was left public and
// unguarded (SWC-105): anyone empties the box.
pragma solidity ^0.5.8;

contract DonationBox {
    address payable public charity;
    address public curator;
    uint256 public totalDonated;
    mapping(address => uint256) public donated;

    event Donation(address indexed donor, uint256 amount);
    event Forwarded(uint256 amount);

    constructor(address payable charity_) public {
        charity = charity_;
        curator = msg.sender;
    }

    function () external payable {
        donate();
    }

    function donate() public payable {
        require(msg.value > 0, "empty donation");
        donated[msg.sender] += msg.value;
        totalDonated += msg.value;
        emit Donation(msg.sender, msg.value);
    }

    function forward() external {
        require(msg.sender == curator, "curator only");
        uint256 amount = address(this).balance;
        charity.transfer(amount);
        emit Forwarded(amount);
    }

    // vuln: access_control
    function refundTo(address payable to, uint256 amount) public {
        require(amount <= address(this).balance, "too much");
        to.transfer(amount);
    }
}
