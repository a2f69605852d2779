// Corpus: a slot machine (Solidity 0.5) that keeps its "secret" seed in a private state
// variable and mixes it with the block number. Private storage is readable by anyone
// through eth_getStorageAt, so the next spin's outcome is computable off-chain.
pragma solidity ^0.5.11;

contract SlotMachine {
    address payable public casino;
    uint256 private seed;
    uint256 public spins;
    uint256 public constant SPIN_PRICE = 0.02 ether;

    event Spin(address player, uint8 a, uint8 b, uint8 c, uint256 payout);

    constructor(uint256 initialSeed) public payable {
        casino = msg.sender;
        seed = initialSeed;
    }

    function spin() external payable {
        require(msg.value == SPIN_PRICE, "price");
        // vuln: bad_randomness
        seed = uint256(keccak256(abi.encodePacked(seed, block.number, spins)));
        spins++;
        uint8 a = uint8(seed % 7);
        uint8 b = uint8((seed / 7) % 7);
        uint8 c = uint8((seed / 49) % 7);
        uint256 payout = 0;
        if (a == b && b == c) {
            payout = SPIN_PRICE * 50;
        } else if (a == b || b == c) {
            payout = SPIN_PRICE * 2;
        }
        if (payout > 0 && payout <= address(this).balance) {
            msg.sender.transfer(payout);
        }
        emit Spin(msg.sender, a, b, c, payout);
    }

    function withdraw(uint256 amount) external {
        require(msg.sender == casino, "casino only");
        casino.transfer(amount);
    }
}
