// Corpus: a price-feed relay (Solidity 0.8) that accepts prices signed by a reporter.
// The reporter is set later by governance, so right after deployment it is
// address(0). ecrecover returns address(0) for an invalid signature, and the contract
// never rejects that value: with the reporter unset, any garbage signature is
// "valid" and anyone can post prices that the lending market reads.
// SPDX-License-Identifier: MIT
pragma solidity ^0.8.2;

contract SignedPriceRelay {
    address public governance;
    address public reporter;
    uint256 public maxAge = 1 hours;

    struct Price {
        uint128 value;
        uint64 timestamp;
    }

    mapping(bytes32 => Price) public prices;
    mapping(bytes32 => uint256) public nonces;

    event PricePosted(bytes32 indexed asset, uint256 value, uint256 timestamp);

    constructor(address governance_) {
        governance = governance_;
    }

    function setReporter(address reporter_) external {
        require(msg.sender == governance, "governance only");
        reporter = reporter_;
    }

    function post(bytes32 asset, uint128 value, uint64 timestamp, uint8 v, bytes32 r, bytes32 s) external {
        require(timestamp > prices[asset].timestamp, "stale");
        bytes32 digest = keccak256(
            abi.encode(address(this), block.chainid, asset, value, timestamp, nonces[asset])
        );
        // vuln: access_control
        address signer = ecrecover(digest, v, r, s);
        require(signer == reporter, "bad signature");
        nonces[asset]++;
        prices[asset] = Price(value, timestamp);
        emit PricePosted(asset, value, timestamp);
    }

    function read(bytes32 asset) external view returns (uint256) {
        Price memory p = prices[asset];
        require(p.timestamp + maxAge >= block.timestamp, "price too old");
        return p.value;
    }
}
