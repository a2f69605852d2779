// Corpus: a loyalty-points token used by an exchange's rewards programme (Solidity
// 0.4.24). The exchange pays users by calling sendPoints(address,uint256) with the
// address typed by the user; without a calldata length check a short address makes the
// points amount 256 times larger.
pragma solidity ^0.4.24;

contract RewardPoints {
    address public exchange;
    uint256 public totalPoints;
    mapping(address => uint256) public points;

    event PointsSent(address indexed from, address indexed to, uint256 amount);

    constructor() public {
        exchange = msg.sender;
    }

    function issue(address to, uint256 amount) public {
        require(msg.sender == exchange);
        require(totalPoints + amount >= totalPoints);
        totalPoints += amount;
        points[to] += amount;
    }

    // vuln: short_address
    function sendPoints(address to, uint256 amount) public returns (bool) {
        require(to != address(0));
        require(points[msg.sender] >= amount);
        require(points[to] + amount >= points[to]);
        points[msg.sender] -= amount;
        points[to] += amount;
        emit PointsSent(msg.sender, to, amount);
        return true;
    }

    function balanceOf(address who) public view returns (uint256) {
        return points[who];
    }
}
