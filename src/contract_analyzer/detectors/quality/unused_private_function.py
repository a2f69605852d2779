"""Private (and plainly internal) functions nothing calls."""

from __future__ import annotations

from collections.abc import Iterator

from contract_analyzer.detectors.base import QUALITY, Confidence, Detector, Issue, Severity
from contract_analyzer.detectors.context import Context
from contract_analyzer.detectors.gas._project import usage_of
from contract_analyzer.ir.declarations import Contract, Function


class UnusedPrivateFunction(Detector):
    id = "unused_private_function"
    title = "Unused private or internal function"
    severity = Severity.INFO
    confidence = Confidence.HIGH
    types = QUALITY
    description = (
        "A private function - or an internal one in a deployable contract that does not "
        "mark it as an extension point - is never called, referenced or attached to a type "
        "anywhere in the project. Dead code still has to be read and audited."
    )
    recommendation = "Remove the function, or call it where it was meant to be used."

    def detect(self, ctx: Context) -> Iterator[Issue]:
        usage = usage_of(ctx.project)
        for contract in ctx.contracts:
            if contract.kind != "contract":
                continue  # library internals and interfaces are APIs
            for function in contract.functions:
                if (
                    function.kind != "function"
                    or function.body is None
                    or not _candidate(contract, function)
                    or function.name in usage.referenced_functions
                ):
                    continue
                private = function.effective_visibility == "private"
                yield self.issue(
                    None,
                    f"{'Private' if private else 'Internal'} function `{function.name}` of "
                    f"`{contract.name}` is never called.",
                    line=function.line,
                    function=function,
                    confidence=Confidence.HIGH if private else Confidence.MEDIUM,
                )


def _candidate(contract: Contract, function: Function) -> bool:
    visibility = function.effective_visibility
    if visibility == "private":
        return True
    # An internal `_helper`, a virtual or an overriding function, or one in an abstract
    # contract is an extension point for contracts outside the project.
    return (
        visibility == "internal"
        and not contract.abstract
        and not function.virtual
        and not function.is_override
        and not function.name.startswith("_")
    )
