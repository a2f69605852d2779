"""External calls seen from a function: whether a failure reverts everything, and which
calls a statement makes, including through internal and library functions."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from contract_analyzer.detectors.common import is_require, result_variable
from contract_analyzer.detectors.context import Context
from contract_analyzer.detectors.dos._exprs import unwrap_conversion
from contract_analyzer.ir.declarations import Callable, Contract, Function
from contract_analyzer.ir.facts import ExternalCall
from contract_analyzer.ir.index import is_call_to
from contract_analyzer.ir.nodes import (
    Binary,
    Block,
    Call,
    Expr,
    ExpressionStmt,
    Identifier,
    If,
    Literal,
    Member,
    Node,
    Revert,
    Stmt,
    Throw,
    Try,
    TupleExpr,
    Unary,
    Variable,
)

_REVERTING_KINDS = frozenset({"transfer", "high_level"})
_CHECKABLE_KINDS = frozenset({"send", "call", "callcode", "delegatecall"})


def in_try(call: Call) -> bool:
    """``call`` is the guarded call of a ``try`` statement."""
    stmt = call.stmt
    return isinstance(stmt, Try) and _contains(stmt.call, call)


def failure_reverts(ext: ExternalCall) -> bool:
    """A failure of the call reverts the whole transaction: ``transfer``, a high-level
    call outside ``try``, or a ``send``/``call`` whose result is required to be true."""
    if in_try(ext.call):
        return False
    if ext.kind in _REVERTING_KINDS:
        return True
    if ext.kind not in _CHECKABLE_KINDS:
        return False
    usage, var = result_variable(ext.call)
    if usage == "checked":
        return _reverts_when_false(ext.call)
    if usage == "stored" and var is not None and ext.owner.index is not None:
        return any(
            ident.ref is var and _reverts_when_false(ident) for ident in ext.owner.index.identifiers
        )
    return False


def _reverts_when_false(expr: Expr) -> bool:
    value = False  # the value of the current node when ``expr`` is false
    child: Node = expr
    parent = expr.parent
    while parent is not None:
        if isinstance(parent, Unary) and parent.op == "!":
            value = not value
        elif isinstance(parent, Binary) and parent.op in ("&&", "||"):
            if (parent.op == "&&") == value:
                return False  # the other operand decides
        elif isinstance(parent, Binary) and parent.op in ("==", "!="):
            other = parent.right if parent.left is child else parent.left
            if not isinstance(other, Literal) or other.value not in ("true", "false"):
                return False
            value = (value == (other.value == "true")) == (parent.op == "==")
        elif isinstance(parent, TupleExpr) and len(parent.elements) == 1:
            pass
        elif isinstance(parent, Call):
            return (
                is_require(parent) and bool(parent.args) and parent.args[0] is child and not value
            )
        elif isinstance(parent, If):
            if parent.cond is not child:
                return False
            branch = parent.then if value else parent.otherwise
            return reverts(branch)
        else:
            return False
        child, parent = parent, parent.parent
    return False


def reverts(stmt: Stmt | None) -> bool:
    """The statement always reverts (``revert``, ``throw``, ``require(false)``)."""
    if stmt is None:
        return False
    if isinstance(stmt, Revert | Throw):
        return True
    if isinstance(stmt, Block):
        return bool(stmt.statements) and reverts(stmt.statements[-1])
    if isinstance(stmt, ExpressionStmt):
        expr = stmt.expr
        if is_call_to(expr, "revert"):
            return True
        if isinstance(expr, Call) and is_require(expr) and expr.args:
            return getattr(expr.args[0], "value", None) == "false"
    return False


def _contains(outer: Node, inner: Node) -> bool:
    return outer.start <= inner.start and inner.end <= outer.end


@dataclass(eq=False)
class Reached:
    """An external call made (maybe through internal calls) from ``site`` in ``entry``;
    ``target`` is the call's target seen from ``entry`` when it could be mapped back."""

    ext: ExternalCall
    site: Call
    target: Expr | None
    target_owner: Callable


def reached_calls(
    ctx: Context, entry: Callable, calls: Iterable[Call], depth: int = 2
) -> Iterator[Reached]:
    """External calls made by ``calls`` (calls of ``entry``'s body)."""
    direct = {id(e.call): e for e in ctx.facts(entry).external_calls}
    for call in calls:
        ext = direct.get(id(call))
        if ext is not None:
            yield Reached(ext, call, ext.target, entry)
            continue
        target = call.target
        if (
            depth <= 0
            or call.kind not in ("internal", "library")
            or not isinstance(target, Function)
            or target.index is None
        ):
            continue
        bindings = _bindings(call, target)
        for inner in reached_calls(ctx, target, target.index.calls, depth - 1):
            mapped = _map_back(inner.target, target, bindings)
            if mapped is not None:
                yield Reached(inner.ext, call, mapped, entry)
            else:
                yield Reached(inner.ext, call, inner.target, inner.target_owner)


def _bindings(call: Call, target: Function) -> dict[int, Expr]:
    args = list(call.args)
    callee = call.callee
    if (
        call.kind == "library"
        and isinstance(callee, Member)
        and not (isinstance(callee.base, Identifier) and isinstance(callee.base.ref, Contract))
    ):
        args.insert(0, callee.base)  # `using L for T`: the value is the first argument
    return {id(p): a for p, a in zip(target.params, args, strict=False)}


def _map_back(expr: Expr | None, owner: Function, bindings: dict[int, Expr]) -> Expr | None:
    inner = unwrap_conversion(expr)
    if isinstance(inner, Identifier) and isinstance(inner.ref, Variable):
        if inner.ref.kind == "param":
            return bindings.get(id(inner.ref))
    return None
