// Corpus: a gasless token voucher redeemer (Solidity 0.8). The issuer signs
// (recipient, amount) off-chain; anyone submits the voucher. The signed message has no
// nonce, no expiry, no contract address and no chain id, so the same voucher can be
// redeemed again and again, and on every chain/deployment the issuer key is used.
// SPDX-License-Identifier: MIT
pragma solidity ^0.8.11;

contract VoucherRedeemer {
    address public issuer;
    mapping(address => uint256) public credits;
    uint256 public totalRedeemed;

    event Redeemed(address indexed recipient, uint256 amount);

    constructor(address issuer_) {
        issuer = issuer_;
    }

    function redeem(address recipient, uint256 amount, uint8 v, bytes32 r, bytes32 s) external {
        bytes32 digest = keccak256(
            abi.encodePacked("\x19Ethereum Signed Message:\n32", keccak256(abi.encodePacked(recipient, amount)))
        );
        // vuln: access_control
        address signer = ecrecover(digest, v, r, s);
        require(signer == issuer, "bad signature");
        credits[recipient] += amount;
        totalRedeemed += amount;
        emit Redeemed(recipient, amount);
    }

    function spend(uint256 amount) external {
        require(credits[msg.sender] >= amount, "insufficient credits");
        credits[msg.sender] -= amount;
    }
}
