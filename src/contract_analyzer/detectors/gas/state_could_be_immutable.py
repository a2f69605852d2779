"""A state variable assigned only in the constructor could be ``immutable``."""

from __future__ import annotations

from collections.abc import Iterator

from contract_analyzer.detectors.base import GAS, Confidence, Detector, Issue, Severity
from contract_analyzer.detectors.context import Context
from contract_analyzer.detectors.gas import _costs
from contract_analyzer.detectors.gas._project import usage_of
from contract_analyzer.detectors.gas._util import is_constant_expression, requires_at_least
from contract_analyzer.ir.access import StateAccess
from contract_analyzer.ir.declarations import Callable, Contract, Function, StateVariable
from contract_analyzer.ir.nodes import Assignment, Identifier, If, Node, Try

_IMMUTABLE_SINCE = (0, 6, 5)
_RELAXED_SINCE = (0, 8, 21)  # several assignments, branches, reads during construction


class StateCouldBeImmutable(Detector):
    id = "state_could_be_immutable"
    title = "State variable could be immutable"
    severity = Severity.INFO
    confidence = Confidence.HIGH
    types = GAS
    description = (
        "The state variable is only set in the constructor (or by a non-constant "
        "initialiser) and never written afterwards, yet it occupies a storage slot that every "
        "reading transaction pays an SLOAD for."
    )
    recommendation = (
        "Declare it `immutable` (Solidity 0.6.5 or later): the value is stored in the "
        "deployed bytecode and reading it costs a PUSH instead of an SLOAD."
    )
    references = ("https://docs.soliditylang.org/en/latest/contracts.html#immutable",)

    def detect(self, ctx: Context) -> Iterator[Issue]:
        if not requires_at_least(ctx, _IMMUTABLE_SINCE):
            return
        relaxed = requires_at_least(ctx, _RELAXED_SINCE)
        usage = usage_of(ctx.project)
        for contract in ctx.contracts:
            if contract.kind != "contract":
                continue
            for var in contract.state_variables:
                if var.constant or var.immutable or not _value_type(ctx, contract, var):
                    continue
                if usage.maybe_written_elsewhere(var):
                    continue
                writers = usage.writers(var)
                if writers:
                    if var.value is not None or not _constructor_only(var, writers, relaxed):
                        continue
                    how = "only assigned in the constructor"
                elif var.value is not None and not is_constant_expression(var.value):
                    how = "set once by its initialiser and never written"
                else:
                    continue
                yield self.issue(
                    None,
                    f"`{var.name}` is {how}: declare it immutable to replace each SLOAD by a "
                    "value embedded in the bytecode.",
                    line=var.line,
                    contract=contract,
                    # a derived contract outside the project could still write it
                    confidence=Confidence.MEDIUM if var.effective_visibility != "private" else None,
                    gas_saved=_costs.CONSTANT_INSTEAD_OF_SLOAD,
                )


def _value_type(ctx: Context, contract: Contract, var: StateVariable) -> bool:
    t = var.type_name
    if t.kind == "elementary":
        return t.is_value_type and t.name != "unknown"
    if t.kind != "user":
        return False
    if contract.find_enum(t.name) is not None:
        return True
    target = ctx.project.find_contract(t.name, contract.unit)
    return target is not None and not target.is_library


def _constructor_only(
    var: StateVariable, writers: list[tuple[Callable, StateAccess]], relaxed: bool
) -> bool:
    constructor: Function | None = None
    for owner, access in writers:
        if not isinstance(owner, Function) or owner.kind != "constructor":
            return False
        if owner.contract is not var.contract:
            return False
        node = access.node
        if not (
            isinstance(node, Assignment)
            and node.op == "="
            and isinstance(node.target, Identifier)
            and node.stmt is not None
            and node.stmt.loop_depth == 0
        ):
            return False
        if not relaxed and _in_branch(node):
            return False
        constructor = owner
    if constructor is None:
        return False
    if not relaxed:
        if len(writers) != 1:
            return False
        facts = constructor.facts
        if facts is not None and var in facts.reads_all:
            return False  # reading an immutable during construction needs 0.8.21
    return True


def _in_branch(node: Node) -> bool:
    parent = node.parent
    while parent is not None:
        if isinstance(parent, If | Try):
            return True
        parent = parent.parent
    return False
