"""The IR: declarations, legacy syntax, resolution, inheritance, facts."""

from __future__ import annotations

from contract_analyzer.ir.builtins import Builtin
from contract_analyzer.ir.declarations import Function, StateVariable
from contract_analyzer.ir.nodes import Placeholder, Throw, Variable
from contract_analyzer.ir.project import Project
from contract_analyzer.ir.resolve import FunctionSet
from contract_analyzer.parsing import parse_source

LEGACY = """pragma solidity ^0.4.18;
contract Wallet {
    address owner;
    uint constant LIMIT = 10;
    function Wallet() { owner = msg.sender; }
    function() payable { }
    function get() constant returns (uint) { return LIMIT; }
    function kill() {
        if (msg.sender != owner) throw;
        suicide(owner);
    }
    modifier only { require(msg.sender == owner); _; }
    event Paid(uint a);
    function pay(uint a) only {
        var x = a;
        Paid(x);
        msg.sender.call.value(x).gas(1000)();
    }
}
"""


def _build(source: str, path: str = "x.sol") -> Project:
    return Project([parse_source(source, path)]).build()


def _function(project: Project, name: str) -> Function:
    for contract in project.all_contracts():
        for function in contract.functions:
            if function.name == name:
                return function
    raise AssertionError(name)


def test_legacy_declarations() -> None:
    project = _build(LEGACY)
    contract = next(project.all_contracts())
    kinds = {f.name: f.kind for f in contract.functions}
    assert kinds["Wallet"] == "constructor"
    assert kinds["fallback"] == "fallback"
    get = _function(project, "get")
    assert get.mutability == "view" and get.legacy_constant
    kill = _function(project, "kill")
    assert kill.visibility is None and kill.effective_visibility == "public"
    assert kill.body is not None
    assert any(isinstance(s, Throw) for s in kill.body.walk())
    only = contract.modifiers[0]
    assert only.index is not None and only.index.placeholders
    assert isinstance(only.index.placeholders[0], Placeholder)
    assert contract.unit.version is not None and contract.unit.version.allows_below((0, 5, 0))


def test_legacy_calls_and_events_are_understood() -> None:
    project = _build(LEGACY)
    pay = _function(project, "pay")
    assert pay.facts is not None
    [ext] = pay.facts.external_calls
    assert ext.kind == "call" and ext.value is not None and ext.gas is not None
    assert ext.sends_ether and ext.can_reenter is False  # 1000 gas: cannot re-enter
    assert pay.index is not None
    kinds = {c.kind for c in pay.index.calls}
    assert "event" in kinds and "chain" in kinds
    var_x = pay.index.locals[0]
    assert var_x.type_name is None  # `var`
    kill = _function(project, "kill")
    assert kill.facts is not None and kill.facts.ether_out  # suicide sends the balance


def test_same_name_function_is_not_a_constructor_after_0_5() -> None:
    project = _build("pragma solidity ^0.5.0; contract A { function A() public {} }")
    assert _function(project, "A").kind == "function"


def test_resolution_through_inheritance() -> None:
    source = """pragma solidity ^0.8.0;
contract Base { address public owner; modifier onlyOwner() { require(msg.sender == owner); _; } }
contract Mid is Base { uint internal fee; function _take(uint x) internal returns (uint) { return x - fee; } }
contract Top is Mid {
    function run(uint amount) external onlyOwner returns (uint) {
        uint local = _take(amount);
        owner = msg.sender;
        return local + block.timestamp;
    }
}
"""
    project = _build(source)
    top = next(c for c in project.all_contracts() if c.name == "Top")
    assert [c.name for c in top.linearization] == ["Top", "Mid", "Base"]
    run = _function(project, "run")
    assert run.index is not None
    refs = {i.name: i.ref for i in run.index.identifiers}
    assert isinstance(refs["amount"], Variable) and refs["amount"].kind == "param"
    assert isinstance(refs["owner"], StateVariable) and refs["owner"].contract is not None
    assert refs["owner"].contract.name == "Base"
    assert isinstance(refs["_take"], FunctionSet)
    assert isinstance(refs["msg"], Builtin)
    assert run.facts is not None
    assert [g.kind for g in run.facts.guards] == ["owner"]
    assert not run.facts.reachable_by_anyone
    assert {v.name for v in run.facts.writes_all} == {"owner"}
    assert {v.name for v in run.facts.reads_all} >= {"fee", "owner"}


def test_c3_linearization_order() -> None:
    source = """contract A {} contract B is A {} contract C is A {} contract D is B, C {}"""
    project = _build(source)
    d = next(c for c in project.all_contracts() if c.name == "D")
    assert [c.name for c in d.linearization] == ["D", "C", "B", "A"]


def test_unresolved_base_is_recorded() -> None:
    project = _build(
        'import "./Missing.sol"; contract A is Ownable { function f() public onlyOwner {} }'
    )
    a = next(project.all_contracts())
    assert a.unresolved_bases == ["Ownable"] and a.has_unknown_bases
    f = _function(project, "f")
    assert f.facts is not None
    assert [g.kind for g in f.facts.guards] == ["modifier_name"]  # a guess, low confidence


def test_guard_through_role_function_and_msg_sender_helper() -> None:
    source = """pragma solidity ^0.8.0;
contract Roles {
    mapping(bytes32 => mapping(address => bool)) private _roles;
    bytes32 constant ADMIN = keccak256("ADMIN");
    function hasRole(bytes32 role, address account) public view returns (bool) { return _roles[role][account]; }
    function _msgSender() internal view returns (address) { return msg.sender; }
    function _checkRole(bytes32 role) internal view { if (!hasRole(role, _msgSender())) revert("no"); }
    modifier onlyRole(bytes32 role) { _checkRole(role); _; }
    function grant(address who) external onlyRole(ADMIN) { _roles[ADMIN][who] = true; }
    function open(address who) external { _roles[ADMIN][who] = true; }
}
"""
    project = _build(source)
    grant = _function(project, "grant")
    assert grant.facts is not None and grant.facts.is_protected
    open_ = _function(project, "open")
    assert (
        open_.facts is not None and not open_.facts.is_protected and open_.facts.reachable_by_anyone
    )


def test_caller_match_is_not_privileged() -> None:
    source = """contract T { mapping(address => uint) b;
      function move(address from, address to, uint v) public { require(msg.sender == from); b[from] -= v; b[to] += v; } }"""
    move = _function(_build(source), "move")
    assert move.facts is not None
    assert [g.kind for g in move.facts.guards] == ["caller_match"]
    assert move.facts.reachable_by_anyone


def test_storage_pointer_writes_count_as_state_writes() -> None:
    source = """pragma solidity ^0.8.0;
contract S { struct P { uint a; } mapping(uint => P) ps;
  function f(uint i) external { P storage p = ps[i]; p.a = 1; } }"""
    f = _function(_build(source), "f")
    assert f.facts is not None
    assert {a.var.name for a in f.facts.state_writes} == {"ps"}


def test_fragment_without_contract_is_wrapped() -> None:
    unit = parse_source("function withdraw(uint a) public {\n  msg.sender.transfer(a);\n}\n")
    assert unit.wrapped_fragment
    assert unit.contracts and unit.contracts[0].functions[0].name == "withdraw"
    assert unit.contracts[0].functions[0].line == 1


def test_syntax_errors_keep_the_rest_of_the_file() -> None:
    unit = parse_source(
        "pragma solidity ^0.8.0;\ncontract A {\n function f() public { x = 1 }\n function g() public { y = 2; }\n}\n"
    )
    assert unit.syntax_problems
    names = [f.name for f in unit.contracts[0].functions]
    assert "g" in names


def test_call_kinds() -> None:
    source = """pragma solidity ^0.8.0;
interface IERC20 { function transfer(address, uint) external returns (bool); function balanceOf(address) external view returns (uint); }
library L { function add(uint a, uint b) internal pure returns (uint) { return a + b; } }
contract C {
    using L for uint;
    IERC20 token;
    function f(address payable to, uint v) external {
        token.transfer(to, v);
        to.transfer(v);
        uint x = v.add(1);
        IERC20(to).balanceOf(address(this));
        new D();
        this.g();
        require(x > 0);
    }
    function g() external {}
}
contract D {}
"""
    f = _function(_build(source), "f")
    assert f.index is not None and f.facts is not None
    by_text = {
        c.callee.member if hasattr(c.callee, "member") else type(c.callee).__name__: c.kind
        for c in f.index.calls
    }
    assert by_text["transfer"] in ("external", "low_level")
    kinds = sorted(e.kind for e in f.facts.external_calls)
    assert kinds == ["high_level", "high_level", "high_level", "new", "transfer"]
    balance_of = next(e for e in f.facts.external_calls if e.function_name == "balanceOf")
    assert not balance_of.can_reenter  # a view function
    assert "library" in {c.kind for c in f.index.calls}


def test_a_membership_anyone_can_take_is_not_a_guard() -> None:
    source = """pragma solidity ^0.5.0;
contract Club {
    mapping(address => bool) public members;
    mapping(address => bool) public admins;
    modifier onlyMember() { require(members[msg.sender]); _; }
    modifier onlyAdmin() { require(admins[msg.sender]); _; }
    function join() public { members[msg.sender] = true; }
    function addAdmin(address who) public onlyAdmin { admins[who] = true; }
    function perk() public onlyMember {}
    function admin() public onlyAdmin {}
}
"""
    project = _build(source)
    perk, admin = _function(project, "perk"), _function(project, "admin")
    assert perk.facts is not None and admin.facts is not None
    assert perk.facts.reachable_by_anyone and not perk.facts.is_protected
    assert admin.facts.is_protected and not admin.facts.reachable_by_anyone
