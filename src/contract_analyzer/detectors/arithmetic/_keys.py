"""Structural keys of expressions and the bound facts known at a node (shared by the
arithmetic, randomness and time detectors)."""

from __future__ import annotations

from contract_analyzer.ir.declarations import StateVariable
from contract_analyzer.ir.index import facts_of
from contract_analyzer.ir.nodes import (
    Binary,
    Call,
    Conditional,
    Expr,
    Identifier,
    Index,
    Literal,
    Member,
    MetaType,
    Node,
    TupleExpr,
    TypeExpr,
    Unary,
)
from contract_analyzer.ir.render import render

COMPARISONS = frozenset({"<", "<=", ">", ">=", "==", "!="})


_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}


_NEGATE = {"<": ">=", "<=": ">", ">": "<=", ">=": "<", "==": "!=", "!=": "=="}


def strip(expr: Expr | None) -> Expr | None:
    """Drop one-element tuples (parentheses)."""
    while isinstance(expr, TupleExpr) and len(expr.elements) == 1:
        expr = expr.elements[0]
    return expr


def unwrap_conversion(expr: Expr | None) -> Expr | None:
    """``uint256(x)`` -> ``x`` (elementary conversions only)."""
    expr = strip(expr)
    while isinstance(expr, Call) and isinstance(expr.callee, TypeExpr) and len(expr.args) == 1:
        expr = strip(expr.args[0])
    return expr


class Keys:
    """Structural text of expressions (parentheses ignored), memoised for one run."""

    def __init__(self) -> None:
        self._key: dict[int, str] = {}
        self._inside: dict[int, frozenset[str]] = {}

    def key(self, expr: Expr | None) -> str:
        expr = strip(expr)
        if expr is None:
            return ""
        cached = self._key.get(id(expr))
        if cached is None:
            cached = self._compute(expr)
            self._key[id(expr)] = cached
        return cached

    def _compute(self, e: Expr) -> str:
        k = self.key
        if isinstance(e, Identifier):
            return e.name
        if isinstance(e, Member):
            return f"{k(e.base)}.{e.member}"
        if isinstance(e, Index):
            return f"{k(e.base)}[{k(e.index)}]"
        if isinstance(e, Binary):
            return f"({k(e.left)}{e.op}{k(e.right)})"
        if isinstance(e, Unary):
            return f"{e.op}{k(e.operand)}"
        if isinstance(e, Call):
            return f"{k(e.callee)}({','.join(k(a) for a in e.args)})"
        return render(e)

    def inside(self, expr: Expr | None) -> frozenset[str]:
        """Keys of ``expr`` and of every sub-expression."""
        if expr is None:
            return frozenset()
        cached = self._inside.get(id(expr))
        if cached is None:
            cached = frozenset(self.key(n) for n in expr.walk() if isinstance(n, Expr))
            self._inside[id(expr)] = cached
        return cached

    def same(self, a: Expr | None, b: Expr | None) -> bool:
        return a is not None and b is not None and self.key(a) == self.key(b)


def atoms(expr: Expr | None) -> list[Expr]:
    """Split ``&&``, ``||`` and ``!`` into atomic conditions (polarity dropped)."""
    out: list[Expr] = []
    stack = [expr]
    while stack:
        e = strip(stack.pop())
        if e is None:
            continue
        if isinstance(e, Binary) and e.op in ("&&", "||"):
            stack.extend((e.left, e.right))
        elif isinstance(e, Unary) and e.op == "!":
            stack.append(e.operand)
        else:
            out.append(e)
    return out


def local_facts(node: Expr) -> list[tuple[Expr, bool]]:
    """Conditions known inside the statement at ``node``: enclosing ``c ? node : _``,
    ``c && node``, ``c || node``, plus the statement's own conditions."""
    out: list[tuple[Expr, bool]] = []
    child: Node = node
    parent = node.parent
    while isinstance(parent, Expr):
        if isinstance(parent, Conditional) and child is not parent.cond:
            out.append((parent.cond, child is parent.then))
        elif isinstance(parent, Binary) and child is parent.right and parent.op in ("&&", "||"):
            out.append((parent.left, parent.op == "&&"))
        child, parent = parent, parent.parent
    stmt = node.stmt
    if stmt is not None:
        out.extend(stmt.conditions)
    return facts_of(tuple(out))


def relations(facts: list[tuple[Expr, bool]]) -> list[tuple[Expr, Expr, bool]]:
    """Facts as ``(big, small, strict)``: ``big >= small`` (``>`` when strict)."""
    out: list[tuple[Expr, Expr, bool]] = []
    for expr, truth in facts:
        e = strip(expr)
        if not isinstance(e, Binary) or e.op not in COMPARISONS:
            continue
        op = e.op if truth else _NEGATE[e.op]
        left, right = e.left, e.right
        if op in ("<", "<="):
            left, right, op = right, left, _FLIP[op]
        if op in (">", ">="):
            out.append((left, right, op == ">"))
        elif op == "==":
            out.append((left, right, False))
            out.append((right, left, False))
    return out


def int_value(expr: Expr | None) -> int | None:
    """Value of a number literal, a constant holding one, or ``type(uintN).max``."""
    expr = strip(expr)
    if isinstance(expr, Literal):
        return expr.int_value()
    if isinstance(expr, Identifier) and isinstance(expr.ref, StateVariable):
        var = expr.ref
        if var.constant and isinstance(strip(var.value), Literal | Binary):
            return int_value(var.value)
        return None
    if isinstance(expr, Binary) and expr.op in ("**", "*", "+", "-"):
        left, right = int_value(expr.left), int_value(expr.right)
        if left is None or right is None:
            return None
        if expr.op == "**":
            return int(left**right) if right < 512 else None
        return left * right if expr.op == "*" else left + right if expr.op == "+" else left - right
    if isinstance(expr, Member) and isinstance(expr.base, MetaType) and expr.member == "max":
        bits = expr.base.type_name.bits
        return (1 << bits) - 1 if bits else None
    return None
