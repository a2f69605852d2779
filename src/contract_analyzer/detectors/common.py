"""Small helpers several detectors share (questions about one node in its context)."""

from __future__ import annotations

from contract_analyzer.ir.declarations import Callable
from contract_analyzer.ir.index import is_call_to
from contract_analyzer.ir.nodes import (
    Assignment,
    Binary,
    Call,
    Conditional,
    DoWhile,
    Expr,
    ExpressionStmt,
    For,
    Identifier,
    If,
    Node,
    Return,
    Revert,
    TupleExpr,
    Unary,
    VarDecl,
    Variable,
    While,
)


def result_variable(call: Call) -> tuple[str, Variable | None]:
    """How the value of ``call`` is used.

    Returns ``("ignored", None)`` when it is thrown away, ``("checked", None)`` when it is
    tested on the spot (``require(x.send(v))``, ``if (!x.send(v))``, returned or passed
    on), or ``("stored", var)`` when it lands in a local whose uses decide.
    """
    child: Node = call
    parent = call.parent
    if isinstance(parent, ExpressionStmt):
        return "ignored", None
    if isinstance(parent, VarDecl):
        if not parent.variables:
            return "ignored", None
        first = parent.variables[0]
        if first is None:
            return "ignored", None
        return "stored", first
    if isinstance(parent, Assignment) and parent.value is child:
        target: Expr | None = parent.target
        if isinstance(target, TupleExpr):
            target = target.elements[0] if target.elements else None
        if isinstance(target, Identifier) and isinstance(target.ref, Variable):
            return "stored", target.ref
        if target is None:
            return "ignored", None
        return "checked", None
    if isinstance(parent, TupleExpr):
        return "ignored", None
    return "checked", None


def variable_is_silenced(var: Variable, owner: Callable) -> bool:
    """``(ok);`` / ``ok;``: the flag is named in a statement of its own, the idiom that
    silences the unused-variable warning when a failure is ignored on purpose."""
    index = owner.index
    if index is None:
        return False
    for ident in index.identifiers:
        if ident.ref is not var:
            continue
        node: Node | None = ident.parent
        while isinstance(node, TupleExpr):
            node = node.parent
        if isinstance(node, ExpressionStmt):
            return True
    return False


def variable_is_checked(var: Variable, owner: Callable) -> bool:
    """The boolean in ``var`` is tested: in a ``require``/``assert``, a condition, a
    comparison, returned, or handed to another function."""
    index = owner.index
    if index is None:
        return False
    for ident in index.identifiers:
        if ident.ref is not var:
            continue
        if _used_as_check(ident):
            return True
    # `assembly { switch ok case 0 { revert(...) } }`: inline assembly reads the flag
    return any(var.name in block.identifiers for block in index.assemblies)


def _used_as_check(expr: Expr) -> bool:
    child: Node = expr
    parent = expr.parent
    while parent is not None:
        if isinstance(parent, Unary | Binary | Conditional):
            return not (isinstance(parent, Binary) and parent.op not in ("&&", "||", "==", "!="))
        if isinstance(parent, Call):
            # require(ok), assert(ok), _verify(ok, data); not emit Sent(ok)
            return child is not parent.callee and parent.kind != "event"
        if isinstance(parent, If | While | DoWhile | For):
            return getattr(parent, "cond", None) is child
        if isinstance(parent, Return | Revert):
            return True  # returned, or reported in the revert data
        if isinstance(parent, Assignment):
            return parent.value is child and not isinstance(parent.target, Identifier)
        if isinstance(parent, TupleExpr):
            child, parent = parent, parent.parent
            continue
        return False
    return False


def is_require(expr: Expr | None) -> bool:
    return is_call_to(expr, "require", "assert")
