// Corpus: a name registrar (Solidity 0.4). register() declares a struct local without
// a location; before 0.5 it defaults to a storage pointer at slot 0, so writing the
// record's fields overwrites `unlocked` and `owner` - the registrar can be unlocked and
// taken over by registering a crafted name.
pragma solidity ^0.4.19;

contract NameRegistrar {
    bool public unlocked = false;
    address public owner;
    uint public fee = 0.01 ether;

    struct NameRecord {
        bytes32 name;
        address mappedAddress;
    }

    mapping(address => NameRecord) public registeredNameRecord;
    mapping(bytes32 => address) public resolve;

    function NameRegistrar() public {
        owner = msg.sender;
    }

    function register(bytes32 _name, address _mappedAddress) public payable {
        require(msg.value >= fee);
        // vuln: access_control
        NameRecord newRecord;
        newRecord.name = _name;
        newRecord.mappedAddress = _mappedAddress;

        resolve[_name] = _mappedAddress;
        registeredNameRecord[msg.sender] = newRecord;

        require(unlocked);
    }

    function unlock() public {
        require(msg.sender == owner);
        unlocked = true;
    }

    function withdrawFees() public {
        require(msg.sender == owner);
        owner.transfer(this.balance);
    }
}
