"""Users' deposits can only leave through the owner: a lost key or an owner contract
that rejects calls locks everyone's funds."""

from __future__ import annotations

from collections.abc import Iterator

from contract_analyzer.detectors.base import SECURITY, Confidence, Detector, Issue, Severity
from contract_analyzer.detectors.context import Context
from contract_analyzer.detectors.dos._access import functions_of, open_to_anyone
from contract_analyzer.detectors.dos._calls import failure_reverts
from contract_analyzer.detectors.dos._deposits import (
    approval_flag,
    credits_sender,
    debited,
    ether_out,
    is_true,
    release_time,
    required_flags,
)
from contract_analyzer.detectors.dos._exprs import (
    is_sender,
    path_key,
    unwrap_conversion,
)
from contract_analyzer.detectors.dos._state import StatePaths, state_paths
from contract_analyzer.ir.declarations import Function, StateVariable
from contract_analyzer.ir.index import facts_of
from contract_analyzer.ir.nodes import (
    Assignment,
    Binary,
    Expr,
    Index,
)
from contract_analyzer.ir.render import render


class OwnerDependentLock(Detector):
    id = "owner_dependent_lock"
    title = "User funds can only leave with the owner's help"
    swc = None
    severity = Severity.MEDIUM
    confidence = Confidence.MEDIUM
    types = SECURITY
    description = (
        "Users deposit ether that the contract credits to them, but every way for ether to "
        "leave needs the owner (or one privileged account) to act or to accept a payment. If "
        "that key is lost, or the owner is a contract that rejects calls, every user's funds "
        "stay locked."
    )
    recommendation = (
        "Let users withdraw their own balance without the owner's involvement (a `withdraw` "
        "that pays `msg.sender` what is credited to them). Pay fees into a balance the owner "
        "withdraws separately instead of sending them in the user's transaction."
    )
    references = (
        "https://consensys.github.io/smart-contract-best-practices/attacks/denial-of-service/",
    )

    def detect(self, ctx: Context) -> Iterator[Issue]:
        for contract in ctx.contracts:
            if contract.kind != "contract" or contract.has_unknown_bases:
                continue
            functions = [
                f
                for f in functions_of(ctx, contract)
                if f.body is not None and not f.is_view and not f.is_constructor
            ]
            credited = {id(f): credits_sender(ctx, f) for f in functions if f.is_payable}
            deposits = [f for f in functions if credited.get(id(f)) is not None]
            if not deposits:
                continue
            exits = [f for f in functions if f.is_public and ether_out(ctx, f)]
            if not exits:
                continue  # no way out at all: a different finding (locked ether)
            free = [f for f in exits if open_to_anyone(ctx, f)]
            deposit = deposits[0]
            balance = credited[id(deposit)]
            if not free and deposit.contract is not None and deposit.contract.unit is ctx.unit:
                if balance is None or not debited(ctx, functions, balance):
                    continue  # a receipt of what was paid, not a balance owed back
                names = ", ".join(f"`{f.name}`" for f in exits[:3])
                message = (
                    f"`{deposit.name}` credits ether to each depositor, but the only functions "
                    f"that send ether out ({names}) are restricted to a privileged account; "
                    "users cannot get their funds back without it."
                )
                yield self.issue(None, message, line=deposit.line, function=deposit)
                continue
            paths = state_paths(ctx, contract)
            guarded_by_deposit = required_flags(deposits)
            for function in free:
                if function.contract is None or function.contract.unit is not ctx.unit:
                    continue
                yield from self._free_exit(ctx, function, paths, guarded_by_deposit)

    def _free_exit(
        self,
        ctx: Context,
        function: Function,
        paths: StatePaths,
        deposit_flags: set[StateVariable],
    ) -> Iterator[Issue]:
        facts = ctx.facts(function)
        pays_user = [e for e in facts.external_calls if e.sends_ether and is_sender(e.target)]
        if not pays_user:
            return
        for ext in facts.external_calls:
            if not ext.sends_ether or is_sender(ext.target) or not failure_reverts(ext):
                continue
            key = path_key(function, unwrap_conversion(ext.target))
            if key is None or paths.anyone_writes(key) or isinstance(ext.target, Index):
                continue
            message = (
                f"`{function.name}` pays the user only if `{render(ext.call, max_len=50)}` to the "
                f"privileged `{key[0].name}` succeeds; an owner contract that rejects ether blocks "
                "every withdrawal."
            )
            yield self.issue(ext.call, message, function=function)
            return
        stmt = pays_user[0].stmt
        if stmt is None:
            return
        for expr, truth in facts_of(stmt.conditions):
            message = self._flag_lock(function, expr, truth, paths, deposit_flags)
            message = message or self._time_lock(ctx, function, expr, truth, paths)
            if message:
                yield self.issue(expr, message, function=function)
                return

    @staticmethod
    def _flag_lock(
        function: Function,
        expr: Expr,
        truth: bool,
        paths: StatePaths,
        deposit_flags: set[StateVariable],
    ) -> str:
        """The payout waits on a flag only a privileged account sets."""
        flag = approval_flag(function, expr, truth)
        if flag is None or flag[0] in deposit_flags:
            return ""
        setters = [
            w
            for w in paths.writes.get(flag, [])
            if isinstance(w.node, Assignment) and is_true(w.node.value)
        ]
        if not setters or any(w.anyone for w in setters):
            return ""
        return (
            f"`{function.name}` pays users only once `{render(expr, max_len=40)}` is "
            f"true, and only a privileged account sets it (in "
            f"`{setters[0].function.name}`); until the owner acts, deposits stay locked."
        )

    @staticmethod
    def _time_lock(
        ctx: Context, function: Function, expr: Expr, truth: bool, paths: StatePaths
    ) -> str:
        """The payout waits for a release time a privileged account moves at will."""
        when = release_time(function, expr, truth)
        if when is None:
            return ""
        movers = paths.writes.get(when, [])
        if not movers or any(w.anyone for w in movers):
            return ""
        unbounded = [w for w in movers if _unbounded(ctx, w.function, w.node)]
        if not unbounded:
            return ""
        return (
            f"`{function.name}` pays users only once `{render(expr, max_len=40)}`, and a "
            f"privileged account can move `{when[0].name}` to any value (in "
            f"`{unbounded[0].function.name}`): it can postpone every withdrawal indefinitely."
        )


def _unbounded(ctx: Context, function: Function, node: object) -> bool:
    """``unlockAt = t`` with a caller-supplied ``t`` that no check before it bounds."""
    if not isinstance(node, Assignment) or node.op not in ("=", "+="):
        return False
    labels = ctx.sources(function, node.value)
    params = {p for p in function.params if f"param:{p.name}" in labels}
    if not params or node.stmt is None:
        return False
    for expr, _truth in facts_of(node.stmt.conditions):
        for part in expr.walk():
            if isinstance(part, Binary) and part.op in ("<", "<=", ">", ">="):
                names = {getattr(n, "ref", None) for n in part.walk()}
                if names & params:
                    return False
    return True
