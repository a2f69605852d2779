"""A derived contract redeclares a state variable of one of its bases (SWC-119)."""

from __future__ import annotations

from collections.abc import Iterator

from contract_analyzer.detectors.base import SECURITY, Confidence, Detector, Issue, Severity
from contract_analyzer.detectors.context import Context
from contract_analyzer.ir.declarations import Contract, StateVariable


class StateVariableShadowing(Detector):
    id = "state_variable_shadowing"
    title = "State variable shadows a base contract's variable"
    swc = "SWC-119"
    severity = Severity.MEDIUM
    confidence = Confidence.HIGH
    types = SECURITY
    description = (
        "A contract declares a state variable with the same name as one in a contract it "
        "inherits from. Before 0.6.0 this compiles into two separate storage slots: functions "
        "of the base read and write the base's copy, functions of the derived contract the "
        "other, so a value set in one place (an owner, a fee) is not the one checked elsewhere."
    )
    recommendation = (
        "Remove the redeclaration and use the inherited variable (set it in the constructor), "
        "or give the new variable a distinct name."
    )
    references = ("https://swcregistry.io/docs/SWC-119",)

    def detect(self, ctx: Context) -> Iterator[Issue]:
        for contract in ctx.contracts:
            if contract.kind != "contract" or not contract.ancestors:
                continue
            for var in contract.state_variables:
                base_var = _inherited(contract, var.name)
                if base_var is None or base_var.contract is None:
                    continue
                private = base_var.effective_visibility == "private"
                message = (
                    f"`{var.name}` in `{contract.name}` redeclares `{base_var.contract.name}."
                    f"{var.name}` (line {base_var.line}): the two are separate storage "
                    f"variables, and code in `{base_var.contract.name}` keeps using its own copy."
                )
                if private:
                    message += (
                        f" `{base_var.contract.name}.{var.name}` is private, so this is legal and "
                        "often deliberate; make sure the two are not meant to be one."
                    )
                yield self.issue(
                    None,
                    message,
                    line=var.line,
                    contract=contract,
                    severity=Severity.LOW if private else None,
                    confidence=Confidence.LOW if private else Confidence.HIGH,
                )


def _inherited(contract: Contract, name: str) -> StateVariable | None:
    for base in contract.ancestors:
        for var in base.state_variables:
            if var.name == name:
                return var
    return None
