"""Facts about functions that most detectors share, computed once per project.

See ../shared/ANALYSIS.md. For every function and modifier:

* ``external_calls`` - every call that leaves the contract (low-level ``call``,
  ``delegatecall``, ``send``/``transfer``, calls on contract values, ``new``), with the
  target, the ether value and the gas stipulation; legacy ``x.call.value(v).gas(g)(d)``
  and modern ``x.call{value: v, gas: g}(d)`` give the same fact;
* ``internal_calls`` and ``modifiers``; ``state_reads``/``state_writes`` (direct) and
  ``reads_all``/``writes_all`` (through internal calls and modifiers);
* ``guards`` - access checks over the whole body; ``reentrancy_guarded`` - a mutex;
* ``reachable_by_anyone`` - public or external, not a constructor, not guarded; an
  internal function is reachable when a reachable function calls it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from contract_analyzer.ir.access import StateAccess, collect_accesses, storage_aliases
from contract_analyzer.ir.builtins import ETHER_TRANSFERS, LOW_LEVEL_CALLS
from contract_analyzer.ir.declarations import Callable, Contract, Function, Modifier, StateVariable
from contract_analyzer.ir.guards import Guard, GuardAnalysis
from contract_analyzer.ir.index import facts_of
from contract_analyzer.ir.nodes import (
    Assignment,
    Call,
    Expr,
    Identifier,
    Index,
    Literal,
    Member,
    New,
    Stmt,
    Update,
    Variable,
)
from contract_analyzer.ir.resolve import dotted_name, unwrap_chain

if TYPE_CHECKING:
    from contract_analyzer.ir.project import Project

_MUTEX_NAME = re.compile(
    r"non_?reentrant|no_?reentran|reentrancy|mutex|^lock$|locked|guard", re.IGNORECASE
)


class ExternalCall:
    """A call that leaves the contract.

    ``kind``: ``call``, ``delegatecall``, ``staticcall``, ``callcode`` (low-level),
    ``send``, ``transfer`` (ether with 2300 gas), ``high_level`` (a function of a
    contract value), ``new`` (contract creation).
    """

    __slots__ = ("call", "callee", "function_name", "gas", "kind", "owner", "target", "value")

    def __init__(
        self,
        kind: str,
        call: Call,
        target: Expr | None,
        value: Expr | None,
        gas: Expr | None,
        function_name: str | None,
        callee: Function | None,
        owner: Callable,
    ) -> None:
        self.kind = kind
        self.call = call
        self.target = target
        self.value = value
        self.gas = gas
        self.function_name = function_name
        self.callee = callee
        self.owner = owner

    def __repr__(self) -> str:
        return f"ExternalCall({self.kind} @{self.call.line})"

    @property
    def line(self) -> int:
        return self.call.line

    @property
    def stmt(self) -> Stmt | None:
        return self.call.stmt

    @property
    def is_low_level(self) -> bool:
        return self.kind in LOW_LEVEL_CALLS

    @property
    def sends_ether(self) -> bool:
        if self.kind in ETHER_TRANSFERS:
            return True
        value = self.value
        if value is None:
            return False
        return not (isinstance(value, Literal) and value.int_value() == 0)

    @property
    def to_self(self) -> bool:
        """A call to this contract's own external function (``this.f()``)."""
        target = self.target
        return isinstance(target, Identifier) and target.name == "this"

    @property
    def can_reenter(self) -> bool:
        """The callee gets enough gas and control to call back into us."""
        if self.to_self:
            return False
        if self.kind in ("call", "callcode", "delegatecall"):
            gas = self.gas
            if isinstance(gas, Literal):
                amount = gas.int_value()
                if amount is not None and amount <= 2300:
                    return False
            return True
        if self.kind == "high_level":
            if isinstance(self.call.target, StateVariable):
                return False  # a public state variable's getter only reads
            callee = self.callee
            return not (callee is not None and callee.is_view)
        return False


class FunctionFacts:
    """The shared facts of one function or modifier (see the module docstring)."""

    def __init__(self, callable_: Callable) -> None:
        self.callable = callable_
        self.external_calls: list[ExternalCall] = []
        self.internal_calls: list[tuple[Call, Function]] = []
        self.modifiers: list[Modifier] = []
        self.state_reads: list[StateAccess] = []
        self.state_writes: list[StateAccess] = []
        self.aliases: dict[Variable, StateVariable] = {}
        self.callees: list[Callable] = []  # transitive, this one excluded
        self.reads_all: set[StateVariable] = set()
        self.writes_all: set[StateVariable] = set()
        self.calls_out_all: list[ExternalCall] = []
        self.callers: list[Function] = []
        self.guards: list[Guard] = []
        self.reentrancy_guarded = False
        self.reachable_by_anyone = False
        self.ether_out: list[Expr] = []

    @property
    def is_protected(self) -> bool:
        """Some privileged access check covers the whole body."""
        return any(g.privileged for g in self.guards)

    def writes(self, var: StateVariable) -> bool:
        return var in self.writes_all


def compute_facts(project: Project) -> None:
    callables: list[Callable] = []
    for unit in project.units:
        callables.extend(unit.functions)
        for contract in unit.contracts:
            callables.extend(contract.functions)
            callables.extend(contract.modifiers)
    facts_by_id: dict[int, FunctionFacts] = {}
    for callable_ in callables:
        facts = _direct_facts(callable_)
        facts_by_id[id(callable_)] = facts
        callable_.facts = facts
    for callable_ in callables:
        _transitive(callable_, facts_by_id)
    guards = GuardAnalysis(_counters(facts_by_id.values()))
    functions = [c for c in callables if isinstance(c, Function)]
    for _ in range(3):  # a membership anyone can take is no guard; that can open more
        for function in functions:
            facts = facts_by_id[id(function)]
            facts.guards = guards.function_guards(function)
            facts.reentrancy_guarded = _is_reentrancy_guarded(function, facts)
        _reachability(callables, facts_by_id)
        enrolled = _self_enrolled(functions, facts_by_id)
        if enrolled <= guards.self_enrolled:
            break
        guards.self_enrolled |= enrolled
        guards.forget()
    project.guard_analysis = guards


def _self_enrolled(
    functions: list[Function], facts_by_id: dict[int, FunctionFacts]
) -> set[StateVariable]:
    """State mappings that a function anyone can call writes at ``[msg.sender]``."""
    out: set[StateVariable] = set()
    for function in functions:
        facts = facts_by_id[id(function)]
        if not facts.reachable_by_anyone:
            continue
        for body in (function, *facts.callees):
            for access in facts_by_id[id(body)].state_writes if id(body) in facts_by_id else ():
                node = access.node
                target = node.target if isinstance(node, Assignment) else None
                if isinstance(target, Index) and dotted_name(target.index) == "msg.sender":
                    out.add(access.var)
    return out


def _counters(all_facts: Iterable[FunctionFacts]) -> set[StateVariable]:
    """State variables some code writes with a computed value (``+=``, ``++``, ``= x + y``):
    amounts, not flags."""
    out: set[StateVariable] = set()
    for facts in all_facts:
        for access in facts.state_writes:
            node = access.node
            if isinstance(node, Update) or (
                isinstance(node, Assignment)
                and (node.op != "=" or not isinstance(node.value, Literal))
            ):
                out.add(access.var)
    return out


def facts_of_callable(callable_: Callable) -> FunctionFacts:
    """The facts of ``callable_`` (empty ones if the project was not built)."""
    return callable_.facts or FunctionFacts(callable_)


# ---------------------------------------------------------------------- direct facts


def _direct_facts(callable_: Callable) -> FunctionFacts:
    facts = FunctionFacts(callable_)
    index = callable_.index
    if isinstance(callable_, Function):
        for invocation in callable_.modifiers:
            if isinstance(invocation.ref, Modifier):
                facts.modifiers.append(invocation.ref)
    if index is None:
        return facts
    for call in index.calls:
        kind = call.kind
        if (kind == "internal" and isinstance(call.target, Function)) or (
            kind == "library" and isinstance(call.target, Function) and call.target.body is not None
        ):
            facts.internal_calls.append((call, call.target))
        ext = _external_call(call, callable_)
        if ext is not None:
            facts.external_calls.append(ext)
            if ext.sends_ether:
                facts.ether_out.append(call)
        elif (
            kind == "builtin"
            and isinstance(call.callee, Identifier)
            and call.callee.name
            in (
                "selfdestruct",
                "suicide",
            )
        ):
            facts.ether_out.append(call)
    facts.aliases = storage_aliases(callable_)
    facts.state_reads, facts.state_writes = collect_accesses(callable_, facts.aliases)
    return facts


def _external_call(call: Call, owner: Callable) -> ExternalCall | None:
    kind = call.kind
    if kind == "low_level":
        callee = call.callee
        if isinstance(callee, Call):
            callee, _ = unwrap_chain(call)
        if not isinstance(callee, Member):
            return None
        name = callee.member
        value = call.options.get("value")
        if name in ETHER_TRANSFERS and call.args:
            value = call.args[0]
        return ExternalCall(
            name, call, callee.base, value, call.options.get("gas"), None, None, owner
        )
    if kind == "external":
        callee = call.callee
        if isinstance(callee, Call):
            callee, _ = unwrap_chain(call)
        if not isinstance(callee, Member):
            return None
        target = call.target if isinstance(call.target, Function) else None
        return ExternalCall(
            "high_level",
            call,
            callee.base,
            call.options.get("value"),
            call.options.get("gas"),
            callee.member,
            target,
            owner,
        )
    if kind == "new":
        callee = call.callee
        if isinstance(callee, New) and callee.type_name.kind == "user":
            return ExternalCall(
                "new", call, None, call.options.get("value"), None, None, None, owner
            )
    return None


# ---------------------------------------------------------------------- transitive


def _transitive(callable_: Callable, facts_by_id: dict[int, FunctionFacts]) -> None:
    facts = facts_by_id[id(callable_)]
    seen: dict[int, Callable] = {}
    stack: list[Callable] = [callable_]
    while stack:
        current = stack.pop()
        current_facts = facts_by_id.get(id(current))
        if current_facts is None:
            continue
        for _, nxt in current_facts.internal_calls:
            if id(nxt) not in seen and nxt is not callable_:
                seen[id(nxt)] = nxt
                stack.append(nxt)
        for modifier in current_facts.modifiers:
            if id(modifier) not in seen and modifier is not callable_:
                seen[id(modifier)] = modifier
                stack.append(modifier)
    facts.callees = list(seen.values())
    reads = {a.var for a in facts.state_reads}
    writes = {a.var for a in facts.state_writes}
    calls_out = list(facts.external_calls)
    for callee in facts.callees:
        callee_facts = facts_by_id.get(id(callee))
        if callee_facts is None:
            continue
        for access in callee_facts.state_reads:
            reads.add(access.var)
        for access in callee_facts.state_writes:
            writes.add(access.var)
        calls_out.extend(callee_facts.external_calls)
        if isinstance(callee, Function) and isinstance(callable_, Function):
            callee_facts.callers.append(callable_)
    facts.reads_all = reads
    facts.writes_all = writes
    facts.calls_out_all = calls_out


# ---------------------------------------------------------------------- reentrancy guard


def _is_reentrancy_guarded(function: Function, facts: FunctionFacts) -> bool:
    for invocation in function.modifiers:
        ref = invocation.ref
        if isinstance(ref, Modifier):
            if is_mutex_modifier(ref):
                return True
        elif ref is None and _MUTEX_NAME.search(invocation.name):
            return True
    return _has_inline_mutex(function, facts)


def is_mutex_modifier(modifier: Modifier) -> bool:
    """A modifier that checks a state flag, sets it before ``_`` and resets it after
    (recognised by what it does, not by its name)."""
    index = modifier.index
    if index is None or not index.placeholders:
        return bool(_MUTEX_NAME.search(modifier.name)) and index is None
    placeholder = index.placeholders[0]
    checked: set[StateVariable] = set()
    for expr, _truth in facts_of(placeholder.conditions):
        for node in expr.walk():
            if isinstance(node, Identifier) and isinstance(node.ref, StateVariable):
                checked.add(node.ref)
    before: set[StateVariable] = set()
    after: set[StateVariable] = set()
    for assignment in index.assignments:
        target = assignment.target
        if isinstance(target, Identifier) and isinstance(target.ref, StateVariable):
            if assignment.start < placeholder.start:
                before.add(target.ref)
            else:
                after.add(target.ref)
    for call in index.calls:
        # OpenZeppelin style: _nonReentrantBefore(); _; _nonReentrantAfter();
        callee = call.target
        if call.kind == "internal" and isinstance(callee, Function) and callee.facts is not None:
            written = {a.var for a in callee.facts.state_writes}
            read_checked = set()
            if callee.body is not None and callee.index is not None:
                for stmt in callee.index.statements:
                    for expr, _truth in facts_of(stmt.conditions):
                        for node in expr.walk():
                            if isinstance(node, Identifier) and isinstance(node.ref, StateVariable):
                                read_checked.add(node.ref)
                if call.start < placeholder.start:
                    before.update(written)
                    checked.update(read_checked)
                else:
                    after.update(written)
    if checked & before & after:
        return True
    return _named_lock_around_placeholder(modifier, placeholder.start)


def _named_lock_around_placeholder(modifier: Modifier, placeholder_start: int) -> bool:
    """A modifier named as a lock (``nonReentrant``) that calls helpers before and after
    ``_``: the lock state may live where the IR cannot name it (OpenZeppelin 5 keeps it
    in an ERC-7201 storage slot written through ``StorageSlot``), so the shape and the
    name together are taken as the lock."""
    index = modifier.index
    if index is None or not _MUTEX_NAME.search(modifier.name):
        return False
    calls = [c for c in index.calls if c.kind == "internal"]
    return any(c.start < placeholder_start for c in calls) and any(
        c.start > placeholder_start for c in calls
    )


def _has_inline_mutex(function: Function, facts: FunctionFacts) -> bool:
    """``require(!locked); locked = true; ... call ...; locked = false;`` in the body."""
    if not facts.external_calls or function.index is None:
        return False
    first_call = facts.external_calls[0].call
    stmt = first_call.stmt
    if stmt is None:
        return False
    checked: set[StateVariable] = set()
    for expr, _truth in facts_of(stmt.conditions):
        for node in expr.walk():
            if isinstance(node, Identifier) and isinstance(node.ref, StateVariable):
                checked.add(node.ref)
    for assignment in function.index.assignments:
        if assignment.start >= first_call.start:
            break
        target = assignment.target
        if (
            isinstance(target, Identifier)
            and isinstance(target.ref, StateVariable)
            and target.ref in checked
            and isinstance(assignment, Assignment)
        ):
            return True
    return False


# ---------------------------------------------------------------------- reachability


def _reachability(callables: list[Callable], facts_by_id: dict[int, FunctionFacts]) -> None:
    work: list[Function] = []
    for callable_ in callables:
        if not isinstance(callable_, Function):
            continue
        facts = facts_by_id[id(callable_)]
        if callable_.is_public and not facts.is_protected:
            facts.reachable_by_anyone = True
            work.append(callable_)
    while work:
        function = work.pop()
        for _, callee in facts_by_id[id(function)].internal_calls:
            callee_facts = facts_by_id.get(id(callee))
            if callee_facts is None or callee_facts.reachable_by_anyone:
                continue
            if callee_facts.is_protected:
                continue
            callee_facts.reachable_by_anyone = True
            work.append(callee)


def contract_of(callable_: Callable) -> Contract | None:
    return callable_.contract
