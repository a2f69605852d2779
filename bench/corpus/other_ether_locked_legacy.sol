// Corpus: a tip jar for a blog (Solidity 0.5). Readers tip through the payable
// fallback; the author can update the message shown but the contract has no withdraw
// function - the tips can never leave.
pragma solidity ^0.5.2;

// vuln: other
contract TipJar {
    address public author;
    string public message;
    uint256 public tipCount;
    uint256 public largestTip;
    address public largestTipper;

    event Tipped(address indexed from, uint256 amount);

    constructor(string memory initialMessage) public {
        author = msg.sender;
        message = initialMessage;
    }

    function () external payable {
        require(msg.value > 0, "empty tip");
        tipCount += 1;
        if (msg.value > largestTip) {
            largestTip = msg.value;
            largestTipper = msg.sender;
        }
        emit Tipped(msg.sender, msg.value);
    }

    function setMessage(string calldata newMessage) external {
        require(msg.sender == author, "author only");
        message = newMessage;
    }

    function total() external view returns (uint256) {
        return address(this).balance;
    }
}
