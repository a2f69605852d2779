"""Return value of a low-level call ignored (SWC-104)."""

from __future__ import annotations

from collections.abc import Iterator

from contract_analyzer.detectors.base import SECURITY, Confidence, Detector, Issue, Severity
from contract_analyzer.detectors.common import (
    result_variable,
    variable_is_checked,
    variable_is_silenced,
)
from contract_analyzer.detectors.context import Context
from contract_analyzer.ir.render import render

_CHECKED_KINDS = ("call", "send", "delegatecall", "callcode", "staticcall")


class UncheckedCall(Detector):
    id = "unchecked_call"
    title = "Unchecked low-level call"
    swc = "SWC-104"
    severity = Severity.HIGH
    confidence = Confidence.HIGH
    types = SECURITY
    description = (
        "The boolean returned by a low-level call (call, send, delegatecall, callcode) is "
        "ignored. These calls do not revert when the callee fails; execution continues as "
        "if the ether or the call went through, and the contract's accounting no longer "
        "matches reality."
    )
    recommendation = (
        'Check the result: `(bool ok, ) = to.call{value: v}(""); require(ok, "call failed");` '
        "or use `transfer`/OpenZeppelin `Address.sendValue`, which revert on failure."
    )
    references = ("https://swcregistry.io/docs/SWC-104",)

    def detect(self, ctx: Context) -> Iterator[Issue]:
        for function in ctx.callables():
            for ext in ctx.facts(function).external_calls:
                if ext.kind not in _CHECKED_KINDS:
                    continue
                usage, var = result_variable(ext.call)
                if usage == "checked":
                    continue
                if usage == "stored" and var is not None and variable_is_checked(var, function):
                    continue
                target = render(ext.target, max_len=40)
                if usage == "stored" and var is not None:
                    message = (
                        f"The success flag `{var.name}` of `{target}.{ext.kind}` is stored but never "
                        "checked, so a failed call goes unnoticed."
                    )
                else:
                    message = (
                        f"The return value of `{target}.{ext.kind}(...)` is ignored: if the call "
                        "fails, execution continues as if it had succeeded."
                    )
                severity = Severity.MEDIUM if ext.kind == "staticcall" else Severity.HIGH
                if usage == "stored" and var is not None and variable_is_silenced(var, function):
                    # `(ok);` marks a failure ignored on purpose (a callback that must not block)
                    severity = Severity.LOW
                    message += " The flag is silenced on purpose; make sure ignoring a failure is safe here."
                yield self.issue(ext.call, message, function=function, severity=severity)
