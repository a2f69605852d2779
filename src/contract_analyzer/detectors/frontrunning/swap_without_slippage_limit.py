"""A swap on an exchange with its minimum output set to zero: a sandwich attacker moves
the price before the trade and takes the difference (SWC-114)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from contract_analyzer.detectors.base import SECURITY, Confidence, Detector, Issue, Severity
from contract_analyzer.detectors.context import Context
from contract_analyzer.ir.nodes import Call, Expr, Literal

# functions of routers / pools that trade one asset for another
_SWAP = re.compile(r"^(swap|exactInput|exactOutput|exchange|sellToken|buyToken)", re.IGNORECASE)
# parameters that bound what the trade returns (not `sqrtPriceLimitX96`)
_MIN_OUT = re.compile(
    r"^_?(amount_?out_?min(imum)?|min_?(amount_?)?(out|return|dy|received|tokens|eth)\w*|"
    r"min(imum)?_?amount\w*|amount_?out_?limit)$",
    re.IGNORECASE,
)
# well-known router functions and the position of their minimum output, for interfaces
# that are imported from a file we were not given
_KNOWN: dict[str, int] = {
    "swapExactTokensForTokens": 1,
    "swapExactTokensForETH": 1,
    "swapExactTokensForTokensSupportingFeeOnTransferTokens": 1,
    "swapExactTokensForETHSupportingFeeOnTransferTokens": 1,
    "swapExactETHForTokens": 0,
    "swapExactETHForTokensSupportingFeeOnTransferTokens": 0,
    "exchange": 3,
    "exchange_underlying": 3,
}


class SwapWithoutSlippageLimit(Detector):
    id = "swap_without_slippage_limit"
    title = "Swap with no minimum output (sandwich attack)"
    swc = "SWC-114"
    severity = Severity.MEDIUM
    confidence = Confidence.HIGH
    types = SECURITY
    description = (
        "The contract trades on an exchange and accepts any output: the minimum amount out "
        "is zero. A bot that sees the pending transaction buys first, lets the trade execute "
        "at the worse price, and sells right after (a sandwich), taking most of the value."
    )
    recommendation = (
        "Pass a minimum output computed off-chain by the caller (or from a manipulation-"
        "resistant oracle with a tolerance), and a real deadline instead of `block.timestamp`."
    )
    references = ("https://swcregistry.io/docs/SWC-114",)

    def detect(self, ctx: Context) -> Iterator[Issue]:
        for function in ctx.functions():
            for ext in ctx.facts(function).external_calls:
                name = ext.function_name or ""
                if ext.kind != "high_level" or not _SWAP.match(name):
                    continue
                zero = _zero_min_out(ext.call, ext.callee, name)
                if zero is None:
                    continue
                yield self.issue(
                    ext.call,
                    f"`{function.name}` calls `{name}` with a minimum output of 0: the trade "
                    "accepts any price, so a sandwich bot can move the pool around it and "
                    "take the difference.",
                    function=function,
                )


def _zero_min_out(call: Call, callee: object, name: str) -> Expr | None:
    """The literal zero passed as the minimum output, directly, by name, or as a member
    of a parameter struct (``ExactInputSingleParams({... amountOutMinimum: 0 ...})``)."""
    named = _named(call)
    for arg_name, arg in named:
        if _MIN_OUT.match(arg_name) and _is_zero(arg):
            return arg
    params = getattr(callee, "params", None) or []
    if not call.arg_names:
        named_params = bool(params) and any(_MIN_OUT.match(p.name or "") for p in params)
        if named_params:
            for i, param in enumerate(params):
                if i < len(call.args) and _MIN_OUT.match(param.name) and _is_zero(call.args[i]):
                    return call.args[i]
        # an interface written with unnamed parameters: fall back to the known layout
        elif name in _KNOWN and _KNOWN[name] < len(call.args):
            arg = call.args[_KNOWN[name]]
            if _is_zero(arg):
                return arg
    return None


def _named(call: Call) -> list[tuple[str, Expr]]:
    """Named arguments of the call and of struct literals passed to it."""
    out: list[tuple[str, Expr]] = []
    for inner in (call, *call.args):
        if isinstance(inner, Call) and inner.arg_names:  # f({...}) or Params({...})
            out.extend(zip(inner.arg_names, inner.args, strict=False))
    return out


def _is_zero(expr: Expr) -> bool:
    return isinstance(expr, Literal) and expr.int_value() == 0
