"""State variables that no code of the project reads."""

from __future__ import annotations

from collections.abc import Iterator

from contract_analyzer.detectors.base import QUALITY, Confidence, Detector, Issue, Severity
from contract_analyzer.detectors.context import Context
from contract_analyzer.detectors.gas._project import usage_of
from contract_analyzer.ir.declarations import Contract


class UnusedStateVariable(Detector):
    id = "unused_state_variable"
    title = "Unused state variable"
    severity = Severity.INFO
    confidence = Confidence.HIGH
    types = QUALITY
    description = (
        "A private or internal state variable is never read by the contract or by the "
        "contracts of the project that inherit from it. It is dead code - and when it is "
        "written, dead storage that costs gas on every write."
    )
    recommendation = (
        "Remove the variable, or use it. Keep storage-gap variables of upgradeable contracts."
    )

    def detect(self, ctx: Context) -> Iterator[Issue]:
        usage = usage_of(ctx.project)
        for contract in ctx.contracts:
            if contract.kind == "interface":
                continue
            # An abstract base nobody in the project extends keeps its internal state for
            # derived contracts we cannot see.
            open_base = contract.abstract and not _extended(ctx, contract)
            for var in contract.state_variables:
                if (
                    var.effective_visibility == "public"
                    or var.is_override
                    or var.name.startswith("__gap")
                    or not var.name
                    or usage.is_read(var)
                    or (open_base and var.effective_visibility != "private")
                ):
                    continue
                what = "is written but never read" if usage.writers(var) else "is never used"
                private = var.effective_visibility == "private"
                yield self.issue(
                    None,
                    f"State variable `{var.name}` of `{contract.name}` {what}"
                    f"{'' if private else ' here or in a derived contract of the project'}.",
                    line=var.line,
                    contract=contract,
                    confidence=Confidence.HIGH if private else Confidence.MEDIUM,
                )


def _extended(ctx: Context, contract: Contract) -> bool:
    return any(contract in other.linearization[1:] for other in ctx.project.all_contracts())
