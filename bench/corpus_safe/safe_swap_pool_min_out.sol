// Safe corpus: a constant-product pool (Solidity 0.8) whose swap takes a minimum output
// and a deadline, so a sandwich that moves the price beyond the trader's tolerance
// makes the swap revert. Reserves are updated before the output leaves and token calls
// are checked.
// SPDX-License-Identifier: MIT
pragma solidity ^0.8.17;

interface IERC20 {
    function transferFrom(address from, address to, uint256 amount) external returns (bool);
    function transfer(address to, uint256 amount) external returns (bool);
}

contract MinOutPool {
    IERC20 public immutable tokenA;
    IERC20 public immutable tokenB;
    address public immutable provider;
    uint256 public reserveA;
    uint256 public reserveB;
    uint256 public constant FEE_BPS = 30;

    event Swap(address indexed trader, bool aToB, uint256 amountIn, uint256 amountOut);

    constructor(IERC20 a, IERC20 b) {
        tokenA = a;
        tokenB = b;
        provider = msg.sender;
    }

    function seed(uint256 amountA, uint256 amountB) external {
        require(msg.sender == provider, "provider only");
        require(reserveA == 0 && reserveB == 0, "seeded");
        reserveA = amountA;
        reserveB = amountB;
        require(tokenA.transferFrom(msg.sender, address(this), amountA), "A");
        require(tokenB.transferFrom(msg.sender, address(this), amountB), "B");
    }

    function swap(bool aToB, uint256 amountIn, uint256 minAmountOut, uint256 deadline)
        external
        returns (uint256 amountOut)
    {
        require(block.timestamp <= deadline, "expired");
        (IERC20 input, IERC20 output, uint256 rIn, uint256 rOut) = aToB
            ? (tokenA, tokenB, reserveA, reserveB)
            : (tokenB, tokenA, reserveB, reserveA);
        uint256 inWithFee = amountIn * (10_000 - FEE_BPS);
        amountOut = (inWithFee * rOut) / (rIn * 10_000 + inWithFee);
        require(amountOut >= minAmountOut, "slippage");
        if (aToB) {
            reserveA = rIn + amountIn;
            reserveB = rOut - amountOut;
        } else {
            reserveB = rIn + amountIn;
            reserveA = rOut - amountOut;
        }
        require(input.transferFrom(msg.sender, address(this), amountIn), "pull failed");
        require(output.transfer(msg.sender, amountOut), "push failed");
        emit Swap(msg.sender, aToB, amountIn, amountOut);
    }
}
