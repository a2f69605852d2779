"""A constructor that is not one: a misspelt contract name, or ``function constructor``
(SWC-118)."""

from __future__ import annotations

from collections.abc import Iterator

from contract_analyzer.detectors.access_control._lifecycle import typo_constructor
from contract_analyzer.detectors.access_control._privilege import privileged_vars
from contract_analyzer.detectors.base import SECURITY, Confidence, Detector, Issue, Severity
from contract_analyzer.detectors.context import Context
from contract_analyzer.ir.declarations import Function


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
                if _user_entry_point(ctx, function):
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


def _user_entry_point(ctx: Context, function: Function) -> bool:
    """A name one typo away from the contract's (``register`` in ``Registry``) that only
    writes per-key records (mappings, arrays) is an ordinary entry point, not an
    initialiser: constructors set scalar state such as the owner or a fee."""
    contract = function.contract
    if contract is None or function.name.lower() == contract.name.lower():
        return False
    if function.name == "constructor":
        return False
    written = ctx.facts(function).writes_all
    return bool(written) and all(v.type_name.kind in ("mapping", "array") for v in written)
