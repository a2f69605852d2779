"""The bool returned by an ERC20 ``transfer``/``transferFrom``/``approve`` is ignored."""

from __future__ import annotations

import re
from collections.abc import Iterator

from contract_analyzer.detectors.base import SECURITY, Confidence, Detector, Issue, Severity
from contract_analyzer.detectors.common import result_variable, variable_is_checked
from contract_analyzer.detectors.context import Context
from contract_analyzer.ir.facts import ExternalCall
from contract_analyzer.ir.render import render

_NOT_ERC20 = re.compile(r"721|1155|nft", re.IGNORECASE)

# ERC20 functions that report failure through a returned bool, by argument count.
ERC20_BOOL_FUNCTIONS = {"transfer": 2, "transferFrom": 3, "approve": 2}


def is_erc20_bool_call(ext: ExternalCall) -> bool:
    """A high-level ``transfer(to, v)``/``transferFrom(from, to, v)``/``approve(s, v)``."""
    name = ext.function_name
    return (
        ext.kind == "high_level"
        and name is not None
        and ERC20_BOOL_FUNCTIONS.get(name) == len(ext.call.args)
    )


class UncheckedErc20Transfer(Detector):
    id = "unchecked_erc20_transfer"
    title = "Unchecked ERC20 transfer"
    swc = "SWC-104"
    severity = Severity.MEDIUM
    confidence = Confidence.HIGH
    types = SECURITY
    description = (
        "The boolean returned by an ERC20 `transfer`, `transferFrom` or `approve` is ignored. "
        "Many tokens report failure by returning `false` instead of reverting, so the contract "
        "carries on as if tokens moved - crediting a deposit that never arrived, or marking a "
        "payout done that failed."
    )
    recommendation = (
        "Use OpenZeppelin's `SafeERC20` (`token.safeTransfer(to, amount)`), which handles "
        "tokens that return `false` and tokens that return nothing, or at least "
        "`require(token.transfer(to, amount));`."
    )
    references = (
        "https://swcregistry.io/docs/SWC-104",
        "https://docs.openzeppelin.com/contracts/5.x/api/token/erc20#SafeERC20",
    )

    def detect(self, ctx: Context) -> Iterator[Issue]:
        for callable_ in ctx.callables():
            for ext in ctx.facts(callable_).external_calls:
                if not is_erc20_bool_call(ext):
                    continue
                callee = ext.callee
                confidence = Confidence.HIGH
                if callee is not None:
                    first = callee.returns[0].type_name if callee.returns else None
                    if first is None or not first.is_bool:
                        continue  # declared without a bool (USDT-style): nothing to check
                else:
                    target_type = ctx.type_of(callable_, ext.target)
                    if target_type is not None and (
                        target_type.kind != "user" or _NOT_ERC20.search(target_type.name)
                    ):
                        continue  # not a token contract, or an NFT (its transfers return nothing)
                    confidence = Confidence.MEDIUM  # interface not visible
                usage, var = result_variable(ext.call)
                if usage == "checked":
                    continue
                if usage == "stored" and var is not None and variable_is_checked(var, callable_):
                    continue
                token = render(ext.target, max_len=40)
                call_text = f"`{token}.{ext.function_name}(...)`"
                if usage == "stored" and var is not None:
                    message = (
                        f"The result of {call_text} is stored in `{var.name}` but never checked: "
                        "a token that returns `false` fails silently."
                    )
                else:
                    message = (
                        f"The bool returned by {call_text} is ignored: a token that returns "
                        "`false` instead of reverting fails silently. Use `safeTransfer`-style "
                        "wrappers or `require` the result."
                    )
                yield self.issue(ext.call, message, function=callable_, confidence=confidence)
