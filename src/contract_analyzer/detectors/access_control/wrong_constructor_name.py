"""A constructor that is not one: a misspelt contract name, or ``function constructor``
(SWC-118)."""

from __future__ import annotations

from collections.abc import Iterator

from contract_analyzer.detectors.access_control._lifecycle import typo_constructor
from contract_analyzer.detectors.access_control._privilege import privileged_vars
from contract_analyzer.detectors.base import SECURITY, Confidence, Detector, Issue, Severity
from contract_analyzer.detectors.context import Context


class WrongConstructorName(Detector):
    id = "wrong_constructor_name"
    title = "Incorrect constructor name"
    swc = "SWC-118"
    severity = Severity.CRITICAL
    confidence = Confidence.HIGH
    types = SECURITY
    description = (
        "Before Solidity 0.5 a constructor was the function named exactly like the contract. "
        "This function was evidently meant to be the constructor, but its name differs (by "
        "case, a typo, or `function constructor`), so it is an ordinary public function: "
        "anyone can call it at any time and re-run the initialisation - typically making "
        "themselves the owner."
    )
    recommendation = (
        "Use the `constructor(...)` keyword (Solidity 0.4.22 and later), or rename the "
        "function to match the contract exactly; better, upgrade the compiler."
    )
    references = ("https://swcregistry.io/docs/SWC-118",)

    def detect(self, ctx: Context) -> Iterator[Issue]:
        if not ctx.allows_legacy():
            return
        for contract in ctx.contracts:
            for function in contract.functions:
                if function.body is None or not typo_constructor(function):
                    continue
                privileged = privileged_vars(ctx, contract)
                written = sorted(v.name for v in ctx.facts(function).writes_all if v in privileged)
                if function.name == "constructor":
                    why = "`function constructor` declares an ordinary function named constructor"
                else:
                    why = (
                        f"`{function.name}` is not `{contract.name}`, so it is not the constructor"
                    )
                if written:
                    names = ", ".join(f"`{n}`" for n in written[:3])
                    effect = f"anyone can call it and set {names}"
                    severity = Severity.CRITICAL
                else:
                    effect = "anyone can call it and re-run the initialisation"
                    severity = Severity.HIGH
                yield self.issue(
                    None,
                    f"{why}: {effect}.",
                    line=function.line,
                    function=function,
                    severity=severity,
                )
