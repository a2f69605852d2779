// Corpus: an NFT raffle (Solidity 0.8) that picks a winner with
// keccak256(block.timestamp, block.prevrandao, entrants). The proposer of the block
// knows both values, and a contract entering in the same block can compute the
// result and revert unless it wins.
// SPDX-License-Identifier: MIT
pragma solidity ^0.8.18;

interface IERC721 {
    function transferFrom(address from, address to, uint256 tokenId) external;
}

contract NftRaffle {
    IERC721 public immutable collection;
    uint256 public immutable tokenId;
    address public immutable host;
    uint256 public immutable entryFee;
    uint256 public immutable closesAt;
    address[] public entrants;
    address public winner;

    event Entered(address indexed who);
    event WinnerDrawn(address indexed winner);

    constructor(IERC721 collection_, uint256 tokenId_, uint256 fee, uint256 duration) {
        collection = collection_;
        tokenId = tokenId_;
        host = msg.sender;
        entryFee = fee;
        closesAt = block.timestamp + duration;
    }

    function enter() external payable {
        require(block.timestamp < closesAt, "closed");
        require(msg.value == entryFee, "fee");
        require(entrants.length < 1000, "full");
        entrants.push(msg.sender);
        emit Entered(msg.sender);
    }

    function draw() external {
        require(block.timestamp >= closesAt, "still open");
        require(winner == address(0), "already drawn");
        require(entrants.length > 0, "no entrants");
        // vuln: bad_randomness
        uint256 seed = uint256(keccak256(abi.encodePacked(block.timestamp, block.prevrandao, entrants.length)));
        winner = entrants[seed % entrants.length];
        collection.transferFrom(host, winner, tokenId);
        payable(host).transfer(address(this).balance);
        emit WinnerDrawn(winner);
    }
}
