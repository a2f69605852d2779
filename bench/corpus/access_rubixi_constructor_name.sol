// Corpus: a doubler pyramid game (Solidity 0.4) that was renamed during development,
// after the Rubixi incident of 2016: the contract is now called Rubiks but the
// intended constructor is still called DynamicPyramid, so it is an ordinary public
// function and anyone can call it to become the creator and collect the fees.
pragma solidity ^0.4.15;

contract Rubiks {
    uint private balance = 0;
    uint private collectedFees = 0;
    uint private feePercent = 10;
    uint private pyramidMultiplier = 300;
    uint private payoutOrder = 0;
    address private creator;

    struct Participant {
        address etherAddress;
        uint payout;
    }

    Participant[] private participants;

    modifier onlyowner {
        if (msg.sender == creator) _;
    }

    // vuln: access_control
    function DynamicPyramid() {
        creator = msg.sender;
    }

    function() payable {
        init();
    }

    function init() private {
        if (msg.value < 1 ether) {
            collectedFees += msg.value;
            return;
        }
        uint _fee = feePercent;
        if (msg.value >= 50 ether) _fee /= 2;
        addPayout(_fee);
    }

    function addPayout(uint _fee) private {
        participants.push(Participant(msg.sender, (msg.value * pyramidMultiplier) / 100));
        if (participants.length == 10) pyramidMultiplier = 200;
        else if (participants.length == 25) pyramidMultiplier = 150;
        balance += (msg.value * (100 - _fee)) / 100;
        collectedFees += (msg.value * _fee) / 100;
        while (balance > participants[payoutOrder].payout) {
            uint payoutToSend = participants[payoutOrder].payout;
            // vuln: denial_of_service
            participants[payoutOrder].etherAddress.transfer(payoutToSend);
            balance -= participants[payoutOrder].payout;
            payoutOrder += 1;
        }
    }

    function collectAllFees() onlyowner {
        require(collectedFees > 0);
        creator.transfer(collectedFees);
        collectedFees = 0;
    }

    function changeOwner(address _owner) onlyowner {
        creator = _owner;
    }

    function changeMultiplier(uint _mult) onlyowner {
        require(_mult >= 120 && _mult <= 300);
        pyramidMultiplier = _mult;
    }
}
