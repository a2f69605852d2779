"""A function anyone can call redirects the contract's payments, switches it off, sets
how much it pays or replaces the answer it pays for.

The contract checks its caller elsewhere (it has an owner or roles), yet one setter of
a payment recipient (``treasury``, ``feeRecipient``) or of a flag other functions
require (``paused``) has no such check: the classic forgotten ``onlyOwner``.
"""

from __future__ import annotations

from collections.abc import Iterator

from contract_analyzer.detectors.access_control._entry import entry_span
from contract_analyzer.detectors.access_control._lifecycle import one_shot, typo_constructor
from contract_analyzer.detectors.access_control._ownership import paid
from contract_analyzer.detectors.access_control._privilege import privileged_vars
from contract_analyzer.detectors.access_control._reach import (
    controlled_entries,
    entries,
    params_in,
)
from contract_analyzer.detectors.access_control._sensitive import (
    AMOUNT,
    ORACLE,
    PAYEE,
    SECRET,
    sensitive_vars,
)
from contract_analyzer.detectors.access_control._util import INITIALIZER_NAME, hidden_checks
from contract_analyzer.detectors.base import SECURITY, Confidence, Detector, Issue, Severity
from contract_analyzer.detectors.context import Context
from contract_analyzer.detectors.randomness._payout import moves_value
from contract_analyzer.ir.declarations import Function, StateVariable
from contract_analyzer.ir.index import facts_of
from contract_analyzer.ir.nodes import Assignment, Identifier, Literal, Unary


class UnprotectedSetter(Detector):
    id = "unprotected_setter"
    title = "Unprotected setter of a payment recipient or pause switch"
    swc = "SWC-105"
    severity = Severity.HIGH
    confidence = Confidence.MEDIUM
    types = SECURITY
    description = (
        "The contract restricts some functions to an owner or role, but a public function "
        "with no access check sets state that decides where the contract pays out (a "
        "treasury, fee recipient), a flag that other functions require (a pause switch), "
        "how much a public function pays (an airdrop amount) or the hash a public function "
        "pays for matching (a quiz answer). Anyone can redirect or raise the payments, "
        "claim the prize with an answer of their own, or stop the contract for everyone."
    )
    recommendation = (
        "Add the contract's access check (`onlyOwner`, `onlyRole(...)`) to the setter; "
        "consider a timelock for recipient changes."
    )
    references = ("https://swcregistry.io/docs/SWC-105",)

    def detect(self, ctx: Context) -> Iterator[Issue]:
        for function in ctx.functions():
            contract = function.contract
            if contract is None or contract.kind != "contract" or function.is_constructor:
                continue
            facts = ctx.facts(function)
            if not facts.state_writes or not facts.reachable_by_anyone:
                continue
            if INITIALIZER_NAME.match(function.name) or typo_constructor(function):
                continue
            sensitive = sensitive_vars(ctx, contract)
            if not sensitive:
                continue
            privileged = privileged_vars(ctx, contract)
            if "guard" not in privileged.values():
                continue  # no access control anywhere: not a forgotten modifier
            reported: set[StateVariable] = set()
            for access in facts.state_writes:
                var, node = access.var, access.node
                found = sensitive.get(var)
                if found is None or var in privileged or var in reported:
                    continue
                if not isinstance(node, Assignment) or node.op != "=":
                    continue
                if not isinstance(node.target, Identifier):
                    continue  # a mapping slot or a struct member: per-record state
                why, user = found
                if why in (AMOUNT, SECRET) and not _plain_setter(ctx, function, node):
                    continue  # bookkeeping (reserves, bids) rather than a forgotten check
                issue = self._check(ctx, function, var, node, why, user.name)
                if issue is not None:
                    reported.add(var)
                    yield issue

    def _check(
        self,
        ctx: Context,
        function: Function,
        var: StateVariable,
        node: Assignment,
        why: str,
        user: str,
    ) -> Issue | None:
        stmt = node.stmt
        if stmt is None or paid(stmt):
            return None
        labels = ctx.sources(function, node.value)
        chosen = controlled_entries(ctx, function, params_in(function, labels), stmt)
        if why in (PAYEE, ORACLE):
            found = chosen
        elif (_is_true(node.value) or _toggles(node.value, var)) and not facts_of(stmt.conditions):
            found = [entry for entry, _ in entries(ctx, function, stmt)]
        else:
            found = chosen
        found = [
            f
            for f in found
            if not one_shot(ctx, f) and not INITIALIZER_NAME.match(f.name) and not hidden_checks(f)
        ]
        if not found or hidden_checks(function):
            return None
        entry = found[0].name
        who = (
            f"Anyone can call `{function.name}`"
            if function.is_public
            else f"Anyone can reach `{function.name}` through `{entry}`"
        )
        if why == PAYEE:
            message = (
                f"{who} and set `{var.name}`, which `{user}` pays out to, while other "
                "functions of the contract check the caller: an attacker redirects the "
                "payments to themselves."
            )
            severity = Severity.HIGH
        elif why == ORACLE:
            message = (
                f"{who} and replace `{var.name}`, the price source `{user}` relies on, "
                "while other functions of the contract check the caller: an attacker "
                "installs an oracle that reports any price they like."
            )
            severity = Severity.HIGH
        elif why == AMOUNT:
            message = (
                f"{who} and set `{var.name}`, the amount `{user}` pays out, while other "
                "functions of the contract check the caller: an attacker raises it and "
                "drains the contract."
            )
            severity = Severity.HIGH
        elif why == SECRET:
            message = (
                f"{who} and replace `{var.name}`, the hash `{user}` pays out for matching, "
                "while other functions of the contract check the caller: an attacker sets "
                "a hash of their own answer and collects the prize."
            )
            severity = Severity.HIGH
        else:
            message = (
                f"{who} and set `{var.name}`, which `{user}` requires before going on, "
                "while other functions of the contract check the caller: anyone can halt "
                "the contract for everyone."
            )
            severity = Severity.MEDIUM
        line, end_line = entry_span(function, node)
        return self.issue(
            node, message, line=line, end_line=end_line, function=function, severity=severity
        )


def _is_true(expr: object) -> bool:
    return isinstance(expr, Literal) and expr.value == "true"


def _plain_setter(ctx: Context, function: Function, node: Assignment) -> bool:
    """``amount = newAmount``: a parameter stored as is, by a function that moves no value."""
    value = node.value
    if not isinstance(value, Identifier) or value.ref not in function.params:
        return False
    return not moves_value(ctx, function)


def _toggles(expr: object, var: StateVariable) -> bool:
    """``paused = !paused``."""
    return (
        isinstance(expr, Unary)
        and expr.op == "!"
        and isinstance(expr.operand, Identifier)
        and expr.operand.ref is var
    )
