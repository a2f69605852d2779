// Corpus: a cheque-cashing contract (Solidity 0.8). The payer signs (payee, amount,
// chequeId) and the contract remembers used signatures by the hash of the signature
// bytes. Because ecrecover accepts both s and n - s (and v 27/28 flipped), a second,
// different-looking signature for the same cheque passes the "already used" check and
// the cheque is cashed twice.
// SPDX-License-Identifier: MIT
pragma solidity ^0.8.7;

contract ChequeBook {
    address public immutable payer;
    mapping(bytes32 => bool) public usedSignatures;
    uint256 public totalCashed;

    event Cashed(address indexed payee, uint256 amount, uint256 chequeId);

    constructor() payable {
        payer = msg.sender;
    }

    function cash(address payable payee, uint256 amount, uint256 chequeId, bytes memory signature) external {
        require(signature.length == 65, "bad length");
        bytes32 sigHash = keccak256(signature);
        require(!usedSignatures[sigHash], "cheque already cashed");

        bytes32 r;
        bytes32 s;
        uint8 v;
        assembly {
            r := mload(add(signature, 32))
            s := mload(add(signature, 64))
            v := byte(0, mload(add(signature, 96)))
        }
        bytes32 digest = keccak256(abi.encode(address(this), block.chainid, payee, amount, chequeId));
        // vuln: access_control
        address signer = ecrecover(digest, v, r, s);
        require(signer == payer, "not signed by payer");

        usedSignatures[sigHash] = true;
        totalCashed += amount;
        (bool ok, ) = payee.call{value: amount}("");
        require(ok, "payment failed");
        emit Cashed(payee, amount, chequeId);
    }

    function topUp() external payable {}
}
