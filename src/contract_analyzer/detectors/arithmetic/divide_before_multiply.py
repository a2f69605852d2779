"""Division before multiplication: integer division rounds down, and multiplying the
rounded quotient multiplies the rounding error (``(a / b) * c``).

Covers the direct form, a local assigned from a division and multiplied later
(``share = total / n; payout = share * k``), ``x /= d; x *= m``, and SafeMath chains
(``a.div(b).mul(c)``). Quiet when the quotient is multiplied back by its own divisor
(``a / unit * unit`` rounds down to a multiple on purpose) and on constant-only math.
"""

from __future__ import annotations

from collections.abc import Iterator

from contract_analyzer.detectors.arithmetic._division import (
    divided_locals,
    find_division,
    intentional,
    products,
)
from contract_analyzer.detectors.arithmetic._keys import Keys
from contract_analyzer.detectors.arithmetic._util import (
    ether_value_nodes,
    feeding_locals,
    local_definitions,
    local_of,
    result_sink,
)
from contract_analyzer.detectors.base import SECURITY, Confidence, Detector, Issue, Severity
from contract_analyzer.detectors.context import Context
from contract_analyzer.ir.declarations import Function
from contract_analyzer.ir.nodes import (
    Assignment,
    Expr,
    Variable,
)
from contract_analyzer.ir.render import render


class DivideBeforeMultiply(Detector):
    id = "divide_before_multiply"
    title = "Division before multiplication"
    swc = None
    severity = Severity.MEDIUM
    confidence = Confidence.MEDIUM
    types = SECURITY
    description = (
        "A quotient is multiplied after an integer division. Solidity rounds the division "
        "down, so the multiplication scales the rounding error: fees, shares and rewards come "
        "out smaller than intended (or zero)."
    )
    recommendation = (
        "Multiply first and divide last (`a * c / b`), or use a full-precision `mulDiv` helper "
        "when the product could overflow."
    )
    references = ("https://docs.soliditylang.org/en/latest/types.html#division",)

    def detect(self, ctx: Context) -> Iterator[Issue]:
        keys = Keys()
        for fn in ctx.functions():
            index = fn.index
            if index is None or fn.contract is None or fn.contract.is_library:
                continue
            defs = local_definitions(fn)
            divided = divided_locals(fn)
            feeding: dict[Variable, str] | None = None
            ether: set[int] = set()
            for node, factors in products(fn):
                for factor, other in factors:
                    division = find_division(factor, defs, divided, node.start)
                    if division is None or intentional(keys, division, other, node):
                        continue
                    if feeding is None:
                        feeding = feeding_locals(ctx, fn, defs)
                        ether = ether_value_nodes(ctx, fn)
                    yield self._issue(ctx, fn, node, factor, division, feeding, ether)
                    break

    def _issue(
        self,
        ctx: Context,
        fn: Function,
        node: Expr,
        factor: Expr,
        division: Expr,
        feeding: dict[Variable, str],
        ether: set[int],
    ) -> Issue:
        text = render(node, max_len=60)
        quotient = render(division, max_len=40)
        var = local_of(factor)
        if var is not None and division.line != node.line:
            held = (
                f"was divided in place (`{quotient}`, "
                if isinstance(division, Assignment)
                else f"holds `{quotient}` ("
            )
            message = (
                f"`{text}` multiplies `{var.name}`, which {held}line {division.line}): "
                "the rounding error of the division is multiplied too."
            )
        else:
            message = (
                f"`{text}` divides before it multiplies: the remainder dropped by `{quotient}` "
                "is scaled up. Multiply first, then divide."
            )
        target = node.target if isinstance(node, Assignment) else None
        sink = result_sink(ctx, fn, node, feeding, ether) or (
            "contract state" if target is not None and local_of(target) is None else ""
        )
        severity = Severity.MEDIUM if sink else Severity.LOW
        if sink:
            message += f" The result goes into {sink}."
        return self.issue(node, message, function=fn, severity=severity)
