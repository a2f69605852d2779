// Corpus: an ownable vault (Solidity 0.4) whose child contract re-declares the `owner`
// state variable of its parent. The parent's onlyOwner modifier reads the parent's
// owner (never set: zero), while the child's constructor sets the child's copy, so the
// real owner is locked out and the two owners silently disagree.
pragma solidity ^0.4.24;

contract Ownable {
    address public owner;

    modifier onlyOwner() {
        require(msg.sender == owner);
        _;
    }

    function transferOwnership(address newOwner) public onlyOwner {
        require(newOwner != address(0));
        owner = newOwner;
    }
}

contract SharedVault is Ownable {
    // vuln: other
    address public owner;
    mapping(address => uint) public shares;
    uint public totalShares;

    constructor() public {
        owner = msg.sender;
    }

    function deposit() public payable {
        shares[msg.sender] += msg.value;
        totalShares += msg.value;
    }

    function emergencyWithdraw() public onlyOwner {
        owner.transfer(address(this).balance);
    }

    function withdraw(uint amount) public {
        require(shares[msg.sender] >= amount);
        shares[msg.sender] -= amount;
        totalShares -= amount;
        msg.sender.transfer(amount);
    }
}
