"""Prices in a contract: who sets them, where they decide what a caller pays or receives,
and whether the caller can bound the result (helpers of transaction_order_dependence)."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import NamedTuple

from contract_analyzer.detectors.context import Context
from contract_analyzer.detectors.dos._calls import reached_calls
from contract_analyzer.detectors.dos._exprs import first_key, is_sender
from contract_analyzer.detectors.dos._state import StatePaths, Write
from contract_analyzer.ir.declarations import Function, StateVariable
from contract_analyzer.ir.index import facts_of
from contract_analyzer.ir.nodes import (
    Assignment,
    Binary,
    Expr,
    Identifier,
    Literal,
    Node,
    VarDecl,
    Variable,
)
from contract_analyzer.ir.taint import Labels
from contract_analyzer.ir.types import TypeName

_SETTER_SOURCES = frozenset({"param", "msg.value"})
_LIMITS = frozenset({"<", "<=", ">", ">=", "=="})
_BALANCE_OPS = frozenset({"+=", "-=", "="})
_Sink = tuple[Expr, Expr, list[str], str]  # node, amount, variables used, what happens


class Setter(NamedTuple):
    function: Function
    capped: bool


def price_variables(ctx: Context, paths: StatePaths) -> tuple[dict[str, Setter], set[str]]:
    """Numeric state only privileged code sets from a value it is given (name -> setter),
    and numeric scalars that code anyone can run changes (reserves)."""
    settable: dict[str, Setter] = {}
    moving: set[str] = set()
    for key, writes in paths.writes.items():
        var = key[0]
        if var.constant or var.immutable or not _numeric(var.type_name):
            continue
        if any(w.anyone for w in writes):
            if var.type_name.kind != "mapping":
                moving.add(var.name)
            continue
        setters = [
            w
            for w in writes
            if isinstance(w.node, Assignment)
            and w.node.op == "="
            and ctx.sources(w.function, w.node.value) & _SETTER_SOURCES
        ]
        if setters:
            settable[var.name] = Setter(setters[0].function, all(_capped(w) for w in setters))
    return settable, moving


def _capped(write: Write) -> bool:
    """The setter bounds the new value (``require(newFee <= MAX_FEE)``)."""
    node = write.node
    stmt = node.stmt
    if not isinstance(node, Assignment) or stmt is None:
        return False
    params = {
        n.ref
        for n in node.value.walk()
        if isinstance(n, Identifier) and isinstance(n.ref, Variable) and n.ref.kind == "param"
    }
    for expr, _truth in facts_of(stmt.conditions):
        if not isinstance(expr, Binary) or expr.op not in ("<", "<=", ">", ">="):
            continue
        for side, other in ((expr.left, expr.right), (expr.right, expr.left)):
            if _mentions_any(side, params) and _constant(other):
                return True
    return False


def _mentions_any(expr: Expr, params: set[Variable]) -> bool:
    return any(isinstance(n, Identifier) and n.ref in params for n in expr.walk())


def _constant(expr: Expr) -> bool:
    if isinstance(expr, Literal):
        return True
    if isinstance(expr, Identifier) and isinstance(expr.ref, StateVariable):
        return expr.ref.constant or expr.ref.immutable
    return isinstance(expr, Binary) and _constant(expr.left) and _constant(expr.right)


def _numeric(type_name: TypeName | None) -> bool:
    if type_name is None:
        return False
    if type_name.kind == "mapping":
        return _numeric(type_name.value)
    return type_name.is_integer


def _uses(labels: Labels, names: Collection[str]) -> list[str]:
    return [label[6:] for label in sorted(labels) if label[:6] == "state:" and label[6:] in names]


def first_sink(ctx: Context, function: Function, names: Collection[str]) -> _Sink | None:
    """Where one of ``names`` decides what the caller pays or receives."""
    index = function.index
    assert index is not None
    for reached in reached_calls(ctx, function, index.calls, depth=1):
        ext = reached.ext
        if reached.site is not ext.call:
            continue
        if ext.sends_ether and is_sender(reached.target) and ext.value is not None:
            labels = ctx.sources(function, ext.value)
            used = _uses(labels, names)
            if used and "msg.value" not in labels:
                return ext.call, ext.value, used, "sends the caller ether computed"
        elif ext.kind == "high_level" and any(is_sender(a) for a in ext.call.args):
            for arg in ext.call.args:
                used = _uses(ctx.sources(function, arg), names)
                if used:
                    return ext.call, arg, used, "transfers tokens to the caller computed"
    for call, callee in ctx.facts(function).internal_calls:
        if not any(is_sender(a) for a in call.args) or not ctx.facts(callee).writes_all:
            continue
        for arg in call.args:
            used = _uses(ctx.sources(function, arg), names)
            if used:
                return call, arg, used, "credits the caller an amount computed"
    for assignment in index.assignments:
        if assignment.op not in _BALANCE_OPS or not is_sender(first_key(assignment.target)):
            continue
        used = _uses(ctx.sources(function, assignment.value), names)
        if used:
            what = "updates the caller's balance by an amount computed"
            return assignment, assignment.value, used, what
    return None


def user_limited(ctx: Context, function: Function, names: list[str]) -> bool:
    """The caller bounds the result: a comparison of a caller-supplied value with an amount
    computed from ``names`` (not derived from that same value), or a deadline."""
    index = function.index
    assert index is not None
    wanted = {f"state:{n}" for n in names}
    for binary in index.binaries:
        if binary.op not in _LIMITS:
            continue
        for side, other in ((binary.left, binary.right), (binary.right, binary.left)):
            labels = ctx.sources(function, side)
            if not labels or not all(label.startswith("param") for label in labels):
                continue
            other_labels = ctx.sources(function, other)
            if "block.timestamp" in other_labels:
                return True
            own = {label for label in labels if label != "param"}
            if other_labels & wanted and not own & other_labels:
                return True
    return False


def _value_nodes(function: Function, expr: Expr, depth: int = 0) -> Iterator[Node]:
    """The nodes of ``expr`` and of the definitions of the locals it uses."""
    for node in expr.walk():
        yield node
        if depth < 3 and isinstance(node, Identifier) and isinstance(node.ref, Variable):
            for definition in _definitions(function, node.ref):
                yield from _value_nodes(function, definition, depth + 1)


def _definitions(function: Function, var: Variable) -> list[Expr]:
    if var.kind == "param":
        return []
    out: list[Expr] = []
    parent = var.parent
    if isinstance(parent, VarDecl) and parent.value is not None and not parent.is_tuple:
        out.append(parent.value)
    index = function.index
    if index is not None:
        for assignment in index.assignments:
            if isinstance(assignment.target, Identifier) and assignment.target.ref is var:
                out.append(assignment.value)
    return out


def first_read(function: Function, amount: Expr, names: list[str]) -> Expr | None:
    reads = [
        node
        for node in _value_nodes(function, amount)
        if isinstance(node, Identifier) and getattr(node.ref, "name", None) in names
    ]
    return min(reads, key=lambda n: n.start) if reads else None


def curve_division(
    ctx: Context, function: Function, amount: Expr, names: set[str]
) -> Binary | None:
    """``out = in * rOut / (rIn + in)``: a division whose denominator adds the trade size to
    a reserve, so the price moves with the size of each trade."""
    for node in _value_nodes(function, amount):
        if not isinstance(node, Binary) or node.op != "/":
            continue
        if not any(isinstance(n, Binary) and n.op == "+" for n in node.right.walk()):
            continue
        labels = ctx.sources(function, node.right)
        if _uses(labels, names) and labels & _SETTER_SOURCES:
            return node
    return None
