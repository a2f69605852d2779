"""The shared helpers of the DoS and front-running detectors, on small contracts."""

from __future__ import annotations

from contract_analyzer.detectors.context import Context
from contract_analyzer.detectors.dos._access import open_to_anyone
from contract_analyzer.detectors.dos._calls import failure_reverts, reached_calls
from contract_analyzer.detectors.dos._exprs import is_sender, path_key
from contract_analyzer.detectors.dos._state import state_paths
from contract_analyzer.ir.declarations import Function
from contract_analyzer.ir.project import Project
from contract_analyzer.parsing import parse_source


def _context(source: str) -> Context:
    unit = parse_source(source, "t.sol")
    return Context(unit, Project([unit]).build())


def _function(ctx: Context, name: str) -> Function:
    return next(f for f in ctx.functions() if f.name == name)


FAILURES = """
pragma solidity ^0.8.0;
interface Hook { function ping() external; }
contract C {
    function a(address payable to) external { to.transfer(1); }
    function b(address payable to) external { require(to.send(1)); }
    function c(address payable to) external { if (!to.send(1)) { revert(); } }
    function d(address payable to) external { to.send(1); }
    function e(address payable to) external { bool ok = to.send(1); if (!ok) { return; } }
    function f(address to) external { (bool ok, ) = to.call{value: 1}(""); require(ok, "x"); }
    function g(Hook h) external { try h.ping() {} catch {} }
    function h(Hook h) external { h.ping(); }
}
"""


def test_failure_reverts_follows_how_the_result_is_used() -> None:
    ctx = _context(FAILURES)
    expected = {"a": True, "b": True, "c": True, "d": False, "e": False, "f": True}
    expected |= {"g": False, "h": True}
    for name, reverts in expected.items():
        calls = ctx.facts(_function(ctx, name)).external_calls
        assert len(calls) == 1, name
        assert failure_reverts(calls[0]) is reverts, name


LIBRARY = """
pragma solidity ^0.8.0;
library Pay {
    function sendValue(address payable to, uint256 v) internal {
        (bool ok, ) = to.call{value: v}("");
        require(ok, "failed");
    }
}
contract C {
    using Pay for address payable;
    address payable[] public list;
    function run() external { list[0].sendValue(1); }
}
"""


def test_reached_calls_map_library_parameters_back_to_the_call_site() -> None:
    ctx = _context(LIBRARY)
    run = _function(ctx, "run")
    assert run.index is not None
    reached = list(reached_calls(ctx, run, run.index.calls))
    assert len(reached) == 1
    assert reached[0].target_owner is run
    key = path_key(run, reached[0].target)
    assert key is not None and key[0].name == "list"
    assert failure_reverts(reached[0].ext)


ACCESS = """
pragma solidity ^0.8.0;
contract C {
    address owner;
    address winner;
    mapping(uint256 => address) holder;
    mapping(address => bool) member;
    mapping(address => bool) admin;
    constructor() { owner = msg.sender; }
    function join() external { member[msg.sender] = true; }
    function grant(address a) external { require(msg.sender == owner); admin[a] = true; }
    function win() external { winner = msg.sender; }
    function ownerOnly() external { require(msg.sender == owner); }
    function winnerOnly() external { require(msg.sender == winner); }
    function holderOnly(uint256 id) external { require(holder[id] == msg.sender); }
    function memberOnly() external { require(member[msg.sender]); }
    function adminOnly() external { require(admin[msg.sender]); }
}
"""


def test_checks_anyone_can_pass_are_not_access_control() -> None:
    ctx = _context(ACCESS)
    assert not open_to_anyone(ctx, _function(ctx, "ownerOnly"))
    assert not open_to_anyone(ctx, _function(ctx, "adminOnly"))
    assert open_to_anyone(ctx, _function(ctx, "winnerOnly"))
    assert open_to_anyone(ctx, _function(ctx, "holderOnly"))
    assert open_to_anyone(ctx, _function(ctx, "memberOnly"))


PATHS = """
pragma solidity ^0.8.0;
contract C {
    struct Round { address[] players; uint256 pot; }
    mapping(uint256 => Round) rounds;
    address owner;
    uint256[] tiers;
    function enter(uint256 id) external payable {
        Round storage r = rounds[id];
        r.players.push(msg.sender);
        r.pot += msg.value;
    }
    function addTier(uint256 t) external { require(msg.sender == owner); tiers.push(t); }
}
"""


def test_state_paths_record_who_grows_what() -> None:
    ctx = _context(PATHS)
    contract = ctx.contracts[0]
    paths = state_paths(ctx, contract)
    rounds = contract.find_state_variable("rounds")
    tiers = contract.find_state_variable("tiers")
    assert rounds is not None and tiers is not None
    assert [w.function.name for w in paths.anyone_writes((rounds, "players"), grows=True)] == [
        "enter"
    ]
    assert paths.anyone_writes((tiers, None)) == []
    assert [w.function.name for w in paths.writes[(tiers, None)]] == ["addTier"]
    assert state_paths(ctx, contract) is paths  # computed once per analysis


def test_is_sender_sees_through_conversions_and_msg_sender_helpers() -> None:
    ctx = _context(
        """
        pragma solidity ^0.8.0;
        contract C {
            function _msgSender() internal view returns (address) { return msg.sender; }
            function f() external { payable(msg.sender).transfer(1); payable(_msgSender()).transfer(1); }
        }
        """
    )
    calls = ctx.facts(_function(ctx, "f")).external_calls
    assert [is_sender(c.target) for c in calls] == [True, True]
