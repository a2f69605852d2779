// Safe corpus: the DAO-style fund split (Solidity 0.4.24) written correctly: shares are
// burned before the ether is sent, the low-level call's result is required, and the
// functions have explicit visibility.
pragma solidity 0.4.24;

contract SafeSplitFund {
    address public curator;
    uint256 public totalShares;
    mapping(address => uint256) public shares;

    event Joined(address indexed member, uint256 amount);
    event Split(address indexed member, uint256 amount);

    constructor() public {
        curator = msg.sender;
    }

    function join() external payable {
        require(msg.value > 0);
        require(shares[msg.sender] + msg.value >= shares[msg.sender]);
        shares[msg.sender] += msg.value;
        totalShares += msg.value;
        emit Joined(msg.sender, msg.value);
    }

    function splitFund() external returns (bool) {
        uint256 amount = shares[msg.sender];
        require(amount > 0);
        shares[msg.sender] = 0;
        totalShares -= amount;
        emit Split(msg.sender, amount);
        require(msg.sender.call.value(amount)());
        return true;
    }

    function shareOf(address member) external view returns (uint256) {
        return shares[member];
    }
}
