"""Who can run code: functions open to anyone (checks anyone can pass do not count as
access control), and answers cached for one analysis."""

from __future__ import annotations

from collections.abc import Callable as Compute
from typing import TypeVar
from weakref import WeakKeyDictionary

from contract_analyzer.detectors.context import Context
from contract_analyzer.detectors.dos._exprs import first_key, is_sender
from contract_analyzer.ir.access import root_state_variable
from contract_analyzer.ir.declarations import Contract, Function, StateVariable
from contract_analyzer.ir.guards import Guard
from contract_analyzer.ir.nodes import (
    Assignment,
    Binary,
    Identifier,
    Index,
    Literal,
    Stmt,
    Variable,
)

T = TypeVar("T")
_CACHES: WeakKeyDictionary[Context, dict[tuple[object, ...], object]] = WeakKeyDictionary()


def memo(ctx: Context, key: tuple[object, ...], compute: Compute[[], T]) -> T:
    """``compute()``, once per analysis (``ctx``) and ``key``."""
    cache = _CACHES.get(ctx)
    if cache is None:
        cache = _CACHES[ctx] = {}
    if key not in cache:
        cache[key] = compute()
    return cache[key]  # type: ignore[return-value]


def functions_of(ctx: Context, contract: Contract) -> list[Function]:
    """``contract.callable_functions()``, computed once per analysis."""
    return memo(ctx, ("functions", id(contract)), contract.callable_functions)


def open_to_anyone(ctx: Context, function: Function) -> bool:
    """Anyone can run ``function``: reachable, or public with only checks that anyone can
    pass - the caller owns a record (``require(requests[id].user == msg.sender)``) or holds
    a title anyone can take (``require(msg.sender == winner)`` where some reachable
    function sets ``winner = msg.sender``)."""
    facts = ctx.facts(function)
    if facts.reachable_by_anyone:
        return True
    if not function.is_public or function.is_constructor:
        return False
    return memo(
        ctx,
        ("open", id(function)),
        lambda: all(not g.privileged or _open_check(ctx, function, g) for g in facts.guards),
    )


def protected_statement(ctx: Context, function: Function, stmt: Stmt | None) -> bool:
    """A privileged check (other than one anyone can pass) covers ``stmt``."""
    if stmt is None or not stmt.conditions:
        return False
    guards = ctx.guards.statement_guards(stmt, function)
    return any(g.privileged and not _open_check(ctx, function, g) for g in guards)


def _open_check(ctx: Context, function: Function, guard: Guard) -> bool:
    node = guard.node
    if guard.kind == "role" and node is not None:
        for part in node.walk():  # isMember[msg.sender] where join() enrols the caller
            var = root_state_variable(part) if isinstance(part, Index) else None
            if var is not None and _claimable(ctx, function.contract, var, enrol=True):
                return True
        return False
    if guard.kind != "owner" or not isinstance(node, Binary):
        return False
    for side in (node.left, node.right):
        if is_sender(side):
            continue
        for part in side.walk():
            if isinstance(part, Index):
                return True
            if isinstance(part, Identifier) and isinstance(part.ref, Variable):
                return True
            if isinstance(part, Identifier) and isinstance(part.ref, StateVariable):
                if _claimable(ctx, function.contract, part.ref):
                    return True
    return False


def _claimable(
    ctx: Context, contract: Contract | None, var: StateVariable, *, enrol: bool = False
) -> bool:
    """Some function anyone can call stores its caller in ``var`` (or, with ``enrol``,
    sets the caller's own entry ``var[msg.sender]``)."""
    if contract is None:
        return False
    return memo(
        ctx,
        ("claimable", id(contract), id(var), enrol),
        lambda: _stores_caller(ctx, contract, var, enrol),
    )


def _stores_caller(ctx: Context, contract: Contract, var: StateVariable, enrol: bool) -> bool:
    for function in functions_of(ctx, contract):
        facts = ctx.facts(function)
        if not facts.reachable_by_anyone:
            continue
        for access in facts.state_writes:
            node = access.node
            if access.var is not var or not isinstance(node, Assignment):
                continue
            if enrol:
                value = node.value
                revoked = isinstance(value, Literal) and value.value in ("false", "0")
                if is_sender(first_key(node.target)) and not revoked:
                    return True
            elif is_sender(node.value):
                return True
    return False
