"""A swap whose deadline is `block.timestamp`: the check `deadline >= block.timestamp`
always passes, so a transaction held back in the mempool executes whenever it suits the
block builder, at whatever price the pool then has."""

from __future__ import annotations

import re
from collections.abc import Iterator

from contract_analyzer.detectors.base import SECURITY, Confidence, Detector, Issue, Severity
from contract_analyzer.detectors.context import Context
from contract_analyzer.ir.nodes import Call, Expr, Member
from contract_analyzer.ir.resolve import dotted_name

_SWAP = re.compile(r"^(swap|exactInput|exactOutput|addLiquidity|removeLiquidity)", re.IGNORECASE)
_DEADLINE = re.compile(r"^_?deadline$", re.IGNORECASE)
# router functions whose last argument is the deadline (for unnamed or imported interfaces)
_LAST_IS_DEADLINE = re.compile(
    r"^(swapExact\w*|swap\w*ForExact\w*|addLiquidity\w*|removeLiquidity\w*)$"
)


class SwapDeadlineNow(Detector):
    id = "swap_deadline_now"
    title = "Swap deadline set to block.timestamp"
    swc = "SWC-114"
    severity = Severity.LOW
    confidence = Confidence.HIGH
    types = SECURITY
    description = (
        "The trade passes `block.timestamp` as its deadline. The router compares the deadline "
        "with the timestamp of the block that includes the transaction, so the check always "
        "passes: a pending transaction can be held and executed later at a worse price."
    )
    recommendation = (
        "Let the caller pass a deadline computed off-chain (for example now + a few minutes) "
        "and forward it to the router."
    )
    references = ("https://swcregistry.io/docs/SWC-114",)

    def detect(self, ctx: Context) -> Iterator[Issue]:
        for function in ctx.functions():
            for ext in ctx.facts(function).external_calls:
                name = ext.function_name or ""
                if ext.kind != "high_level" or not _SWAP.match(name):
                    continue
                arg = _deadline_arg(ext.call, ext.callee, name)
                if arg is None or dotted_name(arg) not in ("block.timestamp", "now"):
                    continue
                yield self.issue(
                    arg,
                    f"`{function.name}` calls `{name}` with `block.timestamp` as the deadline: "
                    "the deadline check always passes, so the trade can be delayed and "
                    "executed at a worse price.",
                    function=function,
                )


def _deadline_arg(call: Call, callee: object, name: str) -> Expr | None:
    for inner in (call, *call.args):
        if isinstance(inner, Call) and inner.arg_names:
            for arg_name, arg in zip(inner.arg_names, inner.args, strict=False):
                if _DEADLINE.match(arg_name):
                    return arg
    if call.arg_names or not call.args:
        return None
    params = getattr(callee, "params", None) or []
    for i, param in enumerate(params):
        if i < len(call.args) and _DEADLINE.match(param.name or ""):
            return call.args[i]
    if _LAST_IS_DEADLINE.match(name) and len(call.args) >= 4:
        last = call.args[-1]
        return last if isinstance(last, Member) else None
    return None
