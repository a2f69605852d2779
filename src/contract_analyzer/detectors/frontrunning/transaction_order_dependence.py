"""What a user pays or receives depends on a price that another transaction can change
first: an owner-set price or rate, or a pool price every trade moves (SWC-114)."""

from __future__ import annotations

from collections.abc import Iterator

from contract_analyzer.detectors.base import SECURITY, Confidence, Detector, Issue, Severity
from contract_analyzer.detectors.context import Context
from contract_analyzer.detectors.dos._access import functions_of, open_to_anyone
from contract_analyzer.detectors.dos._state import state_paths
from contract_analyzer.detectors.frontrunning._pricing import (
    Setter,
    curve_division,
    first_read,
    first_sink,
    price_variables,
    user_limited,
)
from contract_analyzer.ir.declarations import Function
from contract_analyzer.ir.render import render


class TransactionOrderDependence(Detector):
    id = "transaction_order_dependence"
    title = "Transaction order dependence: price can change before the user's trade"
    swc = "SWC-114"
    severity = Severity.MEDIUM
    confidence = Confidence.MEDIUM
    types = SECURITY
    description = (
        "How much a user pays or receives is computed from a price, rate, fee or reward that "
        "another transaction can change first - a privileged setter, or other trades moving a "
        "pool's reserves - and the user cannot bound it. A change mined just before the user's "
        "transaction (by the owner, or by a front-runner sandwiching the trade) silently "
        "changes the terms the user signed."
    )
    recommendation = (
        "Let the user state their limits: a minimum output or maximum price (`minAmountOut`) "
        "and a deadline, checked with `require`. For owner-set prices, a timelock on changes "
        "also lets pending transactions execute at the announced price."
    )
    references = ("https://swcregistry.io/docs/SWC-114",)

    def detect(self, ctx: Context) -> Iterator[Issue]:
        for contract in ctx.contracts:
            if contract.kind != "contract":
                continue
            paths = state_paths(ctx, contract)
            settable, moving = price_variables(ctx, paths)
            if not settable and not moving:
                continue
            for function in functions_of(ctx, contract):
                if function.index is None or function.is_view or function.is_constructor:
                    continue
                if function.contract is None or function.contract.unit is not ctx.unit:
                    continue
                if not function.is_public or not open_to_anyone(ctx, function):
                    continue
                issue = self._owner_price(ctx, function, settable) or self._pool_price(
                    ctx, function, moving
                )
                if issue is not None:
                    yield issue

    def _owner_price(
        self, ctx: Context, function: Function, settable: dict[str, Setter]
    ) -> Issue | None:
        sink = first_sink(ctx, function, settable)
        if sink is None or user_limited(ctx, function, sink[2]):
            return None
        node, amount, names, what = sink
        read = first_read(function, amount, names) or node
        used = " and ".join(f"`{n}`" for n in names[:2])
        setters = sorted({settable[n].function.name for n in names[:2]})
        capped = all(settable[n].capped for n in names)
        message = (
            f"`{function.name}` {what} from {used}, which privileged code "
            f"({', '.join(f'`{s}`' for s in setters)}) can change at any time, and the user "
            f"cannot bound `{render(node, max_len=50)}` with a minimum output, maximum price or "
            "deadline; a change mined first alters the terms."
        )
        gives = function.is_payable or bool(function.params)
        if capped:
            message += " The setter caps the new value, which limits the damage."
        elif not gives:
            message += " The caller gives nothing in exchange, which limits the damage."
        severity = Severity.MEDIUM if gives and not capped else Severity.LOW
        return self.issue(read, message, function=function, severity=severity)

    def _pool_price(self, ctx: Context, function: Function, moving: set[str]) -> Issue | None:
        sink = first_sink(ctx, function, moving)
        if sink is None or user_limited(ctx, function, sink[2]):
            return None
        node, amount, names, what = sink
        curve = curve_division(ctx, function, amount, set(names))
        if curve is None:
            return None
        used = ", ".join(f"`{n}`" for n in names[:3])
        message = (
            f"`{function.name}` {what} along a price curve over {used}, which every other trade "
            f"moves, and `{render(node, max_len=50)}` has no minimum-output parameter; a "
            "front-runner can trade just before it (a sandwich) and the caller gets the worse price."
        )
        return self.issue(curve, message, function=function)
