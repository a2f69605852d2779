"""Per-token ledgers of tokens the contract holds.

``unchecked { feesOwed[token] += fee; }`` next to a payout ``feesOwed[token] -= amount;
token.transfer(to, amount);``: the entry counts units of ``token`` that the contract holds
and pays out in that very token, so it stays below the token's total supply (at most
2**256 - 1) and the unchecked addition cannot wrap. Recognised only inside an explicit
``unchecked`` block of checked (>= 0.8) code, where the author chose to skip the check.
"""

from __future__ import annotations

from contract_analyzer.detectors.arithmetic._keys import strip, unwrap_conversion
from contract_analyzer.detectors.arithmetic._ops import Op
from contract_analyzer.detectors.context import Context
from contract_analyzer.ir.declarations import Contract, StateVariable
from contract_analyzer.ir.nodes import Call, Expr, Identifier, Index, Member

_PAYOUTS = frozenset({"transfer", "safeTransfer"})


def token_ledger(ctx: Context, contract: Contract | None, op: Op) -> bool:
    """``op`` adds to ``ledger[token]`` and some function of ``contract`` subtracts an
    amount from ``ledger[t]`` and transfers that amount of ``t`` out."""
    target = strip(op.target)
    if op.kind != "add" or contract is None or not isinstance(target, Index):
        return False
    base = target.base
    var = base.ref if isinstance(base, Identifier) else None
    return isinstance(var, StateVariable) and _paid_out(contract, var)


def _paid_out(contract: Contract, var: StateVariable) -> bool:
    for function in contract.callable_functions():
        index = function.index
        if index is None:
            continue
        for assignment in index.assignments:
            target = assignment.target
            if assignment.op != "-=" or not isinstance(target, Index):
                continue
            if not (isinstance(target.base, Identifier) and target.base.ref is var):
                continue
            token, amount = _ref(target.index), _ref(assignment.value)
            if token is not None and amount is not None and _transfers(index.calls, token, amount):
                return True
    return False


def _transfers(calls: list[Call], token: object, amount: object) -> bool:
    """``token.transfer(to, amount)`` / ``IERC20(token).safeTransfer(to, amount)``."""
    for call in calls:
        callee = call.callee
        if not isinstance(callee, Member) or callee.member not in _PAYOUTS:
            continue
        if _ref(callee.base) is token and any(_ref(a) is amount for a in call.args):
            return True
    return False


def _ref(expr: Expr | None) -> object:
    expr = unwrap_conversion(expr)
    while isinstance(expr, Call) and expr.kind == "conversion" and len(expr.args) == 1:
        expr = unwrap_conversion(expr.args[0])  # IERC20(token)
    return expr.ref if isinstance(expr, Identifier) and expr.ref is not None else None
