// Corpus: a fee-splitting payment router (Solidity 0.5). The treasury address is a
// state variable that no constructor or setter ever assigns; it is zero, so the
// protocol's share of every payment is sent to address(0) and burned.
pragma solidity ^0.5.12;

contract PaymentRouter {
    address public admin;
    // vuln: other
    address payable public treasury;
    uint256 public protocolBps = 100;
    uint256 public routed;

    event Routed(address indexed from, address indexed to, uint256 amount, uint256 fee);

    constructor() public {
        admin = msg.sender;
    }

    function setProtocolBps(uint256 bps) external {
        require(msg.sender == admin, "admin only");
        require(bps <= 1000, "too high");
        protocolBps = bps;
    }

    function pay(address payable merchant) external payable {
        require(msg.value > 0, "nothing to pay");
        uint256 fee = msg.value * protocolBps / 10000;
        routed += msg.value;
        treasury.transfer(fee);
        merchant.transfer(msg.value - fee);
        emit Routed(msg.sender, merchant, msg.value, fee);
    }
}
