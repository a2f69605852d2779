"""Ether sent to an address the caller chooses (SWC-105)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from contract_analyzer.detectors.access_control._reach import entries
from contract_analyzer.detectors.access_control._token import pulls_from_caller
from contract_analyzer.detectors.access_control._util import (
    is_sender,
    lowered,
    param_index,
    root_state,
)
from contract_analyzer.detectors.base import SECURITY, Confidence, Detector, Issue, Severity
from contract_analyzer.detectors.context import Context
from contract_analyzer.ir.declarations import Callable, Function
from contract_analyzer.ir.facts import ExternalCall
from contract_analyzer.ir.index import facts_of
from contract_analyzer.ir.nodes import Call, Expr, Identifier, Index, Member
from contract_analyzer.ir.render import render
from contract_analyzer.ir.resolve import dotted_name

_VERIFIES = re.compile(r"ecrecover|recover|verify|signature|proof|merkle", re.IGNORECASE)


class ArbitrarySendEther(Detector):
    id = "arbitrary_send_ether"
    title = "Ether sent to an arbitrary address"
    swc = "SWC-105"
    severity = Severity.HIGH
    confidence = Confidence.MEDIUM
    types = SECURITY
    description = (
        "A function anyone can call sends the contract's ether to an address taken from its "
        "arguments, and the amount is not the caller's own accounted balance. Any caller can "
        "direct the contract's funds to themselves."
    )
    recommendation = (
        "Restrict the function to a trusted role, or pay out only what the contract owes the "
        "recipient (a balance debited before the transfer, keyed by `msg.sender` or by the "
        "recipient) - pull payments rather than caller-directed ones."
    )
    references = ("https://swcregistry.io/docs/SWC-105",)

    def detect(self, ctx: Context) -> Iterator[Issue]:
        for function in ctx.functions():
            if not function.is_public or not ctx.facts(function).reachable_by_anyone:
                continue
            for ext in ctx.facts(function).external_calls:
                if not ext.sends_ether or ext.kind in ("high_level", "new", "delegatecall"):
                    continue
                issue = self._check(ctx, function, ext)
                if issue is not None:
                    yield issue

    def _check(self, ctx: Context, function: Function, ext: ExternalCall) -> Issue | None:
        labels = ctx.sources(function, ext.target)
        if "msg.data" not in labels and ("param" not in labels or "state" in labels):
            return None  # a stored address (`sellerOf[id]`) is not chosen by the caller
        value_labels = ctx.sources(function, ext.value)
        if "msg.value" in value_labels or _taken_from_payment(ctx, function, ext):
            return None  # forwards (part of) the caller's own payment
        if not entries(ctx, function, ext.stmt) or _accounted(ctx, function, ext):
            return None
        whole = _whole_balance(ext.value)
        unbounded = "param" in value_labels and not _bounded(function, ext)
        severity = Severity.CRITICAL if whole or unbounded else Severity.HIGH
        severity, confidence, note = lowered([function], severity, self.confidence)
        amount = (
            "the whole balance"
            if whole
            else (
                "an amount the caller picks" if unbounded else f"`{render(ext.value, max_len=30)}`"
            )
        )
        target = render(ext.target, max_len=30)
        return self.issue(
            ext.call,
            f"Anyone can call `{function.name}` and have it send {amount} to `{target}`, an "
            f"address taken from the arguments{note}.",
            function=function,
            severity=severity,
            confidence=confidence,
        )


def _accounted(ctx: Context, function: Function, ext: ExternalCall) -> bool:
    """The payout is scoped: the caller's or the recipient's own accounted balance, the
    caller proven equal to a parameter, or a signature / proof verified."""
    if pulls_from_caller(ctx, function):
        return True  # the caller paid in tokens first (a swap to ether)
    target_param = _param_of(function, ext.target)
    for owner in (function, *ctx.facts(function).callees):
        if _keyed_state(owner, function if owner is function else None, target_param):
            return True
        index = owner.index
        if index is None:
            continue
        for call in index.calls:
            name = _call_name(call)
            if name and _VERIFIES.search(name):
                return True
    return any(g.kind == "caller_match" for g in ctx.guards_at(function, ext.stmt))


def _keyed_state(owner: Callable, entry: Function | None, target_param: int | None) -> bool:
    index = owner.index
    if index is None:
        return False
    for node in index.indexes:
        if root_state(node) is None or node.index is None:
            continue
        if is_sender(node.index):
            return True
        if entry is not None and target_param is not None:
            if _param_of(entry, node.index) == target_param:
                return True
    return False


def _param_of(fn: Callable, expr: Expr | None) -> int | None:
    """The parameter ``expr`` names, or whose element it is (``receivers[i]``)."""
    if isinstance(expr, Call) and expr.kind == "conversion" and len(expr.args) == 1:
        expr = expr.args[0]
    while isinstance(expr, Index):
        expr = expr.base
    return param_index(fn, expr)


def _taken_from_payment(ctx: Context, function: Function, ext: ExternalCall) -> bool:
    """Each amount is deducted from what the caller paid (``left = msg.value; ...
    left = left.sub(amount)`` / ``left -= amount``), so the caller only splits their ether."""
    if function.mutability != "payable" or ext.value is None or function.index is None:
        return False
    names = {n.name for n in ext.value.walk() if isinstance(n, Identifier)}
    if not names:
        return False
    pairs: list[tuple[Expr, Expr]] = []
    if ctx.arithmetic_checked():  # a plain `-` reverts on underflow from 0.8 on
        for binary in function.index.binaries:
            if binary.op == "-":
                pairs.append((binary.left, binary.right))
        for assignment in function.index.assignments:
            if assignment.op == "-=":
                pairs.append((assignment.target, assignment.value))
    for call in function.index.calls:
        callee = call.callee
        if isinstance(callee, Member) and callee.member == "sub" and len(call.args) == 1:
            pairs.append((callee.base, call.args[0]))
    for paid, amount in pairs:
        if not any(isinstance(n, Identifier) and n.name in names for n in amount.walk()):
            continue
        if "msg.value" in ctx.sources(function, paid):
            return True
    return False


def _call_name(call: Call) -> str:
    callee = call.callee
    if isinstance(callee, Member):
        return callee.member
    if isinstance(callee, Identifier):
        return callee.name
    return ""


def _whole_balance(value: Expr | None) -> bool:
    if value is None:
        return False
    for node in value.walk():
        if isinstance(node, Member) and node.member == "balance":
            base = node.base
            if isinstance(base, Call) and len(base.args) == 1:
                base = base.args[0]
            if dotted_name(base) == "this":
                return True
    return False


def _bounded(function: Function, ext: ExternalCall) -> bool:
    """A condition before the transfer limits the amount."""
    stmt = ext.stmt
    if stmt is None or ext.value is None:
        return False
    names = {n.name for n in ext.value.walk() if isinstance(n, Identifier)}
    for expr, _truth in facts_of(stmt.conditions):
        if any(isinstance(n, Identifier) and n.name in names for n in expr.walk()):
            return True
    return False
