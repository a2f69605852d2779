// Corpus: an allowlist mint (Solidity 0.8) that signs over
// keccak256(abi.encodePacked(string handle, string referral, address)). Two dynamic
// strings packed side by side are ambiguous: ("ab","c") and ("a","bc") give the same
// hash, so a signature issued for one (handle, referral) pair is valid for another and
// lets a user claim someone else's handle.
// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

contract HandleMint {
    address public signer;
    mapping(string => address) public handleOwner;
    mapping(address => string) public referralOf;
    mapping(bytes32 => bool) public usedDigests;

    event HandleMinted(address indexed owner, string handle, string referral);

    constructor(address signer_) {
        signer = signer_;
    }

    function mint(string calldata handle, string calldata referral, uint8 v, bytes32 r, bytes32 s) external {
        require(handleOwner[handle] == address(0), "taken");
        // vuln: other
        bytes32 digest = keccak256(abi.encodePacked(handle, referral, msg.sender));
        require(!usedDigests[digest], "used");
        address recovered = ecrecover(digest, v, r, s);
        require(recovered != address(0) && recovered == signer, "bad signature");
        usedDigests[digest] = true;
        handleOwner[handle] = msg.sender;
        referralOf[msg.sender] = referral;
        emit HandleMinted(msg.sender, handle, referral);
    }
}
