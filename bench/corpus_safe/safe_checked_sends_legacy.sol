// Safe corpus: a payout contract (Solidity 0.5) that checks every low-level send: with
// require(send), with if (!send) revert, and with a checked call. Balances are cleared
// before any ether leaves.
pragma solidity ^0.5.16;

contract CheckedPayouts {
    address public admin;
    mapping(address => uint256) public owed;

    event Paid(address indexed to, uint256 amount);

    constructor() public {
        admin = msg.sender;
    }

    function credit(address to) external payable {
        require(msg.sender == admin, "admin only");
        owed[to] += msg.value;
    }

    function withdrawWithSend() external {
        uint256 amount = owed[msg.sender];
        owed[msg.sender] = 0;
        require(msg.sender.send(amount), "send failed");
        emit Paid(msg.sender, amount);
    }

    function withdrawWithIf() external {
        uint256 amount = owed[msg.sender];
        owed[msg.sender] = 0;
        if (!msg.sender.send(amount)) {
            revert("send failed");
        }
        emit Paid(msg.sender, amount);
    }

    function withdrawWithCall() external {
        uint256 amount = owed[msg.sender];
        owed[msg.sender] = 0;
        (bool ok, ) = msg.sender.call.value(amount)("");
        require(ok, "call failed");
        emit Paid(msg.sender, amount);
    }
}
