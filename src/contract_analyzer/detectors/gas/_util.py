"""Small questions the gas detectors share: constant expressions, loops, versions."""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from weakref import WeakKeyDictionary

from contract_analyzer.detectors.context import Context
from contract_analyzer.ir.builtins import Builtin
from contract_analyzer.ir.declarations import Callable, StateVariable
from contract_analyzer.ir.nodes import (
    Binary,
    Call,
    Expr,
    For,
    Identifier,
    Literal,
    Member,
    MetaType,
    Node,
    Stmt,
    TupleExpr,
    TypeExpr,
    Unary,
)
from contract_analyzer.ir.resolve import dotted_name
from contract_analyzer.ir.versions import Version

_CONST_BINARY = frozenset({"+", "-", "*", "/", "%", "**", "<<", ">>", "&", "|", "^"})
_HASHES = frozenset({"keccak256", "sha3", "sha256", "ripemd160"})
_PACKERS = frozenset({"abi.encodePacked", "abi.encode"})


def requires_at_least(ctx: Context, version: Version) -> bool:
    """Every compiler the file's pragma allows is ``version`` or newer."""
    known = ctx.version
    return known is not None and known.min_version is not None and not known.allows_below(version)


def is_constant_expression(expr: Expr | None, *, allow_hash: bool = True) -> bool:
    """``expr`` can be evaluated by the compiler: literals, arithmetic on them,
    constants, ``type(T).max``, conversions like ``address(0)``, and (when
    ``allow_hash``) hashes of such values."""
    if expr is None:
        return False
    if isinstance(expr, Literal):
        return True
    if isinstance(expr, Identifier):
        ref = expr.ref
        return isinstance(ref, StateVariable) and ref.constant
    if isinstance(expr, Unary):
        return expr.op in ("-", "~", "!") and is_constant_expression(expr.operand)
    if isinstance(expr, Binary):
        return (
            expr.op in _CONST_BINARY
            and is_constant_expression(expr.left, allow_hash=allow_hash)
            and is_constant_expression(expr.right, allow_hash=allow_hash)
        )
    if isinstance(expr, TupleExpr):
        return len(expr.elements) == 1 and is_constant_expression(
            expr.elements[0], allow_hash=allow_hash
        )
    if isinstance(expr, Member):
        return isinstance(expr.base, MetaType) and expr.member in ("max", "min")
    if isinstance(expr, Call):
        callee = expr.callee
        if isinstance(callee, TypeExpr):
            return len(expr.args) == 1 and is_constant_expression(expr.args[0], allow_hash=False)
        name = dotted_name(callee)
        if name in _PACKERS or (allow_hash and name in _HASHES and is_builtin(callee)):
            return bool(expr.args) and all(
                is_constant_expression(a, allow_hash=allow_hash) for a in expr.args
            )
    return False


def is_builtin(callee: Expr) -> bool:
    if isinstance(callee, Identifier):
        return isinstance(callee.ref, Builtin)
    return isinstance(callee, Member)


def is_zero_value(expr: Expr | None) -> bool:
    """``0``, ``false``, ``address(0)``, ``bytes32(0)``, ``uint8(0)``..."""
    if isinstance(expr, Literal):
        if expr.kind == "bool":
            return expr.value == "false"
        return expr.kind == "number" and expr.int_value() == 0 and not expr.subdenomination
    if isinstance(expr, Call) and isinstance(expr.callee, TypeExpr) and len(expr.args) == 1:
        return is_zero_value(expr.args[0])
    if isinstance(expr, TupleExpr) and len(expr.elements) == 1:
        return is_zero_value(expr.elements[0])
    return False


def outermost_loops(callable_: Callable) -> Iterator[Stmt]:
    """Loops of a body that no other loop of the same body encloses."""
    index = callable_.index
    if index is None:
        return
    for loop in index.loops:
        if loop.loop_depth == 0:
            yield loop


_STARTS: WeakKeyDictionary[Callable, list[int]] = WeakKeyDictionary()


def subtree(callable_: Callable, node: Node) -> list[Node]:
    """``node`` and every node below it, sliced from the body index (which lists nodes
    in source order) instead of walking the tree again."""
    index = callable_.index
    if index is None:
        return list(node.walk())
    starts = _STARTS.get(callable_)
    if starts is None or len(starts) != len(index.nodes):
        starts = [n.start for n in index.nodes]
        _STARTS[callable_] = starts
    nodes = index.nodes
    first = bisect.bisect_left(starts, node.start)
    while first < len(nodes) and nodes[first] is not node and starts[first] == node.start:
        first += 1
    if first >= len(nodes) or nodes[first] is not node:
        return list(node.walk())  # not from this body: fall back to a walk
    last = bisect.bisect_left(starts, node.end, lo=first)
    return nodes[first:last]


def loop_nodes(callable_: Callable, loop: Stmt) -> list[Node]:
    """What runs on every iteration: the loop's nodes minus a ``for`` initialiser."""
    nodes = subtree(callable_, loop)
    init = loop.init if isinstance(loop, For) else None
    if init is None:
        return nodes
    return [n for n in nodes if not (init.start <= n.start < init.end)]
