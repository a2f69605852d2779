"""When an arithmetic operation can really wrap: who controls its operands, and how
findings on the same amount relate (see ``integer_overflow``)."""

from __future__ import annotations

from contract_analyzer.detectors.arithmetic._influence import BOUNDED, NONE, Influence
from contract_analyzer.detectors.arithmetic._keys import Keys, int_value, strip, unwrap_conversion
from contract_analyzer.detectors.arithmetic._ops import Op, is_increment
from contract_analyzer.detectors.arithmetic._util import local_of
from contract_analyzer.detectors.context import Context
from contract_analyzer.ir.declarations import Function
from contract_analyzer.ir.nodes import Binary, Expr, Member, Variable


def feasibility(ctx: Context, influence: Influence, fn: Function, op: Op) -> tuple[int, int, bool]:
    """How far a caller can push the operation (``NONE`` = not feasible), the width
    of the integer when it is a constant increment of a narrow one (else 0), and
    whether it computes a deadline (block value + caller value)."""
    if op.kind == "sub":
        if op.right is None or int_value(op.right) is not None:
            return NONE, 0, False
        level = influence.level(fn, influence.value_labels(fn, op.right), bounded=True)
        return (influence.access(fn) if level == BOUNDED else level), 0, False
    if op.kind == "add" and (is_increment(op) or int_value(op.left) is not None):
        var = op.left if int_value(op.left) is None else op.right
        ty = ctx.type_of(fn, var)
        bits = ty.bits if ty is not None and ty.is_integer else None
        if bits is None or bits >= 64 or not ctx.sources(fn, var):
            return NONE, 0, False
        ceiling, step = upper_bound(var), int_value(op.right if var is op.left else op.left)
        if ceiling is not None and step is not None and ceiling + step < 2**bits:
            return NONE, 0, False  # `uint8(seed % 6) + 1`: at most 6
        return influence.access(fn), bits, False
    labels = influence.value_labels(fn, op.right)
    if op.kind != "add" and not param_or_call(labels):
        # a bounded amount scaled by configuration (msg.value * rate): the
        # configuration is not the caller's to choose
        left = influence.value_labels(fn, op.left)
        if min(
            influence.level(fn, labels, bounded=True), influence.level(fn, left, bounded=True)
        ) <= BOUNDED and not param_or_call(left):
            return NONE, 0, False
    if op.target is None or op.kind != "add":
        labels = labels | influence.value_labels(fn, op.left)
    level = influence.level(fn, labels, bounded=op.kind != "add")
    deadline = op.kind == "add" and op.target is None and has_block(labels)
    return (NONE if level <= BOUNDED else level), 0, deadline


def unchecked(op: Op) -> bool:
    stmt = op.node.stmt
    return stmt is not None and stmt.unchecked


def is_batch(op: Op, defs: dict[Variable, list[Expr]]) -> bool:
    for operand in (op.left, op.right):
        expr = unwrap_conversion(operand)
        var = local_of(expr)
        candidates = defs.get(var, []) if var is not None else [expr]
        for candidate in candidates:
            inner = strip(unwrap_conversion(candidate))
            if isinstance(inner, Member) and inner.member == "length":
                return True
    return False


def operand_keys(keys: Keys, op: Op) -> list[str]:
    if op.target is not None:
        return [keys.key(op.amount)] if op.amount is not None else []
    return [keys.key(op.left), keys.key(op.right)]


def has_block(labels: frozenset[str]) -> bool:
    return any(label.startswith("block.") for label in labels)


def dominates(first: Op, later: Op) -> bool:
    """``first`` runs whenever ``later`` does (its conditions are a subset)."""
    a, b = first.node.stmt, later.node.stmt
    if a is None or b is None:
        return False
    return {id(e) for e, _ in a.conditions} <= {id(e) for e, _ in b.conditions}


def param_or_call(labels: frozenset[str]) -> bool:
    return "param" in labels or "call_return" in labels or "msg.data" in labels


def computation(keys: Keys, op: Op) -> str:
    """The same arithmetic whatever its form: ``a + b``, ``b + a`` and ``a += b``."""
    right = keys.key(op.right) if op.right is not None else "1"
    operands = [keys.key(op.left), right]
    if op.kind in ("add", "mul"):
        operands.sort()
    return f"{op.kind}:{'|'.join(operands)}"


def upper_bound(expr: Expr | None) -> int | None:
    """The largest value ``expr`` can have when its own form says so (``x % 6`` -> 5,
    ``x & 0xff`` -> 255, a constant), through conversions; else None."""
    expr = unwrap_conversion(expr)
    constant = int_value(expr)
    if constant is not None:
        return constant
    if isinstance(expr, Binary) and expr.op in ("%", "&"):
        limit = int_value(expr.right)
        if limit is not None and limit > 0:
            return limit - 1 if expr.op == "%" else limit
    return None
