"""State variables without an explicit visibility (SWC-108)."""

from __future__ import annotations

from collections.abc import Iterator

from contract_analyzer.detectors.base import SECURITY, Confidence, Detector, Issue, Severity
from contract_analyzer.detectors.context import Context


class StateVariableDefaultVisibility(Detector):
    id = "state_variable_default_visibility"
    title = "State variable visibility not specified"
    swc = "SWC-108"
    severity = Severity.LOW
    confidence = Confidence.HIGH
    types = SECURITY
    description = (
        "The state variable has no `public`, `internal` or `private` keyword, so it is "
        "`internal` by default. Readers cannot tell whether that was intended, and a variable "
        "meant to be readable (or meant to stay out of derived contracts) is not."
    )
    recommendation = (
        "Declare the visibility of every state variable explicitly. Remember that `private` "
        "does not hide data: everything in storage is readable off-chain."
    )
    references = ("https://swcregistry.io/docs/SWC-108",)

    def detect(self, ctx: Context) -> Iterator[Issue]:
        for contract in ctx.contracts:
            if contract.kind != "contract":
                continue
            for var in contract.state_variables:
                if var.visibility is not None or var.constant or not var.name:
                    continue
                yield self.issue(
                    None,
                    f"`{var.name}` has no explicit visibility and defaults to `internal`: "
                    "state whether it is meant to be `internal`, `private` or `public`.",
                    line=var.line,
                    contract=contract,
                )
