"""Deposits credited to their sender, ether exits, and flags a payout waits on (helpers of
owner_dependent_lock)."""

from __future__ import annotations

from contract_analyzer.detectors.common import is_require
from contract_analyzer.detectors.context import Context
from contract_analyzer.detectors.dos._calls import reverts
from contract_analyzer.detectors.dos._exprs import (
    PathKey,
    first_key,
    is_sender,
    path_key,
)
from contract_analyzer.ir.declarations import Function, StateVariable
from contract_analyzer.ir.index import facts_of
from contract_analyzer.ir.nodes import (
    Assignment,
    Binary,
    Expr,
    Identifier,
    If,
    Index,
    Literal,
    Member,
    Unary,
)

_CREDIT_OPS = frozenset({"=", "+="})


def credits_sender(ctx: Context, function: Function) -> StateVariable | None:
    """The balance a payable function anyone can call credits with ``msg.value`` for the
    sender (``balances[msg.sender] += msg.value``), if any."""
    facts = ctx.facts(function)
    if not function.is_payable or not function.is_public or not facts.reachable_by_anyone:
        return None
    for body in (function, *facts.callees):
        inner = body is not function
        for access in ctx.facts(body).state_writes:
            node = access.node
            if not isinstance(node, Assignment) or node.op not in _CREDIT_OPS:
                continue
            key = first_key(node.target)
            if key is None:
                continue
            value = ctx.sources(body, node.value)
            if inner:
                key_labels = ctx.sources(body, key)
                if ("param" in key_labels or is_sender(key)) and (
                    "param" in value or "msg.value" in value
                ):
                    return access.var
            elif is_sender(key) and "msg.value" in value:
                return access.var
    return None


def debited(ctx: Context, functions: list[Function], var: StateVariable) -> bool:
    """Some function lowers or clears entries of ``var``: it is a balance that gets paid
    out, not a receipt of what was paid (``paidBy[msg.sender] += msg.value``)."""
    for function in functions:
        for access in ctx.facts(function).state_writes:
            node = access.node
            if access.var is not var:
                continue
            if isinstance(node, Unary) and node.op == "delete":
                return True
            if isinstance(node, Assignment) and (
                node.op == "-="
                or (node.op == "=" and isinstance(node.value, Literal) and node.value.value == "0")
            ):
                return True
    return False


def ether_out(ctx: Context, function: Function) -> bool:
    facts = ctx.facts(function)
    return bool(facts.ether_out) or any(ctx.facts(c).ether_out for c in facts.callees)


def approval_flag(owner: Function, expr: Expr, truth: bool) -> PathKey | None:
    """``finalized``, ``approved[id]`` or ``requests[id].approved`` required to be true."""
    if isinstance(expr, Binary) and expr.op in ("==", "!="):
        if is_true(expr.right) and ((expr.op == "==") == truth):
            expr, truth = expr.left, True
        else:
            return None
    if not truth or not isinstance(expr, Index | Member | Identifier):
        return None
    key = path_key(owner, expr)
    if key is None or key[0].constant or key[0].immutable:
        return None
    type_name = key[0].type_name
    if type_name.kind != "mapping" and not type_name.is_bool:
        return None
    return key


def required_flags(deposits: list[Function]) -> set[StateVariable]:
    out: set[StateVariable] = set()
    for function in deposits:
        index = function.index
        if index is None:
            continue
        checks: list[tuple[Expr, bool]] = []
        for call in index.calls:
            if is_require(call) and call.args:
                checks.append((call.args[0], True))
        for stmt in index.statements:
            if isinstance(stmt, If) and reverts(stmt.then):
                checks.append((stmt.cond, False))
        for expr, truth in facts_of(tuple(checks)):
            flag = approval_flag(function, expr, truth)
            if flag is not None:
                out.add(flag[0])
    return out


def is_true(expr: Expr | None) -> bool:
    return isinstance(expr, Literal) and expr.value == "true"


_BLOCK_TIME = frozenset({"block.timestamp", "now", "block.number"})
# comparisons that hold once the clock has passed the right-hand side
_LATER = {">": True, ">=": True, "<": False, "<=": False}


def release_time(owner: Function, expr: Expr, truth: bool) -> PathKey | None:
    """``block.timestamp >= unlockAt`` (or ``unlockAt < now``) required to hold: the
    scalar state variable the clock has to pass."""
    if not truth or not isinstance(expr, Binary) or expr.op not in _LATER:
        return None
    clock_left = _is_clock(expr.left)
    if clock_left == _is_clock(expr.right):
        return None
    other = expr.right if clock_left else expr.left
    if _LATER[expr.op] != clock_left:
        return None  # `block.timestamp < deadline`: a window that closes, not a lock
    if not isinstance(other, Identifier):
        return None
    key = path_key(owner, other)
    if key is None or key[0].constant or key[0].immutable:
        return None
    return key if key[0].type_name.is_integer else None


def _is_clock(expr: Expr) -> bool:
    from contract_analyzer.ir.resolve import dotted_name

    return dotted_name(expr) in _BLOCK_TIME
