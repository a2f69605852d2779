// Safe corpus: a token escrow (Solidity 0.8) that moves tokens through a SafeERC20-style
// helper: a low-level call whose success flag is required and whose return data, if
// any, must decode to true. Tokens that return nothing and tokens that return false
// are both handled correctly.
// SPDX-License-Identifier: MIT
pragma solidity ^0.8.7;

interface IERC20 {
    function transfer(address to, uint256 amount) external returns (bool);
    function transferFrom(address from, address to, uint256 amount) external returns (bool);
}

library SafeTransfer {
    function safeTransfer(IERC20 token, address to, uint256 amount) internal {
        _callOptionalReturn(token, abi.encodeWithSelector(token.transfer.selector, to, amount));
    }

    function safeTransferFrom(IERC20 token, address from, address to, uint256 amount) internal {
        _callOptionalReturn(token, abi.encodeWithSelector(token.transferFrom.selector, from, to, amount));
    }

    function _callOptionalReturn(IERC20 token, bytes memory data) private {
        require(address(token).code.length > 0, "not a contract");
        (bool success, bytes memory returndata) = address(token).call(data);
        require(success, "token call failed");
        if (returndata.length > 0) {
            require(abi.decode(returndata, (bool)), "token operation did not succeed");
        }
    }
}

contract CheckedTokenEscrow {
    using SafeTransfer for IERC20;

    IERC20 public immutable token;
    address public immutable depositor;
    uint256 public immutable releaseTime;
    mapping(address => uint256) public allocation;

    constructor(IERC20 token_, uint256 lockDays) {
        token = token_;
        depositor = msg.sender;
        releaseTime = block.timestamp + lockDays * 1 days;
    }

    function allocate(address beneficiary, uint256 amount) external {
        require(msg.sender == depositor, "depositor only");
        token.safeTransferFrom(msg.sender, address(this), amount);
        allocation[beneficiary] += amount;
    }

    function claim() external {
        require(block.timestamp >= releaseTime, "locked");
        uint256 amount = allocation[msg.sender];
        require(amount > 0, "nothing to claim");
        allocation[msg.sender] = 0;
        token.safeTransfer(msg.sender, amount);
    }
}
