"""Facts that bound a value before it is narrowed (used by ``unsafe_downcast``).

``width`` infers how many bits a value can occupy from operand types and constant
operators; ``block_value`` recognises block numbers and timestamps (they fit in 32 bits
until 2106); ``sum_bounded`` reads ``if (a + b > LIMIT) revert``; the rest recognise
values whose narrowing is not an attack: results of calls to configured contracts,
a public view narrowing its own arguments, a parameter only ever used narrowed, and a
word split into its parts.
"""

from __future__ import annotations

from contract_analyzer.detectors.arithmetic._influence import ANYONE, NONE, Influence
from contract_analyzer.detectors.arithmetic._keys import (
    Keys,
    int_value,
    local_facts,
    relations,
    strip,
)
from contract_analyzer.detectors.context import Context
from contract_analyzer.ir.declarations import Function, StateVariable
from contract_analyzer.ir.nodes import (
    Binary,
    Call,
    Expr,
    Identifier,
    Index,
    Member,
    TypeExpr,
    Variable,
)
from contract_analyzer.ir.render import render


def sum_bounded(keys: Keys, call: Call, arg: Expr, bits: int) -> bool:
    """``if (a + b > LIMIT) revert`` bounds each term; ``if (a > LIMIT - b) revert`` bounds
    ``a + b`` (``LIMIT`` a constant that fits in ``bits``)."""
    arg_key = keys.key(arg)
    for big, small, _strict in relations(local_facts(call)):
        limit = int_value(big)
        if limit is not None and 0 <= limit < 1 << bits and arg_key in _terms(keys, small):
            return True
        cap = strip(big)
        if isinstance(cap, Binary) and cap.op == "-" and isinstance(arg, Binary) and arg.op == "+":
            top = int_value(cap.left)
            if top is not None and 0 <= top < 1 << bits:
                pair = {keys.key(small), keys.key(cap.right)}
                if pair == {keys.key(arg.left), keys.key(arg.right)}:
                    return True
    return False


def _terms(keys: Keys, expr: Expr | None) -> set[str]:
    expr = strip(expr)
    if isinstance(expr, Binary) and expr.op == "+":
        return {keys.key(expr), *_terms(keys, expr.left), *_terms(keys, expr.right)}
    return {keys.key(expr)} if expr is not None else set()


def trusted_source(
    ctx: Context, influence: Influence, fn: Function, arg: Expr, labels: frozenset[str]
) -> bool:
    """Only the results of calls to contracts anyone cannot replace (an oracle or token
    the owner configured): a misbehaving source is a trust issue, not an attack."""
    if fn.contract is None:
        return False
    defs = influence.defs(fn)
    direct = isinstance(strip(arg), Call)
    if not direct and labels - {"call_return", "bounded"}:
        return False
    exprs = [arg]
    for node in arg.walk():
        if isinstance(node, Identifier) and isinstance(node.ref, Variable):
            exprs.extend(defs.get(node.ref, []))
    states = influence.state_levels(fn.contract, fed=False)
    calls = [c for e in exprs for c in e.walk() if isinstance(c, Call) and c.kind == "external"]
    for c in calls:
        root = _root(c.callee.base if isinstance(c.callee, Member) else None, defs)
        ref = root.ref if isinstance(root, Identifier) else None
        if not isinstance(ref, StateVariable) or states.get(ref, NONE) == ANYONE:
            return False
    return bool(calls)


def _root(expr: Expr | None, defs: dict[Variable, list[Expr]], depth: int = 0) -> Expr | None:
    """The variable a receiver expression starts from (``phase.aggregator`` -> ``phase``,
    a local copy of state -> the state variable)."""
    while isinstance(expr, Member | Index):
        expr = strip(expr.base)
    if isinstance(expr, Identifier) and isinstance(expr.ref, Variable) and depth < 2:
        values = defs.get(expr.ref, [])
        if len(values) == 1:
            return _root(strip(values[0]), defs, depth + 1)
    return expr


def own_query(fn: Function, labels: frozenset[str]) -> bool:
    """A public view narrowing its own arguments: an out-of-range id only misleads the
    caller who passed it."""
    return fn.is_public and fn.is_view and all(lb.startswith("param") for lb in labels)


def consistent_alias(keys: Keys, fn: Function, call: Call, arg: Expr) -> bool:
    """Every use of the parameter is the same narrowing (``submit(uint256 id)`` using only
    ``uint32(id)``): the wide value never disagrees with the stored one."""
    if not isinstance(arg, Identifier) or fn.index is None:
        return False
    uses = [i for i in fn.index.identifiers if i.ref is arg.ref]
    same = [
        c
        for c in fn.index.calls
        if c.kind == "conversion"
        and render(c.callee) == render(call.callee)
        and len(c.args) == 1
        and keys.key(strip(c.args[0])) == keys.key(arg)
    ]
    return len(uses) >= 2 and len(same) == len(uses)


def width(
    ctx: Context,
    fn: Function,
    expr: Expr | None,
    defs: dict[Variable, list[Expr]] | None = None,
    depth: int = 0,
) -> int | None:
    """Most bits ``expr`` can occupy, from its operand types, constant operators and
    (with ``defs``) what a wide local was assigned."""
    expr = strip(expr)
    if expr is None or depth > 8:
        return None
    if defs is not None and isinstance(expr, Identifier) and isinstance(expr.ref, Variable):
        values = defs.get(expr.ref, [])
        widths = [width(ctx, fn, v, None, depth + 1) for v in values]
        if values and None not in widths:
            return max(w for w in widths if w is not None)
    value = int_value(expr)
    if value is not None:
        return value.bit_length() if value >= 0 else None
    if isinstance(expr, Call) and isinstance(expr.callee, TypeExpr) and len(expr.args) == 1:
        to = expr.callee.type_name
        inner = width(ctx, fn, expr.args[0], defs, depth + 1)
        if to.is_integer and not to.is_signed and inner is not None:
            return min(inner, to.bits or 256)
    if isinstance(expr, Call) and isinstance(expr.callee, Member) and len(expr.args) == 2:
        if expr.callee.member in ("max", "min"):  # Math.max(a, b) of two narrow values
            a, b = (width(ctx, fn, x, defs, depth + 1) for x in expr.args)
            if a is not None and b is not None:
                return max(a, b) if expr.callee.member == "max" else min(a, b)
    if isinstance(expr, Binary):
        left = width(ctx, fn, expr.left, defs, depth + 1)
        shift = int_value(expr.right)
        if expr.op in ("<<", ">>") and left is not None and shift is not None:
            return left + shift if expr.op == "<<" else max(left - shift, 0)
        if expr.op in ("-", "/") and left is not None and ctx.arithmetic_checked():
            return left  # no larger than the left operand (an underflow reverts)
        if expr.op in ("%", "&") and shift is not None and shift > 0:
            bound = (shift - 1).bit_length() if expr.op == "%" else shift.bit_length()
            return bound if left is None else min(left, bound)
        right = width(ctx, fn, expr.right, defs, depth + 1)
        if left is not None and right is not None:
            if expr.op in ("|", "^"):
                return max(left, right)
            if expr.op == "&":
                return min(left, right)
    found = ctx.type_of(fn, expr)
    if found is not None and found.is_integer and not found.is_signed and found.bits:
        return found.bits if found.bits < 256 else None
    return None


def unpacks_bytes(ctx: Context, fn: Function, arg: Expr) -> bool:
    """``uint32(uint256(word))`` with ``word`` a bytesN: taking the low bits of packed data."""
    conv = strip(arg)
    if isinstance(conv, Call) and isinstance(conv.callee, TypeExpr) and len(conv.args) == 1:
        inner = ctx.type_of(fn, strip(conv.args[0]))
        return inner is not None and inner.name.startswith("bytes") and inner.name != "bytes"
    return False


_BLOCK = frozenset({"block.timestamp", "block.number", "now"})


def block_value(
    ctx: Context,
    influence: Influence,
    fn: Function,
    expr: Expr | None,
    bits: int,
    depth: int,
    seen: frozenset[int] = frozenset(),
) -> bool:
    """A block number or timestamp, possibly plus a delay of at most ``bits`` bits: also
    a helper returning one, or a chain precompile's block number (``arbBlockNumber()``)."""
    expr = strip(expr)
    if expr is None or depth > 6:
        return False
    if isinstance(expr, Member | Identifier) and render(expr) in _BLOCK:
        return True
    if isinstance(expr, Binary) and expr.op in ("+", "-"):
        if not block_value(ctx, influence, fn, expr.left, bits, depth + 1, seen):
            return False
        delay = width(ctx, fn, expr.right)
        return expr.op == "-" or (delay is not None and delay <= bits)
    if isinstance(expr, Identifier) and isinstance(expr.ref, Variable):
        if id(expr.ref) in seen:
            return True  # `height = height + DELAY`: judged by its other definitions
        values = influence.defs(fn).get(expr.ref, [])
        inner = seen | {id(expr.ref)}
        return bool(values) and all(
            block_value(ctx, influence, fn, v, bits, depth + 1, inner) for v in values
        )
    if isinstance(expr, Call):
        target = expr.target
        if expr.kind == "internal" and isinstance(target, Function) and target.index is not None:
            returns = target.index.returns
            return bool(returns) and all(
                block_value(ctx, influence, target, r.value, bits, depth + 1) for r in returns
            )
        callee = expr.callee
        if expr.kind == "external" and isinstance(callee, Member) and not expr.args:
            base = strip(callee.base)
            ref = base.ref if isinstance(base, Identifier) else None
            constant = isinstance(ref, StateVariable) and ref.constant
            return constant and "block" in callee.member.lower()
    return False


def splits(keys: Keys, fn: Function, arg: Expr, bits: int) -> bool:
    """A word taken apart at bit ``bits``: ``uint64(id)`` next to ``id >> 64``, or
    ``uint16(id >> 64)`` next to ``uint64(id)``."""
    if fn.index is None:
        return False
    if isinstance(arg, Binary) and arg.op == ">>":
        shift = int_value(arg.right)
        whole = keys.key(arg.left)
        return shift is not None and any(
            c.kind == "conversion"
            and isinstance(c.callee, TypeExpr)
            and c.callee.type_name.bits == shift
            and len(c.args) == 1
            and keys.key(strip(c.args[0])) == whole
            for c in fn.index.calls
        )
    whole = keys.key(arg)
    return any(
        b.op == ">>" and int_value(b.right) == bits and keys.key(b.left) == whole
        for b in fn.index.binaries
    )
