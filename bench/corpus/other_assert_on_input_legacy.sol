// Corpus: a bond desk (Solidity 0.5) that checks a caller's parameters with assert. In
// 0.5 a failing assert uses the invalid opcode and burns all remaining gas. The price
// check also multiplies the caller's count without overflow protection: a count near
// 2^256 / 1 ether wraps the product, so a huge number of bonds costs almost nothing.
pragma solidity ^0.5.9;

contract BondDesk {
    address public issuer;
    uint256 public constant FACE_VALUE = 1 ether;
    uint256 public maturity;
    mapping(address => uint256) public bonds;

    constructor(uint256 term) public {
        issuer = msg.sender;
        maturity = now + term;
    }

    function buy(uint256 count) public payable {
        // vuln: other, arithmetic
        assert(count > 0 && msg.value == count * FACE_VALUE);
        // vuln: arithmetic
        bonds[msg.sender] += count;
    }

    function redeem(uint256 count) public {
        require(now >= maturity, "not mature");
        // vuln: other
        assert(bonds[msg.sender] >= count);
        bonds[msg.sender] -= count;
        msg.sender.transfer(count * FACE_VALUE);
    }
}
