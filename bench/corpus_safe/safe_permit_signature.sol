// Safe corpus: a voucher redeemer (Solidity 0.8) with a sound signature scheme: an
// EIP-712-style digest binding the contract address and chain id, a per-recipient
// nonce, a deadline, rejection of high-s and bad-v signatures, and a check that the
// recovered signer is non-zero and equals the issuer.
// SPDX-License-Identifier: MIT
pragma solidity ^0.8.11;

contract SafeVoucherRedeemer {
    bytes32 private constant VOUCHER_TYPEHASH =
        keccak256("Voucher(address recipient,uint256 amount,uint256 nonce,uint256 deadline)");
    uint256 private constant HALF_ORDER =
        0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0;

    address public immutable issuer;
    bytes32 public immutable domainSeparator;
    mapping(address => uint256) public nonces;
    mapping(address => uint256) public credits;

    event Redeemed(address indexed recipient, uint256 amount, uint256 nonce);

    constructor(address issuer_) {
        require(issuer_ != address(0), "zero issuer");
        issuer = issuer_;
        domainSeparator = keccak256(
            abi.encode(keccak256("EIP712Domain(uint256 chainId,address verifyingContract)"), block.chainid, address(this))
        );
    }

    function redeem(address recipient, uint256 amount, uint256 deadline, uint8 v, bytes32 r, bytes32 s) external {
        require(block.timestamp <= deadline, "expired");
        require(uint256(s) <= HALF_ORDER, "malleable signature");
        require(v == 27 || v == 28, "bad v");
        uint256 nonce = nonces[recipient];
        bytes32 structHash = keccak256(abi.encode(VOUCHER_TYPEHASH, recipient, amount, nonce, deadline));
        bytes32 digest = keccak256(abi.encodePacked("\x19\x01", domainSeparator, structHash));
        address signer = ecrecover(digest, v, r, s);
        require(signer != address(0) && signer == issuer, "bad signature");
        nonces[recipient] = nonce + 1;
        credits[recipient] += amount;
        emit Redeemed(recipient, amount, nonce);
    }
}
