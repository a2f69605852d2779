"""Revert strings where the compiler supports custom errors (0.8.4+)."""

from __future__ import annotations

from collections.abc import Iterator

from contract_analyzer.detectors.base import GAS, Confidence, Detector, Issue, Severity
from contract_analyzer.detectors.context import Context
from contract_analyzer.detectors.gas import _costs
from contract_analyzer.detectors.gas._util import requires_at_least
from contract_analyzer.ir.builtins import Builtin
from contract_analyzer.ir.declarations import Function
from contract_analyzer.ir.nodes import Expr, Identifier, Literal, Revert

_CUSTOM_ERRORS_SINCE = (0, 8, 4)


class RevertStringsVsCustomErrors(Detector):
    id = "revert_strings_vs_custom_errors"
    title = "Revert string instead of a custom error"
    severity = Severity.INFO
    confidence = Confidence.HIGH
    types = GAS
    description = (
        '`require(cond, "message")` and `revert("message")` store the message in the '
        "bytecode and ABI-encode it on every failure. Since Solidity 0.8.4 a custom error "
        "(`error NotOwner(); ... revert NotOwner();`) costs a 4-byte selector instead."
    )
    recommendation = (
        "Declare custom errors and use `if (!cond) revert Err();` (or, from 0.8.26, "
        "`require(cond, Err())`)."
    )
    references = ("https://soliditylang.org/blog/2021/04/21/custom-errors/",)

    def detect(self, ctx: Context) -> Iterator[Issue]:
        if not requires_at_least(ctx, _CUSTOM_ERRORS_SINCE):
            return
        for callable_ in ctx.callables():
            index = callable_.index
            if index is None:
                continue
            function = callable_ if isinstance(callable_, Function) else None
            for call in index.calls:
                callee = call.callee
                if not isinstance(callee, Identifier) or not isinstance(callee.ref, Builtin):
                    continue
                if callee.name == "require" and len(call.args) == 2:
                    message = _string(call.args[1])
                elif callee.name == "revert" and len(call.args) == 1:
                    message = _string(call.args[0])
                else:
                    continue
                if message:
                    yield self._report(call, callee.name, message, callable_.name, function)
            for stmt in index.statements:
                if isinstance(stmt, Revert) and stmt.error is None and len(stmt.args) == 1:
                    message = _string(stmt.args[0])
                    if message:
                        yield self._report(
                            stmt.args[0], "revert", message, callable_.name, function
                        )

    def _report(
        self, node: Expr, kind: str, message: str, where: str, function: Function | None
    ) -> Issue:
        return self.issue(
            node,
            f'`{kind}` in `{where}` uses the revert string "{message[:40]}": a custom error '
            f"saves about {_costs.CODE_DEPOSIT_PER_BYTE * len(message)} gas of deployment and "
            f"about {_costs.CUSTOM_ERROR_RUNTIME} gas each time it reverts.",
            function=function,
            gas_saved=_costs.CODE_DEPOSIT_PER_BYTE * len(message),
        )


def _string(expr: Expr) -> str:
    """The text of a non-empty string literal (quotes removed), else ``""``."""
    if not isinstance(expr, Literal) or expr.kind not in ("string", "unicode"):
        return ""
    text = expr.value
    if text.startswith("unicode"):
        text = text[len("unicode") :]
    return text[1:-1] if len(text) >= 2 else ""
