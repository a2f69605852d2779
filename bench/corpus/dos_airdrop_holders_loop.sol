// Corpus: a reward distributor (Solidity 0.8) that keeps a list of every address that
// ever registered and, on distribute(), calls the reward token's transfer for each of
// them. Registration is free, so the list can be grown until distribute() exceeds the
// block gas limit; a token that reverts for one recipient (a blocklist) also blocks
// everybody.
// SPDX-License-Identifier: MIT
pragma solidity ^0.8.16;

interface IRewardToken {
    function transfer(address to, uint256 amount) external returns (bool);
    function balanceOf(address account) external view returns (uint256);
}

contract RewardDistributor {
    IRewardToken public immutable rewardToken;
    address public manager;
    address[] public recipients;
    mapping(address => bool) public registered;
    uint256 public epoch;

    event Registered(address indexed account);
    event Distributed(uint256 epoch, uint256 perRecipient);

    constructor(IRewardToken token) {
        rewardToken = token;
        manager = msg.sender;
    }

    function register() external {
        require(!registered[msg.sender], "registered");
        registered[msg.sender] = true;
        recipients.push(msg.sender);
        emit Registered(msg.sender);
    }

    function distribute() external {
        require(msg.sender == manager, "manager only");
        uint256 count = recipients.length;
        require(count > 0, "nobody");
        uint256 perRecipient = rewardToken.balanceOf(address(this)) / count;
        // vuln: denial_of_service
        for (uint256 i = 0; i < count; i++) {
            // vuln: denial_of_service
            require(rewardToken.transfer(recipients[i], perRecipient), "transfer failed");
        }
        epoch++;
        emit Distributed(epoch, perRecipient);
    }
}
