"""Divisions and the multiplications that follow them (see ``divide_before_multiply``)."""

from __future__ import annotations

from collections.abc import Iterator

from contract_analyzer.detectors.arithmetic._keys import Keys, int_value, strip, unwrap_conversion
from contract_analyzer.detectors.arithmetic._util import local_of
from contract_analyzer.ir.declarations import Function
from contract_analyzer.ir.nodes import (
    Assignment,
    Binary,
    Call,
    Expr,
    Literal,
    Member,
    TupleExpr,
    Variable,
)

_TIME_UNITS = frozenset({"minutes", "hours", "days", "weeks", "years"})


def products(fn: Function) -> Iterator[tuple[Expr, list[tuple[Expr, Expr | None]]]]:
    """Multiplications with their (factor, other factor) pairs."""
    index = fn.index
    assert index is not None
    for b in index.binaries:
        if b.op == "*":
            yield b, [(b.left, b.right), (b.right, b.left)]
    for a in index.assignments:
        if a.op == "*=":
            yield a, [(a.target, a.value)]
    for call in index.calls:
        callee = call.callee
        if isinstance(callee, Member) and callee.member == "mul" and len(call.args) == 1:
            yield call, [(callee.base, call.args[0]), (call.args[0], callee.base)]


def find_division(
    expr: Expr | None, defs: dict[Variable, list[Expr]], divided: dict[Variable, Expr], at: int
) -> Expr | None:
    """The division ``expr`` is (or holds, through a local assigned before ``at``)."""
    e = unwrap_conversion(expr)
    if _is_division(e):
        return e
    var = local_of(e)
    if var is None:
        return None
    if var in divided and divided[var].start < at:
        return divided[var]
    values = [strip(unwrap_conversion(d)) for d in defs.get(var, [])]
    if values and all(v is not None and _is_division(v) and v.start < at for v in values):
        return values[-1]
    return None


def _is_division(e: Expr | None) -> bool:
    if isinstance(e, Binary) and e.op == "/":
        return not (int_value(e.left) is not None and int_value(e.right) is not None)
    if isinstance(e, Call) and isinstance(e.callee, Member) and e.callee.member == "div":
        return len(e.args) == 1
    return False


def divided_locals(fn: Function) -> dict[Variable, Expr]:
    """Locals divided in place: ``x /= d``."""
    out: dict[Variable, Expr] = {}
    index = fn.index
    assert index is not None
    for a in index.assignments:
        var = local_of(a.target)
        if a.op == "/=" and var is not None:
            out[var] = a
    return out


def _divisor(division: Expr) -> Expr | None:
    if isinstance(division, Binary):
        return division.right
    if isinstance(division, Assignment):
        return division.value
    if isinstance(division, Call) and division.args:
        return division.args[0]
    return None


def intentional(keys: Keys, division: Expr, other: Expr | None, product: Expr) -> bool:
    """Rounding on purpose or harmless: ``a / unit * unit`` (down to a multiple),
    ``elapsed / 1 days * rate`` (whole periods), ``(a / b) * 7500 / 10_000`` (scaled
    by a fraction, so the error is not amplified)."""
    divisor = strip(_divisor(division))
    if keys.same(divisor, unwrap_conversion(other)):
        return True
    if isinstance(divisor, Literal) and divisor.subdenomination in _TIME_UNITS:
        return True
    factor = int_value(other)
    parent = product.parent
    while isinstance(parent, TupleExpr) and len(parent.elements) == 1:
        parent = parent.parent
    if factor is not None and isinstance(parent, Binary) and parent.op == "/":
        scale = int_value(parent.right)
        return scale is not None and factor <= scale
    return False
