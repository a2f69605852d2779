"""A function anyone can call rewrites who the owner / admins are."""

from __future__ import annotations

from collections.abc import Iterator

from contract_analyzer.detectors.access_control._entry import entry_span
from contract_analyzer.detectors.access_control._lifecycle import one_shot, typo_constructor
from contract_analyzer.detectors.access_control._ownership import (
    claimed,
    grants,
    own_entry,
    paid,
    touches,
    used_elsewhere,
)
from contract_analyzer.detectors.access_control._privilege import (
    caller_key_positions,
    privileged_fields,
    privileged_vars,
)
from contract_analyzer.detectors.access_control._reach import (
    controlled_entries,
    entries,
    params_in,
)
from contract_analyzer.detectors.access_control._records import fresh_record, record_admin
from contract_analyzer.detectors.access_control._util import (
    INITIALIZER_NAME,
    lowered,
    unresolved_calls,
)
from contract_analyzer.detectors.base import SECURITY, Confidence, Detector, Issue, Severity
from contract_analyzer.detectors.context import Context
from contract_analyzer.ir.declarations import Contract, Function, StateVariable
from contract_analyzer.ir.nodes import Expr, Identifier, Member

# inherited helpers that change owners or roles (OpenZeppelin names)
_OWNER_HELPERS = frozenset(
    {"_transferOwnership", "_grantRole", "_setupRole", "_changeAdmin", "_setOwner", "_addOwner"}
)


class UnprotectedOwnershipChange(Detector):
    id = "unprotected_ownership_change"
    title = "Unprotected change of owner or admin"
    swc = None
    severity = Severity.CRITICAL
    confidence = Confidence.HIGH
    types = SECURITY
    description = (
        "A public function with no access check writes the state that the contract's own "
        "access checks trust (the owner address, an admin or role mapping). Any caller can "
        "make themselves the owner and then use every privileged function."
    )
    recommendation = (
        "Guard the function with the existing owner/role check (`onlyOwner`, `onlyRole`), "
        "and prefer a two-step transfer (`transferOwnership` + `acceptOwnership`)."
    )
    references = ("https://swcregistry.io/docs/SWC-105", "https://swcregistry.io/docs/SWC-118")

    def detect(self, ctx: Context) -> Iterator[Issue]:
        for function in ctx.functions():
            contract = function.contract
            if contract is None or contract.kind != "contract" or function.is_constructor:
                continue
            if INITIALIZER_NAME.match(function.name) or typo_constructor(function):
                continue  # reported by unprotected_initializer / wrong_constructor_name
            yield from self._inherited(ctx, function)
            privileged = privileged_vars(ctx, contract)
            if not privileged:
                continue
            fields = privileged_fields(ctx, contract)
            reported: set[StateVariable] = set()
            for access in ctx.facts(function).state_writes:
                var = access.var
                reason = privileged.get(var)
                if reason is None or var in reported or not grants(access.node):
                    continue
                if not touches(access.node, fields.get(var)):
                    continue  # `proposals[id].executed = true` when checks compare `.proposer`
                issue = self._check(ctx, contract, function, var, reason, access.node)
                if issue is not None:
                    reported.add(var)
                    yield issue

    def _inherited(self, ctx: Context, function: Function) -> Iterator[Issue]:
        """``_transferOwnership(x)`` / ``_grantRole(r, x)`` from a base nobody provided."""
        calls = unresolved_calls(function, _OWNER_HELPERS) if function.is_public else []
        if not calls or one_shot(ctx, function):
            return
        for call in calls:
            stmt = call.stmt
            if not entries(ctx, function, stmt) or (stmt and paid(stmt)):
                continue
            name = call.callee.name if isinstance(call.callee, Identifier) else ""
            severity, confidence, note = lowered([function], self.severity, Confidence.MEDIUM)
            line, end_line = entry_span(function, call)
            yield self.issue(
                call,
                f"Anyone can call `{function.name}`, which calls the inherited `{name}` with no "
                f"access check: the caller can make themselves owner or admin{note}.",
                line=line,
                end_line=end_line,
                function=function,
                severity=severity,
                confidence=confidence,
            )
            return

    def _check(
        self,
        ctx: Context,
        contract: Contract,
        function: Function,
        var: StateVariable,
        reason: str,
        node: Expr,
    ) -> Issue | None:
        stmt = node.stmt
        positions = caller_key_positions(ctx, contract)
        found = [
            entry
            for entry, _ in entries(ctx, function, stmt)
            if not INITIALIZER_NAME.match(entry.name)
            and not typo_constructor(entry)
            and not one_shot(ctx, entry)
            and not own_entry(ctx, entry, function, node, positions.get(var, set()))
        ]
        if not found or claimed(ctx, function, stmt, var, node):
            return None
        if fresh_record(ctx, function, node) or record_admin(ctx, function, node):
            return None  # a new record for the caller, or one they already administer
        if not function.is_public:
            # an internal helper: only a takeover if the caller chooses who gets in
            labels = _written_labels(ctx, function, node)
            if not labels & _CALLER:
                chosen = controlled_entries(ctx, function, params_in(function, labels), stmt)
                found = [f for f in found if f in chosen]
                if not found:
                    return None
        if reason == "name" and not used_elsewhere(ctx, contract, var, function):
            return None
        severity = Severity.CRITICAL if reason == "guard" else Severity.HIGH
        confidence = Confidence.HIGH if reason == "guard" else Confidence.MEDIUM
        severity, confidence, note = lowered([function, *found], severity, confidence)
        names = sorted({f.name for f in found})
        who = (
            f"Anyone can call `{function.name}`"
            if function.is_public
            else f"Anyone can reach `{function.name}` through `{names[0]}`"
        )
        what = (
            f"add entries to `{var.name}`"
            if var.type_name.kind in ("mapping", "array")
            else f"overwrite `{var.name}`"
        )
        role = (
            "which the contract's access checks trust"
            if reason == "guard"
            else "an owner-like address the contract relies on"
        )
        line, end_line = entry_span(function, node)
        return self.issue(
            node,
            f"{who} and {what}, {role}: the caller can take over the privileged functions{note}.",
            line=line,
            end_line=end_line,
            function=function,
            severity=severity,
            confidence=confidence,
        )


_CALLER = frozenset({"msg.sender", "tx.origin", "msg.data"})


def _written_labels(ctx: Context, function: Function, node: Expr) -> frozenset[str]:
    """Where the written value and the written key come from (``owner = x``,
    ``roles[r][x] = true``, ``admins.push(x)``)."""
    from contract_analyzer.ir.nodes import Assignment, Call, Index

    labels: set[str] = set()
    if isinstance(node, Assignment):
        labels |= ctx.sources(function, node.value)
        target: Expr = node.target
        while isinstance(target, Index | Member):
            if isinstance(target, Index) and target.index is not None:
                labels |= ctx.sources(function, target.index)
            target = target.base
    elif isinstance(node, Call):
        for arg in node.args:
            labels |= ctx.sources(function, arg)
    return frozenset(labels)
