// Corpus: a treasury (Solidity 0.8) whose onlyAdmin modifier compares tx.origin with the
// admin. Any contract the admin calls (a phishing NFT mint, say) can drain the treasury
// through sweep() and replace the admin through setAdmin().
// SPDX-License-Identifier: MIT
pragma solidity ^0.8.15;

interface IERC20 {
    function transfer(address to, uint256 amount) external returns (bool);
    function balanceOf(address account) external view returns (uint256);
}

contract Treasury {
    address public admin;
    mapping(address => bool) public approvedTokens;

    event Swept(address token, address to, uint256 amount);
    event AdminChanged(address previous, address current);

    modifier onlyAdmin() {
        // vuln: access_control
        require(tx.origin == admin, "not admin");
        _;
    }

    constructor() {
        admin = msg.sender;
    }

    function approveToken(address token) external onlyAdmin {
        approvedTokens[token] = true;
    }

    function sweep(IERC20 token, address to) external onlyAdmin {
        require(approvedTokens[address(token)], "unknown token");
        uint256 amount = token.balanceOf(address(this));
        require(token.transfer(to, amount), "transfer failed");
        emit Swept(address(token), to, amount);
    }

    function sendEther(address payable to, uint256 amount) external onlyAdmin {
        (bool ok, ) = to.call{value: amount}("");
        require(ok, "send failed");
    }

    function setAdmin(address next) external onlyAdmin {
        emit AdminChanged(admin, next);
        admin = next;
    }

    receive() external payable {}
}
