"""A state variable initialised with a compile-time constant and never written."""

from __future__ import annotations

from collections.abc import Iterator

from contract_analyzer.detectors.base import GAS, Confidence, Detector, Issue, Severity
from contract_analyzer.detectors.context import Context
from contract_analyzer.detectors.gas import _costs
from contract_analyzer.detectors.gas._project import usage_of
from contract_analyzer.detectors.gas._util import is_constant_expression
from contract_analyzer.ir.render import render


class StateCouldBeConstant(Detector):
    id = "state_could_be_constant"
    title = "State variable could be constant"
    severity = Severity.INFO
    confidence = Confidence.HIGH
    types = GAS
    description = (
        "The state variable is initialised with a value the compiler can compute and no "
        "function of the project ever writes it. It still occupies a storage slot: every "
        "transaction that reads it pays an SLOAD, and deployment pays an SSTORE."
    )
    recommendation = (
        "Declare it `constant` (and name it in UPPER_CASE): the value is then inlined in "
        "the bytecode."
    )
    references = (
        "https://docs.soliditylang.org/en/latest/contracts.html#constant-and-immutable-state-variables",
    )

    def detect(self, ctx: Context) -> Iterator[Issue]:
        usage = usage_of(ctx.project)
        for contract in ctx.contracts:
            if contract.kind != "contract":
                continue
            for var in contract.state_variables:
                t = var.type_name
                if (
                    var.constant
                    or var.immutable
                    or var.value is None
                    or t.kind != "elementary"
                    or usage.writers(var)
                    or usage.maybe_written_elsewhere(var)
                    or not is_constant_expression(var.value)
                ):
                    continue
                yield self.issue(
                    None,
                    f"`{var.name}` is initialised to `{render(var.value, max_len=40)}` and never "
                    "written: declare it constant to save an SLOAD on every transaction that "
                    f"reads it (and about {_costs.SSTORE_SET} gas at deployment).",
                    line=var.line,
                    contract=contract,
                    confidence=Confidence.MEDIUM if var.effective_visibility != "private" else None,
                    gas_saved=_costs.CONSTANT_INSTEAD_OF_SLOAD,
                )
