"""Tokens created from nothing by a function anyone can call."""

from __future__ import annotations

import re
from collections.abc import Iterator

from contract_analyzer.detectors.access_control._entry import entry_span
from contract_analyzer.detectors.access_control._flows import holds_for_caller
from contract_analyzer.detectors.access_control._lifecycle import one_shot
from contract_analyzer.detectors.access_control._mint import MintSite, mint_sites
from contract_analyzer.detectors.access_control._reach import entries
from contract_analyzer.detectors.access_control._token import debit_sites, pulls_from_caller
from contract_analyzer.detectors.access_control._util import (
    is_caller,
    is_sender,
    lowered,
    root_state,
)
from contract_analyzer.detectors.base import SECURITY, Confidence, Detector, Issue, Severity
from contract_analyzer.detectors.context import Context
from contract_analyzer.ir.declarations import Callable, Function
from contract_analyzer.ir.index import facts_of
from contract_analyzer.ir.nodes import Expr, Identifier, Index, Member, Unary, Variable
from contract_analyzer.ir.render import render
from contract_analyzer.ir.resolve import dotted_name

_VERIFIES = re.compile(r"ecrecover|recover|verify|signature|proof", re.IGNORECASE)


class UnprotectedMint(Detector):
    id = "unprotected_mint"
    title = "Unprotected mint"
    swc = "SWC-105"
    severity = Severity.CRITICAL
    confidence = Confidence.MEDIUM
    types = SECURITY
    description = (
        "A function anyone can call increases the token supply or credits a balance out of "
        "nothing: no minter check, no payment, no accounting that limits it. Any caller can "
        "mint tokens to themselves and sell them, diluting every holder."
    )
    recommendation = (
        "Restrict minting to a trusted role (`onlyOwner`, `onlyRole(MINTER_ROLE)`), or make "
        "it paid (check `msg.value` against a price, or pull the underlying asset first)."
    )
    references = ("https://swcregistry.io/docs/SWC-105",)

    def detect(self, ctx: Context) -> Iterator[Issue]:
        for function in ctx.functions():
            contract = function.contract
            if contract is None or contract.kind != "contract" or not function.is_public:
                continue
            facts = ctx.facts(function)
            if not facts.reachable_by_anyone or function.is_view or one_shot(ctx, function):
                continue
            sites = mint_sites(ctx, function)
            if not sites or _paid_or_scoped(ctx, function):
                continue
            burnt = {render(d.account) for d in debit_sites(ctx, function)}
            sites = [s for s in sites if s.recipient is None or render(s.recipient) not in burnt]
            for site in sites:
                issue = self._check(ctx, function, site)
                if issue is not None:
                    yield issue
                    break

    def _check(self, ctx: Context, function: Function, site: MintSite) -> Issue | None:
        stmt = site.node.stmt
        if not entries(ctx, function, stmt):
            return None
        amount_labels = ctx.sources(function, site.amount)
        if "msg.value" in amount_labels or "call_return" in amount_labels:
            return None  # paid, or backed by a deposit measured on-chain (`balanceOf(this)`)
        if _charges_caller(ctx, function, amount_labels):
            return None  # `_debit(-amount, msg.sender)`: the caller's own credit pays for it
        conditions = facts_of(stmt.conditions) if stmt is not None else []
        caller_amount = "param" in amount_labels
        if not caller_amount and is_sender(site.recipient) and conditions:
            return None  # a capped free mint of a fixed amount to the caller
        severity = Severity.CRITICAL if caller_amount else Severity.HIGH
        severity, confidence, note = lowered([function], severity, self.confidence)
        whom = (
            "themselves"
            if is_sender(site.recipient) or site.recipient is None
            else f"`{render(site.recipient, max_len=30)}`"
        )
        amount = (
            "any amount"
            if caller_amount
            else (f"`{render(site.amount, max_len=30)}`" if site.amount is not None else "tokens")
        )
        line, end_line = entry_span(function, site.node)
        return self.issue(
            site.node,
            f"Anyone can call `{function.name}` and mint {amount} to {whom}: it increases "
            f"{site.counter} with no minter check and no payment{note}.",
            line=line,
            end_line=end_line,
            function=function,
            severity=severity,
            confidence=confidence,
        )


def _charges_caller(ctx: Context, function: Function, amount_labels: frozenset[str]) -> bool:
    """An internal or library call in ``function`` books the negated minted amount
    against the caller (``_accountDelta(token, -(amount.toInt128()), msg.sender)``):
    the mint is settled from what the caller is owed, not created from nothing."""
    params = {label for label in amount_labels if label.startswith("param:")}
    index = function.index
    if not params or index is None:
        return False
    for call in index.calls:
        if call.kind not in ("internal", "library") or not any(is_sender(a) for a in call.args):
            continue
        for argument in call.args:
            if isinstance(argument, Unary) and argument.op == "-":
                operand = argument.operand  # `-(amount.toInt128())`: through casts too
                named = {
                    f"param:{node.ref.name}"
                    for node in operand.walk()
                    if isinstance(node, Identifier) and node.ref in function.params
                }
                if params & (named | ctx.sources(function, operand)):
                    return True
    return False


def _paid_or_scoped(ctx: Context, function: Function) -> bool:
    """Paid (``msg.value``, assets pulled from the caller, the caller's tokens burnt) or
    scoped (a condition on state keyed by the caller, a verified signature or proof)."""
    if pulls_from_caller(ctx, function):
        return True
    return holds_for_caller(ctx, function, "paid", _paid_in)


def _paid_in(owner: Callable, senders: frozenset[Variable]) -> bool:
    index = owner.index
    if index is None:
        return False
    for call in index.calls:
        callee = call.callee
        name = callee.member if isinstance(callee, Member) else getattr(callee, "name", "")
        if isinstance(name, str) and _VERIFIES.search(name):
            return True
    for stmt in index.statements:
        for expr, _truth in facts_of(stmt.conditions):
            for node in expr.walk():
                if isinstance(node, Expr) and dotted_name(node) == "msg.value":
                    return True
                if isinstance(node, Index) and is_caller(node.index, senders) and root_state(node):
                    return True  # claimed[msg.sender], per-wallet limits
    return False
