// Corpus: a small lending market (Solidity 0.8) in the style of the 2021 Cream/Agave
// incidents: borrow() transfers the borrowed token to the borrower before recording
// the debt. The token is an ERC777-like asset whose transfer calls a hook on the
// recipient, so the borrower re-enters borrow() (or withdrawCollateral()) while its
// debt is still zero and takes out more than its collateral allows.
// SPDX-License-Identifier: MIT
pragma solidity ^0.8.10;

interface IHookToken {
    function transfer(address to, uint256 amount) external returns (bool);
    function transferFrom(address from, address to, uint256 amount) external returns (bool);
    function balanceOf(address account) external view returns (uint256);
}

interface IPriceOracle {
    function priceOf(address asset) external view returns (uint256);
}

contract HookLendingMarket {
    IHookToken public immutable asset;
    IPriceOracle public immutable oracle;
    uint256 public constant COLLATERAL_FACTOR_BPS = 7500;

    mapping(address => uint256) public collateralEth;
    mapping(address => uint256) public debt;
    uint256 public totalBorrows;

    event Borrowed(address indexed account, uint256 amount);
    event Repaid(address indexed account, uint256 amount);

    constructor(IHookToken asset_, IPriceOracle oracle_) {
        asset = asset_;
        oracle = oracle_;
    }

    function depositCollateral() external payable {
        collateralEth[msg.sender] += msg.value;
    }

    function borrowLimit(address account) public view returns (uint256) {
        uint256 price = oracle.priceOf(address(asset));
        uint256 value = (collateralEth[account] * 1e18) / price;
        return (value * COLLATERAL_FACTOR_BPS) / 10_000;
    }

    function borrow(uint256 amount) external {
        require(debt[msg.sender] + amount <= borrowLimit(msg.sender), "undercollateralised");
        // vuln: reentrancy
        require(asset.transfer(msg.sender, amount), "transfer failed");
        debt[msg.sender] += amount;
        totalBorrows += amount;
        emit Borrowed(msg.sender, amount);
    }

    function repay(uint256 amount) external {
        require(asset.transferFrom(msg.sender, address(this), amount), "transfer failed");
        debt[msg.sender] -= amount;
        totalBorrows -= amount;
        emit Repaid(msg.sender, amount);
    }

    function withdrawCollateral(uint256 amount) external {
        require(collateralEth[msg.sender] >= amount, "too much");
        collateralEth[msg.sender] -= amount;
        require(debt[msg.sender] <= borrowLimit(msg.sender), "would be undercollateralised");
        (bool ok, ) = msg.sender.call{value: amount}("");
        require(ok, "eth transfer failed");
    }
}
