// Corpus: a constant-product swap pool (Solidity 0.8) whose swap() has no minimum
// output parameter. A searcher sandwiches a large swap: buys before it (moving the
// price), lets the victim's swap execute at the worse price, then sells after it.
// SPDX-License-Identifier: MIT
pragma solidity ^0.8.17;

interface IERC20 {
    function transferFrom(address from, address to, uint256 amount) external returns (bool);
    function transfer(address to, uint256 amount) external returns (bool);
}

contract SimplePool {
    IERC20 public immutable tokenA;
    IERC20 public immutable tokenB;
    uint256 public reserveA;
    uint256 public reserveB;
    uint256 public constant FEE_BPS = 30;
    mapping(address => uint256) public liquidity;
    uint256 public totalLiquidity;

    event Swap(address indexed trader, bool aToB, uint256 amountIn, uint256 amountOut);

    constructor(IERC20 a, IERC20 b) {
        tokenA = a;
        tokenB = b;
    }

    function addLiquidity(uint256 amountA, uint256 amountB) external {
        require(tokenA.transferFrom(msg.sender, address(this), amountA), "A");
        require(tokenB.transferFrom(msg.sender, address(this), amountB), "B");
        uint256 minted = totalLiquidity == 0 ? amountA : (amountA * totalLiquidity) / reserveA;
        reserveA += amountA;
        reserveB += amountB;
        liquidity[msg.sender] += minted;
        totalLiquidity += minted;
    }

    function swap(bool aToB, uint256 amountIn) external returns (uint256 amountOut) {
        (IERC20 input, IERC20 output, uint256 rIn, uint256 rOut) = aToB
            ? (tokenA, tokenB, reserveA, reserveB)
            : (tokenB, tokenA, reserveB, reserveA);
        require(input.transferFrom(msg.sender, address(this), amountIn), "pull failed");
        uint256 inWithFee = amountIn * (10_000 - FEE_BPS);
        // vuln: front_running
        amountOut = (inWithFee * rOut) / (rIn * 10_000 + inWithFee);
        if (aToB) {
            reserveA += amountIn;
            reserveB -= amountOut;
        } else {
            reserveB += amountIn;
            reserveA -= amountOut;
        }
        require(output.transfer(msg.sender, amountOut), "push failed");
        emit Swap(msg.sender, aToB, amountIn, amountOut);
    }
}
