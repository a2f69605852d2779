"""Helpers shared by the arithmetic detectors: local definitions, comments that
declare wrap-around intended, and where a result ends up (state, an ether amount)."""

from __future__ import annotations

import bisect
import re

from contract_analyzer.detectors.arithmetic._keys import strip
from contract_analyzer.detectors.context import Context
from contract_analyzer.ir.access import root_state_variable
from contract_analyzer.ir.declarations import Function, SourceUnit, StateVariable
from contract_analyzer.ir.nodes import (
    Assignment,
    Binary,
    Block,
    Call,
    Conditional,
    Expr,
    Identifier,
    Index,
    Member,
    Node,
    Stmt,
    TupleExpr,
    VarDecl,
    Variable,
)
from contract_analyzer.ir.render import render
from contract_analyzer.ir.resolve import dotted_name

_ANNOTATION = re.compile(r"\s*(//|/\*)?\s*(ruleid|ok|todoruleid)\s*:")  # test fixtures
_INTENT = re.compile(r"(over|under)flow|wrap", re.IGNORECASE)
_INTENT_OK = re.compile(
    r"desired|intend|expect|cannot|can't|can ?not|never|won't|impossible|not possible|"
    r"unrealistic|unlikely|impractical|infeasible|safe|checked|bounded|allowed|on purpose",
    re.IGNORECASE,
)


def root_state(fn: Function, ctx: Context, expr: Expr | None) -> StateVariable | None:
    return root_state_variable(strip(expr), ctx.facts(fn).aliases)


def account_entry(ctx: Context, fn: Function, target: Expr | None) -> str:
    """For a per-account entry of state (``balances[from]``, ``allowed[from][spender]``,
    a mapping looked up by an address), the text of the entry; else ``""`` (a total
    like ``totalSupply`` or ``poolTotal[pid]``, which a checked entry bounds)."""
    node = strip(target)
    if node is None or root_state(fn, ctx, node) is None:
        return ""
    keyed = False
    while isinstance(node, Index | Member):
        if isinstance(node, Index) and node.index is not None:
            key_type = ctx.type_of(fn, node.index)
            keyed |= dotted_name(node.index) in ("msg.sender", "tx.origin") or (
                key_type is not None and key_type.is_address
            )
        node = node.base
    return render(target, max_len=200) if keyed else ""


def local_of(expr: Expr | None) -> Variable | None:
    expr = strip(expr)
    if isinstance(expr, Identifier) and isinstance(expr.ref, Variable):
        return expr.ref
    return None


def result_local(node: Expr) -> Variable | None:
    """The local that receives ``node`` directly (``T c = node;`` or ``c = node;``)."""
    child: Node = node
    parent = node.parent
    while isinstance(parent, TupleExpr) and len(parent.elements) == 1:
        child, parent = parent, parent.parent
    if isinstance(parent, VarDecl) and len(parent.variables) == 1 and parent.value is child:
        return parent.variables[0]
    if isinstance(parent, Assignment) and parent.op == "=" and parent.value is child:
        return local_of(parent.target)
    return None


def local_definitions(fn: Function) -> dict[Variable, list[Expr]]:
    defs: dict[Variable, list[Expr]] = {}
    index = fn.index
    if index is None:
        return defs
    for var in index.locals:
        parent = var.parent
        if isinstance(parent, VarDecl) and not parent.is_tuple and parent.value is not None:
            defs.setdefault(var, []).append(parent.value)
    for assignment in index.assignments:
        target = local_of(assignment.target)
        if target is not None:
            defs.setdefault(target, []).append(assignment.value)
    return defs


def intent_comment_lines(unit: SourceUnit) -> list[int]:
    """Lines of comments saying the wrap-around is intended or impossible
    (``// overflow is desired``, ``// cannot underflow``), sorted."""
    return sorted(
        comment.line
        for comment in unit.comments
        if _INTENT.search(comment.text)
        and _INTENT_OK.search(comment.text)
        and not _ANNOTATION.match(comment.text)
    )


def covered_by_intent(node: Expr, comments: list[int]) -> bool:
    """An intent comment sits on the node's line or the two before it, or inside (or
    just above) the ``unchecked`` block that holds it."""
    if not comments:
        return False
    line = node.line
    i = bisect.bisect_left(comments, line - 2)
    if i < len(comments) and comments[i] <= line:
        return True
    parent = node.stmt
    while parent is not None and not (isinstance(parent, Block) and parent.is_unchecked):
        parent = parent.parent if isinstance(parent.parent, Stmt) else None
    if parent is None:
        return False
    i = bisect.bisect_left(comments, parent.line - 2)
    return i < len(comments) and comments[i] <= parent.end_line


def feeding_locals(
    ctx: Context, fn: Function, defs: dict[Variable, list[Expr]]
) -> dict[Variable, str]:
    """Locals whose value flows into a state write or an ether amount, with which."""
    facts = ctx.facts(fn)
    roots: list[tuple[Expr, str]] = []
    for write in facts.state_writes:
        if isinstance(write.node, Assignment):
            roots.append((write.node.value, "contract state"))
        elif isinstance(write.node, Call):
            roots.extend((arg, "contract state") for arg in write.node.args)
    roots.extend((ext.value, "an ether amount") for ext in facts.external_calls if ext.value)
    out: dict[Variable, str] = {}
    stack = roots
    while stack:
        expr, sink = stack.pop()
        for node in expr.walk():
            if isinstance(node, Identifier) and isinstance(node.ref, Variable):
                var = node.ref
                if var not in out:
                    out[var] = sink
                    stack.extend((d, sink) for d in defs.get(var, ()))
    return out


def ether_value_nodes(ctx: Context, fn: Function) -> set[int]:
    out: set[int] = set()
    for ext in ctx.facts(fn).external_calls:
        if ext.value is not None:
            out.update(id(n) for n in ext.value.walk())
    return out


def result_sink(
    ctx: Context, fn: Function, node: Expr, feeding: dict[Variable, str], ether: set[int]
) -> str:
    """What the value of ``node`` ends up in: ``"an ether amount"``, ``"contract state"``
    or ``""`` (only locals, return values, conditions)."""
    if id(node) in ether:
        return "an ether amount"
    child: Node = node
    parent = node.parent
    while isinstance(parent, Binary | TupleExpr | Call | Conditional):
        if isinstance(parent, Call) and parent.kind != "conversion":
            break
        child, parent = parent, parent.parent
    if isinstance(parent, Assignment) and parent.value is child:
        if root_state(fn, ctx, parent.target) is not None:
            return "contract state"
        var = local_of(parent.target)
        return feeding.get(var, "") if var is not None else ""
    if isinstance(parent, VarDecl) and len(parent.variables) == 1:
        first = parent.variables[0]
        return feeding.get(first, "") if first is not None else ""
    return ""
