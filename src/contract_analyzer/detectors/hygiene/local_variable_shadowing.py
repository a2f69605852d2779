"""A parameter or local variable has the name of a state variable."""

from __future__ import annotations

from collections.abc import Iterator

from contract_analyzer.detectors.base import QUALITY, Confidence, Detector, Issue, Severity
from contract_analyzer.detectors.context import Context
from contract_analyzer.ir.declarations import Callable, Contract, Function, StateVariable
from contract_analyzer.ir.nodes import Variable


class LocalVariableShadowing(Detector):
    id = "local_variable_shadowing"
    title = "Local variable shadows a state variable"
    swc = "SWC-119"
    severity = Severity.LOW
    confidence = Confidence.HIGH
    types = QUALITY
    description = (
        "A parameter, return variable or local variable has the same name as a state variable "
        "of the contract. Inside the function the name means the local, so an assignment meant "
        "for storage only changes the local copy, and readers easily confuse the two."
    )
    recommendation = (
        "Rename the local (a leading or trailing underscore is the usual convention: "
        "`_owner`, `owner_`)."
    )
    references = ("https://swcregistry.io/docs/SWC-119",)

    def detect(self, ctx: Context) -> Iterator[Issue]:
        for callable_ in ctx.callables():
            contract = callable_.contract
            if contract is None or contract.kind == "interface":
                continue
            for var in _declared(callable_):
                if not var.name:
                    continue
                state = _visible_state_variable(contract, var.name)
                if state is None:
                    continue
                kind = {"param": "Parameter", "return": "Return variable"}.get(
                    var.kind, "Local variable"
                )
                owner = state.contract.name if state.contract is not None else contract.name
                yield self.issue(
                    var,
                    f"{kind} `{var.name}` of `{callable_.name}` shadows the state variable "
                    f"`{owner}.{var.name}` (line {state.line}).",
                    function=callable_,
                )


def _declared(callable_: Callable) -> Iterator[Variable]:
    yield from callable_.params
    if isinstance(callable_, Function):
        yield from callable_.returns
    if callable_.index is not None:
        yield from callable_.index.locals


def _visible_state_variable(contract: Contract, name: str) -> StateVariable | None:
    for owner in contract.linearization or [contract]:
        for var in owner.state_variables:
            if var.name == name:
                if owner is not contract and var.effective_visibility == "private":
                    return None
                return var
    return None
