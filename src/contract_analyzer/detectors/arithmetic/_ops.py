"""Arithmetic operations of a body and the checks that make them safe (ANALYSIS §3)."""

from __future__ import annotations

from dataclasses import dataclass

from contract_analyzer.detectors.arithmetic._keys import (
    COMPARISONS,
    Keys,
    atoms,
    int_value,
    local_facts,
    relations,
    strip,
    unwrap_conversion,
)
from contract_analyzer.detectors.arithmetic._util import result_local
from contract_analyzer.ir.declarations import Function, StateVariable
from contract_analyzer.ir.index import is_call_to
from contract_analyzer.ir.nodes import (
    Assignment,
    Binary,
    Call,
    Conditional,
    Expr,
    Identifier,
    If,
    Member,
    Node,
    TupleExpr,
    Update,
    Variable,
    While,
)

_KIND = {"+": "add", "-": "sub", "*": "mul", "**": "pow"}
_ARITH = frozenset({"+", "-", "*", "/", "%", "**"})


@dataclass(eq=False)
class Op:
    """One arithmetic operation: ``left <kind> right``; ``right`` is ``None`` for
    ``++``/``--``; ``target`` is the storage updated in place (``x += v``, ``x = x - v``)."""

    node: Expr
    kind: str
    left: Expr
    right: Expr | None
    target: Expr | None

    @property
    def amount(self) -> Expr | None:
        return self.right


def collect_ops(fn: Function, keys: Keys) -> list[Op]:
    index = fn.index
    if index is None:
        return []
    ops: list[Op] = []
    for b in index.binaries:
        kind = _KIND.get(b.op)
        if kind is None:
            continue
        parent = b.parent
        while isinstance(parent, TupleExpr) and len(parent.elements) == 1:
            parent = parent.parent
        target = None
        if isinstance(parent, Assignment) and parent.op == "=" and keys.same(parent.target, b.left):
            target = parent.target
        ops.append(Op(b, kind, b.left, b.right, target))
    for a in index.assignments:
        kind = _KIND.get(a.op[:-1])
        if kind is not None:
            ops.append(Op(a, kind, a.target, a.value, a.target))
    for u in index.updates:
        ops.append(Op(u, "add" if u.op == "++" else "sub", u.operand, None, u.operand))
    ops.sort(key=lambda op: op.node.start)
    return ops


class Checks:
    """Answers "is this operation checked?" for one body."""

    def __init__(self, fn: Function, keys: Keys, defs: dict[Variable, list[Expr]]) -> None:
        self.keys = keys
        self.defs = defs
        self.conditions: list[Expr] = []
        index = fn.index
        if index is None:
            return
        for call in index.calls:
            if is_call_to(call, "require", "assert") and call.args:
                self.conditions.append(call.args[0])
        for stmt in index.statements:
            if isinstance(stmt, If | While):
                self.conditions.append(stmt.cond)
        for assignment in index.assignments:
            # `success = c >= a;`: the overflow check is computed and returned (try* helpers)
            value = strip(assignment.value)
            if isinstance(value, Binary) and value.op in COMPARISONS:
                self.conditions.append(value)

    # ------------------------------------------------------------------ helpers
    def _same(self, a: Expr | None, b: Expr | None) -> bool:
        """Same expression, looking through a local that holds a copy of it."""
        if self.keys.same(a, b):
            return True
        for x, y in ((a, b), (b, a)):
            local = strip(x)
            if isinstance(local, Identifier) and isinstance(local.ref, Variable):
                defs = self.defs.get(local.ref, [])
                if len(defs) == 1 and self.keys.same(defs[0], y):
                    return True
        return False

    def _fraction_of(self, whole: Expr, part: Expr) -> bool:
        """``part`` is at most ``whole`` by construction: ``whole / d``,
        ``whole * p / d`` with a constant ``p <= d`` or a configured rate ``p``,
        ``(whole / d) * d``."""
        e = strip(part)
        var = e.ref if isinstance(e, Identifier) and isinstance(e.ref, Variable) else None
        if var is not None and len(self.defs.get(var, [])) == 1:
            e = strip(self.defs[var][0])
        if not isinstance(e, Binary):
            return False
        if e.op == "*":
            inner = strip(e.left)
            return (
                isinstance(inner, Binary)
                and inner.op == "/"
                and self._same(inner.left, whole)
                and self.keys.same(inner.right, e.right)
            )
        if e.op != "/":
            return False
        numerator = strip(e.left)
        if self._same(numerator, whole):
            return True
        if isinstance(numerator, Binary) and numerator.op == "*":
            # whole * rate / base: a fee or share, below `whole` unless misconfigured
            p, d = strip(numerator.right), int_value(e.right)
            configured = isinstance(p, Identifier) and isinstance(p.ref, StateVariable)
            value = int_value(p)
            return (
                self._same(numerator.left, whole)
                and d is not None
                and (configured or (value is not None and value <= d))
            )
        return False

    def _operand_keys(self, op: Op) -> set[str]:
        out: set[str] = set()
        for e in (op.left, op.right):
            if e is not None:
                out.add(self.keys.key(e))
                out.add(self.keys.key(unwrap_conversion(e)))
        out.discard("")
        return out

    # ------------------------------------------------------------------ checks
    def is_checked(self, op: Op) -> bool:
        return (
            _times_flag(op)
            or self._bounded_before(op)
            or self._inline_check(op)
            or self._checked_after(op)
        )

    def _bounded_before(self, op: Op) -> bool:
        rels = relations(local_facts(op.node))
        k = self.keys
        a, b = op.left, op.right
        if op.kind == "sub":
            if b is not None and self._fraction_of(a, b):
                return True
            for big, small, strict in rels:
                if not self._same(big, a):
                    continue
                if b is None:
                    limit = int_value(small)
                    if limit is not None and (limit >= 1 or strict):
                        return True
                elif self._same(small, b) or k.key(b) in k.inside(small):
                    return True
            return b is not None and self._product_within(a, b, rels)
        if b is None or int_value(b) is not None or int_value(a) is not None:
            # x + small constant, x * constant: safe below a known upper bound
            var = a if b is None or int_value(b) is not None else b
            return any(self._same(small, var) for _big, small, _s in rels)
        if op.kind in ("add", "mul"):
            inverse = "-" if op.kind == "add" else "/"
            for big, small, _strict in rels:
                for x, y in ((a, b), (b, a)):
                    inner = strip(big)
                    if (
                        self._same(small, x)
                        and isinstance(inner, Binary)
                        and inner.op == inverse
                        and self._same(inner.right, y)
                    ):
                        return True
            if op.kind == "add":
                wanted = {f"({k.key(a)}+{k.key(b)})", f"({k.key(b)}+{k.key(a)})"}
                operands = self._operand_keys(op)
                for expr, _truth in local_facts(op.node):
                    for atom in atoms(expr):
                        if wanted & k.inside(atom) and operands & _other_side(atom, wanted, k):
                            return True
        return False

    def _product_within(self, whole: Expr, part: Expr, rels: list[tuple[Expr, Expr, bool]]) -> bool:
        """``part`` is ``x * y`` (or a local holding it) and ``x <= whole / y`` holds:
        ``require(each <= balance / n); balance -= each * n``."""
        e = strip(part)
        var = e.ref if isinstance(e, Identifier) and isinstance(e.ref, Variable) else None
        if var is not None and len(self.defs.get(var, [])) == 1:
            e = strip(self.defs[var][0])
        if not isinstance(e, Binary) or e.op != "*":
            return False
        for big, small, _strict in rels:
            bound = strip(big)
            if not (
                isinstance(bound, Binary) and bound.op == "/" and self._same(bound.left, whole)
            ):
                continue
            for x, y in ((e.left, e.right), (e.right, e.left)):
                if self._same(small, x) and self._same(bound.right, y):
                    return True
        return False

    def _inline_check(self, op: Op) -> bool:
        """The operation sits in a comparison with one of its operands:
        ``require(a + b >= a)``, ``if ((a * b) / a != b)``."""
        child: Node = op.node
        parent = op.node.parent
        while isinstance(parent, TupleExpr | Binary | Call | Assignment):
            if isinstance(parent, Assignment):
                if parent.value is not child:
                    return False
                # `require((z = x + y) >= x)`: the stored sum is compared on the spot
                child, parent = parent, parent.parent
                continue
            if isinstance(parent, Binary) and parent.op in COMPARISONS:
                other = parent.right if child is parent.left else parent.left
                return bool(self._operand_keys(op) & self.keys.inside(other))
            if isinstance(parent, Binary) and parent.op not in _ARITH:
                return False
            if isinstance(parent, Call) and not _is_conversion(parent):
                return False
            child, parent = parent, parent.parent
        return False

    def _checked_after(self, op: Op) -> bool:
        """``c = a + b; require(c >= a)`` / ``c = a * b; if (c / a != b) ...``."""
        var = result_local(op.node)
        if var is None:
            return False
        operands = self._operand_keys(op)
        for cond in self.conditions:
            if cond.start <= op.node.start:
                continue
            for atom in atoms(cond):
                inside = self.keys.inside(atom)
                if var.name in inside and operands & inside and _refers(atom, var):
                    return True
        return False


def _times_flag(op: Op) -> bool:
    """``x * toUint(flag)`` / ``x * (flag ? 1 : 0)``: a factor of 0 or 1 cannot overflow."""
    if op.kind != "mul":
        return False
    for operand in (op.left, op.right):
        e = strip(operand) if operand is not None else None
        if isinstance(e, Call) and isinstance(e.callee, Member | Identifier):
            name = e.callee.member if isinstance(e.callee, Member) else e.callee.name
            if name.lower() in ("touint", "b2u", "booltouint"):
                return True
        if isinstance(e, Conditional) and {int_value(e.then), int_value(e.otherwise)} <= {0, 1}:
            return True
    return False


def _other_side(atom: Expr, wanted: set[str], keys: Keys) -> frozenset[str]:
    if not isinstance(atom, Binary) or atom.op not in COMPARISONS:
        return frozenset()
    if wanted & keys.inside(atom.left):
        return keys.inside(atom.right)
    return keys.inside(atom.left)


def _refers(expr: Expr, var: Variable) -> bool:
    return any(isinstance(n, Identifier) and n.ref is var for n in expr.walk())


def _is_conversion(call: Call) -> bool:
    return call.kind == "conversion"


def is_increment(op: Op) -> bool:
    return isinstance(op.node, Update) or int_value(op.right) is not None
