"""Functions without a visibility keyword in pre-0.5 code are public (SWC-100)."""

from __future__ import annotations

from collections.abc import Iterator

from contract_analyzer.detectors.access_control._privilege import privileged_vars
from contract_analyzer.detectors.base import SECURITY, Confidence, Detector, Issue, Severity
from contract_analyzer.detectors.context import Context
from contract_analyzer.ir.declarations import Function, StateVariable
from contract_analyzer.ir.index import is_call_to


class DefaultFunctionVisibility(Detector):
    id = "default_function_visibility"
    title = "Function visibility not specified"
    swc = "SWC-100"
    severity = Severity.MEDIUM
    confidence = Confidence.HIGH
    types = SECURITY
    description = (
        "Before Solidity 0.5 a function without `public`, `external`, `internal` or `private` "
        "is public. A helper meant to be internal can then be called by anyone, with whatever "
        "arguments they choose."
    )
    recommendation = (
        "Declare the visibility of every function explicitly; make helpers `internal` or "
        "`private`. Upgrading to Solidity 0.5 or later makes this mandatory."
    )
    references = ("https://swcregistry.io/docs/SWC-100",)

    def detect(self, ctx: Context) -> Iterator[Issue]:
        if not ctx.allows_legacy():
            return
        for contract in ctx.contracts:
            if contract.kind != "contract":
                continue
            privileged = privileged_vars(ctx, contract)
            for function in contract.functions:
                if function.visibility is not None or function.kind != "function":
                    continue
                if function.body is None:
                    continue
                facts = ctx.facts(function)
                sensitive = _sensitive(ctx, function, facts.writes_all & set(privileged))
                changes_state = bool(facts.writes_all or facts.calls_out_all)
                if not facts.reachable_by_anyone or function.is_view:
                    severity = Severity.LOW
                elif sensitive:
                    severity = Severity.HIGH
                elif changes_state:
                    severity = Severity.MEDIUM
                else:
                    severity = Severity.LOW
                effect = sensitive if severity is Severity.HIGH else ""
                yield self.issue(
                    None,
                    f"`{function.name}` has no visibility, so it is public: anyone can call "
                    f"it{effect}. Declare `public`/`external` if intended, `internal` otherwise.",
                    line=function.line,
                    function=function,
                    severity=severity,
                )


def _sensitive(ctx: Context, function: Function, privileged_written: set[StateVariable]) -> str:
    """Why calling this function from outside is dangerous, or ``""``. A ``selfdestruct``
    under an owner check (``if (msg.sender == owner) suicide(owner);``) is not."""
    facts = function.facts
    if facts is None:
        return ""
    if function.name.startswith("_"):
        return ", although its name marks it as an internal helper"
    if privileged_written:
        return " and change who controls the contract"
    for owner in (function, *facts.callees):
        index = owner.index
        if index is not None and any(
            is_call_to(c, "selfdestruct", "suicide") and not ctx.is_protected_at(owner, c.stmt)
            for c in index.calls
        ):
            return " and destroy the contract"
    return ""
