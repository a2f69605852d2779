"""Amounts a function has just pulled in from a token.

``require(token.transferFrom(msg.sender, address(this), amount)); deposits[msg.sender] +=
amount;``: the credit cannot overflow, because the contract really received ``amount``
tokens and no token has more than 2**256 - 1 in existence. Like ``msg.value``, the
amount is bounded - provided the token is the contract's own choice (a token the caller
picks can report any transfer it likes) and a failed transfer stops the function.
"""

from __future__ import annotations

from contract_analyzer.detectors.arithmetic._keys import Keys, unwrap_conversion
from contract_analyzer.detectors.common import result_variable, variable_is_checked
from contract_analyzer.detectors.context import Context
from contract_analyzer.ir.declarations import Function
from contract_analyzer.ir.nodes import Call, Expr, Identifier
from contract_analyzer.ir.taint import is_caller_controlled

_PULLS = frozenset({"transferFrom", "safeTransferFrom"})


def pulled_amounts(ctx: Context, fn: Function, keys: Keys) -> list[tuple[str, Call]]:
    """``(key of the amount, the call)`` for each token ``transferFrom(x, this, amount)``
    whose failure stops ``fn``."""
    out: list[tuple[str, Call]] = []
    for ext in ctx.facts(fn).external_calls:
        call = ext.call
        if ext.kind != "high_level" or ext.function_name not in _PULLS or len(call.args) != 3:
            continue
        if not _is_this(call.args[1]) or is_caller_controlled(ctx.sources(fn, ext.target)):
            continue
        if ext.function_name == "transferFrom":
            usage, var = result_variable(call)
            if usage == "ignored" or (
                usage == "stored" and (var is None or not variable_is_checked(var, fn))
            ):
                continue
        out.append((keys.key(call.args[2]), call))
    return out


def bounded_by_pull(pulls: list[tuple[str, Call]], amount: str, node: Expr) -> bool:
    """``amount`` was pulled in by a call that runs whenever ``node`` does, before it."""
    stmt = node.stmt
    if not amount or stmt is None:
        return False
    conditions = {id(e) for e, _ in stmt.conditions}
    for key, call in pulls:
        call_stmt = call.stmt
        if (
            key == amount
            and call_stmt is not None
            and call.start < node.start
            and {id(e) for e, _ in call_stmt.conditions} <= conditions
        ):
            return True
    return False


def _is_this(expr: Expr) -> bool:
    inner = unwrap_conversion(expr)
    return isinstance(inner, Identifier) and inner.name == "this"
