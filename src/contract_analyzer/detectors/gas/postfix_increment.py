"""``i++`` / ``i--`` whose old value nobody uses: ``++i`` is cheaper."""

from __future__ import annotations

from collections.abc import Iterator

from contract_analyzer.detectors.base import GAS, Confidence, Detector, Issue, Severity
from contract_analyzer.detectors.context import Context
from contract_analyzer.detectors.gas import _costs
from contract_analyzer.ir.declarations import Function
from contract_analyzer.ir.nodes import ExpressionStmt, For
from contract_analyzer.ir.render import render


class PostfixIncrement(Detector):
    id = "postfix_increment"
    title = "Postfix increment where prefix would do"
    severity = Severity.INFO
    confidence = Confidence.HIGH
    types = GAS
    description = (
        "`i++` (and `i--`) returns the old value, which the compiler keeps in a temporary. "
        "When the value is not used - a statement on its own or a for-loop update - the "
        "prefix form `++i` does the same for a few gas less."
    )
    recommendation = "Write `++i` / `--i` when the result of the expression is not used."

    def detect(self, ctx: Context) -> Iterator[Issue]:
        for callable_ in ctx.callables():
            index = callable_.index
            if index is None:
                continue
            for update in index.updates:
                if update.prefix:
                    continue
                parent = update.parent
                in_loop = isinstance(parent, For) and parent.update is update
                if not in_loop and not isinstance(parent, ExpressionStmt):
                    continue
                text = render(update.operand, max_len=40)
                where = "the loop update" if in_loop else "a statement"
                yield self.issue(
                    update,
                    f"`{text}{update.op}` in {where} of `{callable_.name}` discards its value: "
                    f"`{update.op}{text}` saves about {_costs.PREFIX_INCREMENT} gas"
                    f"{' per iteration' if in_loop else ''}.",
                    function=callable_ if isinstance(callable_, Function) else None,
                    contract=callable_.contract,
                    gas_saved=_costs.PREFIX_INCREMENT,
                )
