"""IR regressions found while writing the access-control detectors."""

from __future__ import annotations

from contract_analyzer.ir.declarations import Function
from contract_analyzer.ir.project import Project
from contract_analyzer.parsing import parse_source


def _functions(source: str) -> dict[str, Function]:
    unit = parse_source(source, "t.sol")
    Project([unit]).build()
    return {f.name: f for c in unit.contracts for f in c.functions}


def test_balance_lookup_of_the_caller_is_not_a_role_guard() -> None:
    functions = _functions(
        """
        pragma solidity ^0.8.0;
        contract Bank {
            mapping(address => uint256) balances;
            mapping(address => uint256) wards;
            function deposit() external payable { balances[msg.sender] += msg.value; }
            function rely(address usr) external auth { wards[usr] = 1; }
            function deny(address usr) external auth { wards[usr] = 0; }
            modifier auth { require(wards[msg.sender] == 1); _; }
            function withdraw() external {
                require(balances[msg.sender] != 0);
                balances[msg.sender] = 0;
            }
            function file() external { require(wards[msg.sender] != 0); }
        }
        """
    )
    withdraw = functions["withdraw"].facts
    assert withdraw is not None and not withdraw.is_protected
    assert withdraw.reachable_by_anyone
    # a flag mapping written only with constants stays a role check
    for name in ("rely", "file"):
        facts = functions[name].facts
        assert facts is not None and facts.is_protected, name


def test_local_holding_the_caller_is_the_caller_in_guards() -> None:
    functions = _functions(
        """
        pragma solidity ^0.8.0;
        contract TwoStep {
            address private _owner;
            address private _pending;
            function _msgSender() internal view returns (address) { return msg.sender; }
            function pendingOwner() public view returns (address) { return _pending; }
            function acceptOwnership() external {
                address sender = _msgSender();
                if (pendingOwner() != sender) revert();
                _owner = sender;
            }
            function notAGuard(address who) external {
                address other = who;
                if (pendingOwner() != other) revert();
                _owner = other;
            }
        }
        """
    )
    accept = functions["acceptOwnership"].facts
    assert accept is not None and accept.is_protected
    other = functions["notAGuard"].facts
    assert other is not None and not other.is_protected


def test_caller_compared_with_an_address_unpacked_from_a_getter_is_an_owner_check() -> None:
    functions = _functions(
        """
        pragma solidity ^0.8.0;
        contract Rules {
            address private _pendingAdmin;
            uint48 private _schedule;
            address private _admin;
            function pendingAdmin() public view returns (address, uint48) {
                return (_pendingAdmin, _schedule);
            }
            function acceptAdmin() external {
                (address newAdmin, ) = pendingAdmin();
                if (msg.sender != newAdmin) revert();
                _admin = newAdmin;
            }
        }
        """
    )
    facts = functions["acceptAdmin"].facts
    assert facts is not None and facts.is_protected


def test_local_flag_set_only_under_an_owner_check_is_a_guard() -> None:
    functions = _functions(
        """
        pragma solidity ^0.8.0;
        contract Multi {
            address[] private owners;
            function execute(address payable to, uint256 value) external {
                bool isOwner;
                for (uint256 i = 0; i < owners.length; i++) {
                    if (owners[i] == msg.sender) isOwner = true;
                }
                require(isOwner, "not owner");
                to.transfer(value);
            }
            function pay(address payable to, bool ok) external {
                bool allowed = ok;
                require(allowed);
                to.transfer(1);
            }
            function call(address target) external {
                (bool success, ) = target.call("");
                require(success);
            }
        }
        """
    )
    execute = functions["execute"].facts
    assert execute is not None and execute.is_protected
    for name in ("pay", "call"):
        facts = functions[name].facts
        assert facts is not None and not facts.is_protected, name


def test_inherited_role_changing_helpers_are_not_guards() -> None:
    functions = _functions(
        """
        pragma solidity ^0.8.0;
        import "./Missing.sol";
        contract Pasted is Ownable {
            function rescue(address newOwner) external { _transferOwnership(newOwner); }
            function guarded(address newOwner) external { _checkOwner(); _transferOwnership(newOwner); }
        }
        """
    )
    rescue = functions["rescue"].facts
    assert rescue is not None and rescue.reachable_by_anyone
    guarded = functions["guarded"].facts
    assert guarded is not None and guarded.is_protected


def test_caller_keyed_allow_lists_of_addresses_enums_and_sets_are_role_guards() -> None:
    functions = _functions(
        """
        pragma solidity ^0.8.0;
        library AddrSet {
            struct Set { mapping(address => uint256) slot; }
            function contains(Set storage s, address a) internal view returns (bool) {
                return s.slot[a] != 0;
            }
        }
        contract Hub {
            using AddrSet for AddrSet.Set;
            enum Mode { NONE, IN, BOTH }
            address owner;
            mapping(address => address) plugins;
            mapping(address => Mode) peers;
            mapping(address => address) delegates;
            AddrSet.Set relays;
            function addPlugin(address p) external { require(msg.sender == owner); plugins[p] = plugins[owner]; }
            function setPeer(address p, Mode m) external { require(msg.sender == owner); peers[p] = m; }
            function delegate(address to) external { delegates[msg.sender] = to; }
            function byPlugin() external { require(plugins[msg.sender] != address(0)); }
            function byPeer() external {
                if (peers[msg.sender] != Mode.IN && peers[msg.sender] != Mode.BOTH) revert();
            }
            function byRelay() external { require(relays.contains(msg.sender)); }
            function byDelegator() external { require(delegates[msg.sender] != address(0)); }
            function byNonPeer() external { require(peers[msg.sender] != Mode.IN); }
        }
        """
    )
    for name in ("byPlugin", "byPeer", "byRelay"):
        facts = functions[name].facts
        assert facts is not None and facts.is_protected, name
    # anyone can fill `delegates[msg.sender]`; not being a peer is no privilege
    for name in ("byDelegator", "byNonPeer"):
        facts = functions[name].facts
        assert facts is not None and not facts.is_protected, name
