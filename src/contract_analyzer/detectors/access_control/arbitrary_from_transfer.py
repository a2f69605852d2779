"""Funds moved out of an account the caller names, without its consent."""

from __future__ import annotations

import re
from collections.abc import Iterator

from contract_analyzer.detectors.access_control._flows import holds_for_caller, own_senders
from contract_analyzer.detectors.access_control._reach import entries
from contract_analyzer.detectors.access_control._token import DebitSite, debit_sites, owner_lookup
from contract_analyzer.detectors.access_control._util import is_caller, lowered, root_state
from contract_analyzer.detectors.base import SECURITY, Confidence, Detector, Issue, Severity
from contract_analyzer.detectors.context import Context
from contract_analyzer.ir.declarations import Callable, Function
from contract_analyzer.ir.nodes import Call, Expr, Identifier, Index, Member, Variable
from contract_analyzer.ir.render import render

_CONSENT_CALL = re.compile(r"allow|approv|operator|authori[sz]ed|spend", re.IGNORECASE)
_SIGNED = re.compile(r"ecrecover|recover|verify|signature|permit", re.IGNORECASE)
_CONSENT_STATE = re.compile(r"allow|approv|operator|delegat|spend|permit", re.IGNORECASE)


class ArbitraryFromTransfer(Detector):
    id = "arbitrary_from_transfer"
    title = "Transfer from an arbitrary address"
    swc = "SWC-105"
    severity = Severity.CRITICAL
    confidence = Confidence.MEDIUM
    types = SECURITY
    description = (
        "A function anyone can call moves funds out of an address passed as an argument - "
        "lowering its balance or calling `transferFrom(from, ...)` - without checking that "
        "the caller is that address or holds an allowance from it. Anyone can take the tokens "
        "of every account (and every approval given to this contract)."
    )
    recommendation = (
        "Take funds only from `msg.sender`, or require and spend an allowance keyed by the "
        "caller (`allowance[from][msg.sender]`), an operator approval, or a valid signature "
        "of `from`."
    )
    references = ("https://swcregistry.io/docs/SWC-105",)

    def detect(self, ctx: Context) -> Iterator[Issue]:
        for function in ctx.functions():
            if not function.is_public or not ctx.facts(function).reachable_by_anyone:
                continue
            sites = debit_sites(ctx, function)
            if not sites or _consent_checked(ctx, function, sites):
                continue
            for site in sites:
                if site.node.stmt is not None and not entries(ctx, function, site.node.stmt):
                    continue
                yield self._issue(function, site)
                break

    def _issue(self, function: Function, site: DebitSite) -> Issue:
        severity, confidence, note = lowered([function], self.severity, self.confidence)
        account = render(site.account, max_len=30)
        return self.issue(
            site.node,
            f"Anyone can call `{function.name}` and take funds from `{account}`, an address "
            f"they choose ({site.how}): nothing checks that the caller is `{account}` or holds "
            f"an allowance from it{note}.",
            function=function,
            severity=severity,
            confidence=confidence,
        )


def _consent_checked(ctx: Context, function: Function, sites: list[DebitSite]) -> bool:
    """An allowance or operator lookup keyed by the caller, an approval or signature check
    taking the caller, or the caller compared with the account."""
    accounts: set[object] = {
        site.account.ref
        for site in sites
        if isinstance(site.account, Identifier) and isinstance(site.account.ref, Variable)
    }
    accounts |= {root_state(owner_lookup(function, site.account)) for site in sites} - {None}
    if any(g.kind == "caller_match" for g in ctx.facts(function).guards):
        return True
    if _consent_in(function, own_senders(ctx, function), accounts):
        return True  # `require(msg.sender == from)` on the account itself
    return holds_for_caller(ctx, function, "consent", _consent_anywhere)


def _consent_anywhere(owner: Callable, senders: frozenset[Variable]) -> bool:
    return _consent_in(owner, senders, set())


def _consent_in(owner: Callable, senders: frozenset[Variable], accounts: set[object]) -> bool:
    index = owner.index
    if index is None:
        return False
    for node in index.indexes:
        if node.index is None or not is_caller(node.index, senders):
            continue
        root = root_state(node)
        if root is not None and (isinstance(node.base, Index) or _CONSENT_STATE.search(root.name)):
            return True
    for call in index.calls:
        callee = call.callee
        name = callee.member if isinstance(callee, Member) else getattr(callee, "name", "")
        if not isinstance(name, str):
            continue
        if _SIGNED.search(name):
            return True
        if _CONSENT_CALL.search(name) and any(
            is_caller(a, senders) or _is_this(a) for a in call.args
        ):
            return True  # `_spendAllowance(from, msg.sender, v)`, allowance to this contract
    for binary in index.binaries:
        if binary.op not in ("==", "!="):
            continue
        for mine, other in ((binary.left, binary.right), (binary.right, binary.left)):
            if not is_caller(mine, senders):
                continue
            if isinstance(other, Identifier) and other.ref in accounts:
                return True
            if isinstance(other, Index) and root_state(other) in accounts:
                return True  # `require(ownerOf[id] == msg.sender)`
    return False


def _is_this(expr: Expr) -> bool:
    if isinstance(expr, Call) and expr.kind == "conversion" and len(expr.args) == 1:
        expr = expr.args[0]
    return isinstance(expr, Identifier) and expr.name == "this"
