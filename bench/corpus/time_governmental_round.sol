// Corpus: a "government" Ponzi game (Solidity 0.4), after GovernMental (2016). Each
// lender extends the round; if nobody lends for 12 hours the last lender takes the
// jackpot. Whether the round is over is decided by block.timestamp, which the miner of
// the block sets: a miner who is also the last lender can end the round early (or
// keep rivals' lends out until the deadline passes).
pragma solidity ^0.4.19;

contract Government {
    address public corruptElite;
    address public lastCreditor;
    uint public lastCreditorPayedOut;
    uint public lastTimeOfNewCredit;
    uint public profitFromCrash;
    uint public round;
    address[] public creditorAddresses;
    uint[] public creditorAmounts;
    uint constant TWELVE_HOURS = 43200;

    function Government() public payable {
        profitFromCrash = msg.value;
        corruptElite = msg.sender;
        lastTimeOfNewCredit = now;
    }

    function lendGovernmentMoney(address buddy) public payable returns (bool) {
        uint amount = msg.value;
        // vuln: time_manipulation
        if (lastTimeOfNewCredit + TWELVE_HOURS < now) {
            // vuln: denial_of_service
            lastCreditor.transfer(profitFromCrash);
            corruptElite.transfer(this.balance);
            lastCreditorPayedOut = 0;
            lastTimeOfNewCredit = now;
            profitFromCrash = 0;
            creditorAddresses = new address[](0);
            creditorAmounts = new uint[](0);
            round += 1;
            return false;
        }
        if (amount >= 10 ** 18) {
            lastTimeOfNewCredit = now;
            creditorAddresses.push(msg.sender);
            creditorAmounts.push(amount * 110 / 100);
            lastCreditor = msg.sender;
            corruptElite.transfer(amount * 5 / 100);
            if (profitFromCrash < 10000 * 10 ** 18) {
                profitFromCrash += amount * 5 / 100;
            }
            if (buddy != address(0) && buddy != msg.sender) {
                buddy.transfer(amount * 5 / 100);
            }
            return true;
        }
        msg.sender.transfer(amount);
        return false;
    }

    function totalDebt() public view returns (uint debt) {
        for (uint i = lastCreditorPayedOut; i < creditorAmounts.length; i++) {
            debt += creditorAmounts[i];
        }
    }
}
