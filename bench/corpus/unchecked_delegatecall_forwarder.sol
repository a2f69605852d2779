// Corpus: an upgradeable "module" wallet (Solidity 0.4) where the owner installs
// modules and runs them with delegatecall. The module is trusted (owner only), but the
// delegatecall result is ignored: a module that fails (out of gas, revert) reports
// success to the caller and the nonce is consumed, so the owner believes an operation
// happened that did not.
pragma solidity ^0.4.24;

contract ModuleWallet {
    address public owner;
    uint public nonce;
    mapping(address => bool) public modules;

    event ModuleEnabled(address module);
    event Executed(uint nonce, address module);

    modifier onlyOwner() {
        require(msg.sender == owner);
        _;
    }

    constructor() public {
        owner = msg.sender;
    }

    function enableModule(address module) public onlyOwner {
        modules[module] = true;
        emit ModuleEnabled(module);
    }

    function disableModule(address module) public onlyOwner {
        modules[module] = false;
    }

    function runModule(address module, bytes data) public onlyOwner {
        require(modules[module]);
        nonce += 1;
        // vuln: unchecked_call
        module.delegatecall(data);
        emit Executed(nonce, module);
    }

    function () public payable {}
}
