"""Overflow-checked loop counter increments that the loop condition already bounds."""

from __future__ import annotations

from collections.abc import Iterator

from contract_analyzer.detectors.base import GAS, Confidence, Detector, Issue, Severity
from contract_analyzer.detectors.context import Context
from contract_analyzer.detectors.gas import _costs
from contract_analyzer.detectors.gas._util import requires_at_least, subtree
from contract_analyzer.ir.declarations import Function
from contract_analyzer.ir.nodes import (
    Assignment,
    Binary,
    Continue,
    Expr,
    For,
    Identifier,
    Literal,
    Node,
    Update,
    Variable,
)
from contract_analyzer.ir.render import render

_AUTO_UNCHECKED_SINCE = (0, 8, 22)  # the compiler drops the check for `i < n; ++i` itself


class UncheckedLoopIncrement(Detector):
    id = "unchecked_loop_increment"
    title = "Loop counter increment could be unchecked"
    severity = Severity.INFO
    confidence = Confidence.HIGH
    types = GAS
    description = (
        "Since Solidity 0.8 every `++i` checks for overflow. A for-loop counter bounded by "
        "its condition (`i < n`) cannot overflow, so the check is wasted on every iteration "
        "(0.8.22 and later drop it for `i < n; ++i` loops on their own)."
    )
    recommendation = (
        "Increment at the end of the body inside `unchecked { ++i; }` (mind `continue` "
        "statements), or require Solidity 0.8.22 or later."
    )

    def detect(self, ctx: Context) -> Iterator[Issue]:
        if ctx.arithmetic_checked() is not True:
            return
        automatic = requires_at_least(ctx, _AUTO_UNCHECKED_SINCE)
        for callable_ in ctx.callables():
            index = callable_.index
            if index is None:
                continue
            for loop in index.loops:
                if not isinstance(loop, For) or loop.unchecked or loop.update is None:
                    continue
                body = subtree(callable_, loop.body)
                counter = _bounded_counter(loop, body)
                if counter is None:
                    continue
                if automatic and isinstance(loop.update, Update) and loop.update.op == "++":
                    continue
                has_continue = any(isinstance(n, Continue) for n in body)
                yield self.issue(
                    loop.update,
                    f"`{render(loop.update)}` in the loop of `{callable_.name}` is checked for "
                    f"overflow although `{render(loop.cond, max_len=40)}` bounds "
                    f"`{counter.name}`: step it inside an `unchecked` block"
                    f"{' (before each `continue`)' if has_continue else ''}.",
                    function=callable_ if isinstance(callable_, Function) else None,
                    contract=callable_.contract,
                    gas_saved=_costs.UNCHECKED_INCREMENT_PER_ITERATION,
                )


def _bounded_counter(loop: For, body: list[Node]) -> Variable | None:
    """The local the update steps by one, when the condition keeps it in range and the
    body never assigns it."""
    update = loop.update
    step: Expr | None = None
    if isinstance(update, Update):
        step, up = update.operand, update.op == "++"
    elif isinstance(update, Assignment) and update.op in ("+=", "-="):
        value = update.value
        if not (isinstance(value, Literal) and value.int_value() == 1):
            return None
        step, up = update.target, update.op == "+="
    else:
        return None
    if not isinstance(step, Identifier) or not isinstance(step.ref, Variable):
        return None
    var = step.ref
    cond = loop.cond
    if not isinstance(cond, Binary):
        return None
    if isinstance(cond.left, Identifier) and cond.left.ref is var:
        ok = cond.op in (("<", "!=") if up else (">", "!="))
    elif isinstance(cond.right, Identifier) and cond.right.ref is var:
        ok = cond.op in ((">", "!=") if up else ("<", "!="))
    else:
        return None
    if not ok:
        return None
    for node in body:
        if isinstance(node, Assignment | Update):
            target = node.target if isinstance(node, Assignment) else node.operand
            if isinstance(target, Identifier) and target.ref is var:
                return None
    return var
