"""Whether a function pays someone: sends ether or moves tokens, itself or through
the code it calls (or, for helpers and modifiers, through its callers)."""

from __future__ import annotations

from contract_analyzer.detectors.context import Context
from contract_analyzer.ir.declarations import Callable, Function

_VALUE_MOVES = frozenset(
    {"transfer", "transferfrom", "safetransfer", "safetransferfrom", "mint", "safemint", "send"}
)
_INTERNAL_MOVES = _VALUE_MOVES | {"payout", "pay", "paywinner", "sendprize", "withdraw"}


def moves_value(ctx: Context, fn: Callable) -> bool:
    """The body (or code it calls) sends ether or moves tokens."""
    facts = ctx.facts(fn)
    for ext in facts.calls_out_all:
        if ext.sends_ether:
            return True
        if ext.kind == "high_level" and (ext.function_name or "").lower() in _VALUE_MOVES:
            return True
    if facts.ether_out:
        return True
    for callee in facts.callees:
        if callee.name.lower().lstrip("_") in _INTERNAL_MOVES or ctx.facts(callee).ether_out:
            return True
    return False


def pays_out(ctx: Context, fn: Callable) -> bool:
    """``fn`` moves value, or (for internal helpers and modifiers) a caller does."""
    if moves_value(ctx, fn):
        return True
    callers: list[Callable] = list(ctx.facts(fn).callers)
    if not isinstance(fn, Function) and fn.contract is not None:
        callers = [f for f in fn.contract.callable_functions() if fn in ctx.facts(f).modifiers]
    return any(moves_value(ctx, caller) for caller in callers)
