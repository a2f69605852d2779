// Corpus: a bonus-code registry (Solidity 0.4). popBonusCode() decrements the array
// length without checking it is non-zero; the length underflows to 2^256-1, after
// which updateBonusCodeAt() can write any storage slot - including owner - because
// every index passes the bounds check (redeem() can likewise zero any non-zero slot).
pragma solidity ^0.4.25;

contract BonusCodes {
    address public owner;
    uint[] public bonusCodes;
    mapping(address => uint) public redeemed;

    constructor() public {
        owner = msg.sender;
        bonusCodes = new uint[](0);
    }

    function pushBonusCode(uint code) public {
        bonusCodes.push(code);
    }

    function popBonusCode() public {
        // vuln: access_control
        bonusCodes.length--;
    }

    function updateBonusCodeAt(uint index, uint code) public {
        require(index < bonusCodes.length);
        // vuln: access_control
        bonusCodes[index] = code;
    }

    function redeem(uint index) public {
        require(index < bonusCodes.length && bonusCodes[index] != 0);
        redeemed[msg.sender] += bonusCodes[index];
        // vuln: access_control
        bonusCodes[index] = 0;
    }

    function destroy() public {
        require(msg.sender == owner);
        selfdestruct(msg.sender);
    }
}
