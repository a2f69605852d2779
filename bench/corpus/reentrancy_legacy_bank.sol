// Corpus: a community bank with interest-free accounts and an account-closing
// function (Solidity 0.5). closeAccount() and withdraw() use the 0.5 form
// msg.sender.call.value(x)("") and clear the balance afterwards.
pragma solidity ^0.5.12;

contract CommunityBank {
    address public manager;
    mapping(address => uint256) private balances;
    mapping(address => bool) public members;
    uint256 public memberCount;

    event AccountOpened(address indexed member);
    event AccountClosed(address indexed member, uint256 paid);

    modifier onlyMember() {
        require(members[msg.sender], "not a member");
        _;
    }

    constructor() public {
        manager = msg.sender;
    }

    function open() public payable {
        require(!members[msg.sender], "already open");
        members[msg.sender] = true;
        memberCount += 1;
        balances[msg.sender] = msg.value;
        emit AccountOpened(msg.sender);
    }

    function deposit() public payable onlyMember {
        balances[msg.sender] += msg.value;
    }

    function withdraw(uint256 amount) public onlyMember {
        require(balances[msg.sender] >= amount, "insufficient");
        // vuln: reentrancy
        (bool success, ) = msg.sender.call.value(amount)("");
        require(success, "payment failed");
        balances[msg.sender] -= amount;
    }

    function closeAccount() public onlyMember {
        uint256 amount = balances[msg.sender];
        // vuln: reentrancy
        (bool success, ) = msg.sender.call.value(amount)("");
        require(success, "payment failed");
        balances[msg.sender] = 0;
        members[msg.sender] = false;
        memberCount -= 1;
        emit AccountClosed(msg.sender, amount);
    }

    function balanceOf(address member) public view returns (uint256) {
        return balances[member];
    }
}
