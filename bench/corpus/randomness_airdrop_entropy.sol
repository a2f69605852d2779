// Corpus: a key-sale game with an "airdrop" side pot (Solidity 0.4), in the style of
// the 2018 Fomo3D airdrop exploit. Whether a buyer wins the side pot is decided by
// hashing block fields and the sender; a contract can compute it in its constructor
// and only buy when it wins.
pragma solidity ^0.4.24;

contract KeyGame {
    address public admin;
    uint public airdropPot;
    uint public airdropTracker;
    uint public keyPrice = 0.01 ether;
    mapping(address => uint) public keys;

    event KeysBought(address buyer, uint keys);
    event AirdropWon(address winner, uint amount);

    constructor() public {
        admin = msg.sender;
    }

    function airdrop() private view returns (bool) {
        // vuln: bad_randomness
        uint seed = uint(keccak256(abi.encodePacked(
            (block.timestamp) + (block.difficulty) +
            ((uint(keccak256(abi.encodePacked(block.coinbase)))) / (now)) +
            (block.gaslimit) +
            ((uint(keccak256(abi.encodePacked(msg.sender)))) / (now)) +
            (block.number)
        )));
        return (seed - ((seed / 1000) * 1000)) < airdropTracker;
    }

    function buyKeys() public payable {
        require(msg.value >= keyPrice);
        uint bought = msg.value / keyPrice;
        keys[msg.sender] += bought;
        airdropPot += msg.value / 100;
        if (msg.value >= 0.1 ether) {
            airdropTracker++;
            if (airdrop()) {
                uint prize = airdropPot / 2;
                airdropPot -= prize;
                airdropTracker = 0;
                msg.sender.transfer(prize);
                emit AirdropWon(msg.sender, prize);
            }
        }
        emit KeysBought(msg.sender, bought);
    }
}
