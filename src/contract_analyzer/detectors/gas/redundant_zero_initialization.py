"""Variables explicitly initialised to the zero value they already have."""

from __future__ import annotations

from collections.abc import Iterator

from contract_analyzer.detectors.base import GAS, Confidence, Detector, Issue, Severity
from contract_analyzer.detectors.context import Context
from contract_analyzer.detectors.gas import _costs
from contract_analyzer.detectors.gas._util import is_zero_value
from contract_analyzer.ir.declarations import Function
from contract_analyzer.ir.nodes import VarDecl
from contract_analyzer.ir.render import render


class RedundantZeroInitialization(Detector):
    id = "redundant_zero_initialization"
    title = "Redundant initialisation to the default value"
    severity = Severity.INFO
    confidence = Confidence.HIGH
    types = GAS
    description = (
        "Solidity zero-initialises every variable. Writing `= 0`, `= false` or "
        "`= address(0)` again costs an extra store: a no-op SSTORE at deployment for a state "
        "variable, a few gas for a local without the optimizer."
    )
    recommendation = "Drop the initialiser: `uint256 i;` is already zero."

    def detect(self, ctx: Context) -> Iterator[Issue]:
        for contract in ctx.contracts:
            for var in contract.state_variables:
                if var.constant or var.immutable or not is_zero_value(var.value):
                    continue
                yield self.issue(
                    None,
                    f"State variable `{var.name}` is explicitly initialised to "
                    f"`{render(var.value)}`, its default: the initialiser only adds a no-op "
                    "SSTORE at deployment.",
                    line=var.line,
                    contract=contract,
                    gas_saved=_costs.ZERO_INIT_STATE,
                )
        for callable_ in ctx.callables():
            index = callable_.index
            if index is None:
                continue
            for stmt in index.statements:
                if (
                    not isinstance(stmt, VarDecl)
                    or stmt.is_tuple
                    or len(stmt.variables) != 1
                    or stmt.variables[0] is None
                    or not is_zero_value(stmt.value)
                ):
                    continue
                local = stmt.variables[0]
                yield self.issue(
                    stmt,
                    f"Local `{local.name}` in `{callable_.name}` is explicitly initialised to "
                    f"`{render(stmt.value)}`, which it already is.",
                    function=callable_ if isinstance(callable_, Function) else None,
                    contract=callable_.contract,
                    gas_saved=_costs.ZERO_INIT_LOCAL,
                )
