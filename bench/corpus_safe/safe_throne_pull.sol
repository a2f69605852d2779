// Safe corpus: the "king of the ether" game (Solidity 0.8) with pull payments: the
// dethroned king's compensation is credited and withdrawn by the king later, so a
// king that rejects ether cannot freeze the game.
// SPDX-License-Identifier: MIT
pragma solidity ^0.8.10;

contract PullThrone {
    address public king;
    uint256 public claimPrice = 0.1 ether;
    address public immutable wizard;
    mapping(address => uint256) public credits;

    event NewKing(address indexed king, uint256 price);

    constructor() {
        wizard = msg.sender;
        king = msg.sender;
    }

    function claimThrone() external payable {
        require(msg.value >= claimPrice, "pay more");
        uint256 fee = msg.value / 100;
        credits[wizard] += fee;
        credits[king] += msg.value - fee;
        king = msg.sender;
        claimPrice = (msg.value * 3) / 2;
        emit NewKing(msg.sender, msg.value);
    }

    function withdraw() external {
        uint256 amount = credits[msg.sender];
        require(amount > 0, "nothing to withdraw");
        credits[msg.sender] = 0;
        (bool ok, ) = msg.sender.call{value: amount}("");
        require(ok, "withdraw failed");
    }
}
