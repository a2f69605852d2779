"""Minting as the unprotected-mint detector sees it: writes that create tokens, and
internal helpers summarised by their amount / recipient parameters (``_mint(to, a)``, or
``_update(from, to, a)`` which mints only when ``from`` is zero)."""

from __future__ import annotations

from dataclasses import dataclass

from contract_analyzer.detectors.access_control._token import (
    Change,
    arg,
    changes,
    debits_anything,
    is_balance_var,
    is_supply_var,
)
from contract_analyzer.detectors.access_control._util import (
    cache,
    is_zero,
    param_index,
    unresolved_calls,
)
from contract_analyzer.detectors.context import Context
from contract_analyzer.ir.declarations import Callable, Function, StateVariable
from contract_analyzer.ir.index import facts_of
from contract_analyzer.ir.nodes import (
    Binary,
    Call,
    Expr,
    Identifier,
    Stmt,
)

_MAX_DEPTH = 3


_MINT_HELPERS = frozenset({"_mint", "_safeMint"})


@dataclass(eq=False)
class MintSite:
    node: Expr  # where tokens are created (the write, or the call of a mint helper)
    counter: str  # what grows: a state variable name, or the helper's name
    amount: Expr | None
    recipient: Expr | None


@dataclass(eq=False)
class _Mint:
    """What a helper mints: the counter, the positions of the amount and recipient
    parameters, the parameter that must be zero for it to mint (``_update(from, ...)``
    mints when ``from == address(0)``), and whether the amount is ``msg.value``."""

    var: StateVariable
    amount: int | None
    recipient: int | None
    when_zero: int | None
    paid: bool


def mint_sites(ctx: Context, fn: Function) -> list[MintSite]:
    """Places in ``fn`` that create tokens: a supply increment, a balance credited with no
    balance debited anywhere on the way, or a call of a helper that does either."""
    sites: list[MintSite] = []
    pick, recipient = _pick(ctx, fn)
    if pick is not None:
        sites.append(MintSite(pick.node, f"`{pick.var.name}`", pick.amount, recipient))
    for call, target in ctx.facts(fn).internal_calls:
        inner = _mint_summary(ctx, target, 0)
        if inner is None or inner.paid or not _may_mint(fn, call, inner):
            continue
        amount, to = arg(call, inner.amount), arg(call, inner.recipient)
        sites.append(MintSite(call, f"`{inner.var.name}`", amount, to))
    for call in unresolved_calls(fn, _MINT_HELPERS):
        name = call.callee.name if isinstance(call.callee, Identifier) else "_mint"
        amount = call.args[1] if len(call.args) > 1 else None
        to = call.args[0] if call.args else None
        sites.append(MintSite(call, f"the supply (through the inherited `{name}`)", amount, to))
    return sites


def _pick(ctx: Context, fn: Callable) -> tuple[Change | None, Expr | None]:
    """The write in ``fn`` itself that creates tokens, and the credited account."""
    found = changes(fn)
    credit = next((c for c in found if c.up and is_balance_var(c.var)), None)
    recipient = credit.key if credit is not None else None
    for change in found:
        if change.up and is_supply_var(change.var):
            return change, recipient
    if credit is not None and isinstance(fn, Function) and not debits_anything(ctx, fn):
        return credit, recipient
    return None, None


def _may_mint(fn: Callable, call: Call, inner: _Mint) -> bool:
    """The call can reach the minting branch of a helper that mints only for a zero
    argument: the argument is zero, or a parameter not proven non-zero."""
    if inner.when_zero is None:
        return True
    value = arg(call, inner.when_zero)
    if value is None:
        return False
    if is_zero(value):
        return True
    return param_index(fn, value) is not None and not _nonzero(call.stmt, value)


def _mint_summary(ctx: Context, fn: Function, depth: int) -> _Mint | None:
    key = ("mint", id(fn))
    store = cache(ctx)
    if key in store:
        found = store[key]
        return found if isinstance(found, _Mint) else None
    store[key] = None  # recursion guard
    result = _compute_mint(ctx, fn, depth) if depth <= _MAX_DEPTH else None
    store[key] = result
    return result


def _compute_mint(ctx: Context, fn: Function, depth: int) -> _Mint | None:
    pick, recipient = _pick(ctx, fn)
    if pick is not None:
        labels = ctx.sources(fn, pick.amount)
        return _Mint(
            pick.var,
            _param(ctx, fn, pick.amount),
            _param(ctx, fn, recipient),
            _zero_param(fn, pick.node.stmt),
            "msg.value" in labels,
        )
    for call, target in ctx.facts(fn).internal_calls:
        inner = _mint_summary(ctx, target, depth + 1)
        if inner is None or not _may_mint(fn, call, inner):
            continue
        when_zero = None
        if inner.when_zero is not None and not is_zero(arg(call, inner.when_zero)):
            when_zero = param_index(fn, arg(call, inner.when_zero))
        amount = arg(call, inner.amount)
        paid = inner.paid or "msg.value" in ctx.sources(fn, amount)
        to = arg(call, inner.recipient)
        return _Mint(inner.var, _param(ctx, fn, amount), _param(ctx, fn, to), when_zero, paid)
    return None


def _zero_param(fn: Callable, stmt: Stmt | None) -> int | None:
    """A parameter the conditions of ``stmt`` pin to zero (``if (from == address(0))``)."""
    for expr, truth in facts_of(stmt.conditions) if stmt is not None else []:
        if isinstance(expr, Binary) and (expr.op == "==") == truth and expr.op in ("==", "!="):
            for mine, other in ((expr.left, expr.right), (expr.right, expr.left)):
                found = param_index(fn, mine)
                if found is not None and is_zero(other):
                    return found
    return None


def _nonzero(stmt: Stmt | None, arg: Expr) -> bool:
    """The conditions of ``stmt`` prove ``arg`` non-zero (``require(from != address(0))``)."""
    ref = arg.ref if isinstance(arg, Identifier) else None
    for expr, truth in facts_of(stmt.conditions) if stmt is not None else []:
        if isinstance(expr, Binary) and (expr.op == "!=") == truth and expr.op in ("==", "!="):
            for mine, other in ((expr.left, expr.right), (expr.right, expr.left)):
                if isinstance(mine, Identifier) and mine.ref is ref and is_zero(other):
                    return True
    return False


def _param(ctx: Context, fn: Callable, expr: Expr | None) -> int | None:
    """The parameter of ``fn`` that ``expr`` is computed from (the first one)."""
    if expr is None:
        return None
    labels = ctx.sources(fn, expr)
    for i, param in enumerate(fn.params):
        if f"param:{param.name}" in labels:
            return i
    return None
