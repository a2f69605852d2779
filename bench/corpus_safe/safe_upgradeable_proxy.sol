// Safe corpus: a minimal upgradeable proxy (Solidity 0.8) in the EIP-1967 layout. The
// fallback delegates every call to the implementation stored in a fixed slot - the
// proxy pattern itself - and only the admin (also in a fixed slot, set in the
// constructor) can change the implementation. The admin cannot call through the proxy,
// which avoids selector clashes.
// SPDX-License-Identifier: MIT
pragma solidity ^0.8.19;

contract AdminProxy {
    bytes32 private constant IMPLEMENTATION_SLOT =
        0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc;
    bytes32 private constant ADMIN_SLOT =
        0xb53127684a568b3173ae13b9f8a6016e243e63b6e8ee1178d6a717850b5d6103;

    event Upgraded(address indexed implementation);
    event AdminChanged(address previousAdmin, address newAdmin);

    constructor(address implementation_, address admin_) {
        require(implementation_.code.length > 0, "implementation is not a contract");
        require(admin_ != address(0), "zero admin");
        _setImplementation(implementation_);
        assembly {
            sstore(ADMIN_SLOT, admin_)
        }
    }

    modifier onlyAdmin() {
        require(msg.sender == _admin(), "admin only");
        _;
    }

    function upgradeTo(address next) external onlyAdmin {
        require(next.code.length > 0, "implementation is not a contract");
        _setImplementation(next);
        emit Upgraded(next);
    }

    function changeAdmin(address next) external onlyAdmin {
        require(next != address(0), "zero admin");
        emit AdminChanged(_admin(), next);
        assembly {
            sstore(ADMIN_SLOT, next)
        }
    }

    function _admin() internal view returns (address a) {
        assembly {
            a := sload(ADMIN_SLOT)
        }
    }

    function _implementation() internal view returns (address impl) {
        assembly {
            impl := sload(IMPLEMENTATION_SLOT)
        }
    }

    function _setImplementation(address impl) private {
        assembly {
            sstore(IMPLEMENTATION_SLOT, impl)
        }
    }

    fallback() external payable {
        require(msg.sender != _admin(), "admin cannot call the implementation");
        address impl = _implementation();
        assembly {
            calldatacopy(0, 0, calldatasize())
            let result := delegatecall(gas(), impl, 0, calldatasize(), 0, 0)
            returndatacopy(0, 0, returndatasize())
            switch result
            case 0 {
                revert(0, returndatasize())
            }
            default {
                return(0, returndatasize())
            }
        }
    }

    receive() external payable {}
}
