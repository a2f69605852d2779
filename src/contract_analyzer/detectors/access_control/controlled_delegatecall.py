"""``delegatecall`` into code the caller chooses (SWC-112)."""

from __future__ import annotations

from collections.abc import Iterator

from contract_analyzer.detectors.access_control._reach import (
    anyone_writes,
    controlled_entries,
    entries,
    params_in,
)
from contract_analyzer.detectors.access_control._util import lowered
from contract_analyzer.detectors.base import SECURITY, Confidence, Detector, Issue, Severity
from contract_analyzer.detectors.context import Context
from contract_analyzer.ir.declarations import Callable, Function
from contract_analyzer.ir.nodes import Call, Expr, Node, Stmt
from contract_analyzer.ir.render import render
from contract_analyzer.ir.resolve import dotted_name

_KINDS = ("delegatecall", "callcode")


class ControlledDelegatecall(Detector):
    id = "controlled_delegatecall"
    title = "Delegatecall to a caller-controlled address"
    swc = "SWC-112"
    severity = Severity.CRITICAL
    confidence = Confidence.HIGH
    types = SECURITY
    description = (
        "`delegatecall` (or legacy `callcode`) runs another contract's code with this "
        "contract's storage and balance. Here anyone can choose which contract that is - "
        "through an argument, the calldata, or state that anyone can set - so an attacker "
        "runs their own code in this contract's context: rewrite the owner, drain the funds, "
        "selfdestruct."
    )
    recommendation = (
        "Delegate only to fixed, trusted code: a constant library address, or an "
        "implementation slot that only the owner (ideally a timelock) can change. Never take "
        "the target from user input."
    )
    references = ("https://swcregistry.io/docs/SWC-112",)

    def detect(self, ctx: Context) -> Iterator[Issue]:
        for function in ctx.functions():
            for ext in ctx.facts(function).external_calls:
                if ext.kind not in _KINDS or _is_self(ext.target):
                    continue
                labels = ctx.sources(function, ext.target)
                how = self._controlled(ctx, function, labels, ext.call.stmt)
                if how:
                    yield self._issue(function, ext.call, render(ext.target, max_len=30), how)
            index = function.index
            for asm in index.assemblies if index is not None else []:
                for yul in asm.calls:
                    if yul.name not in _KINDS or len(yul.args) < 2:
                        continue
                    target = yul.args[1].strip()
                    params = {i for i, p in enumerate(function.params) if p.name == target}
                    found = controlled_entries(ctx, function, params, asm)
                    if found:
                        how = f"the argument `{target}` of `{found[0].name}`"
                        yield self._issue(function, asm, target, how, line=yul.line)
                        continue
                    # a Solidity local read in assembly: `address impl = implementation;`
                    locals_ = index.locals if index is not None else []
                    local = next((v for v in locals_ if v.name == target), None)
                    if local is not None:
                        labels = ctx.taint(function).variable(local)
                        how = self._controlled(ctx, function, labels, asm)
                        if how:
                            yield self._issue(function, asm, target, how, line=yul.line)

    def _controlled(
        self, ctx: Context, function: Function, labels: frozenset[str], stmt: Stmt | None
    ) -> str:
        """How an attacker picks the target, or ``""``."""
        if "msg.data" in labels and entries(ctx, function, stmt):
            return "the calldata"
        found = controlled_entries(ctx, function, params_in(function, labels), stmt)
        if found:
            return f"an argument of `{found[0].name}`"
        contract = function.contract
        if contract is None or not entries(ctx, function, stmt):
            return ""
        for label in sorted(labels):
            if not label.startswith("state:"):
                continue
            var = contract.find_state_variable(label[6:])
            writers = anyone_writes(ctx, contract, var) if var is not None else []
            if var is not None and writers:
                return f"`{var.name}`, which anyone can set through `{writers[0].name}`"
        return ""

    def _issue(
        self, function: Callable, node: Node, target: str, how: str, line: int | None = None
    ) -> Issue:
        severity, confidence, note = lowered([function], self.severity, self.confidence)
        return self.issue(
            node,
            f"`{function.name}` delegates to `{target}`, chosen by the caller through {how}: "
            f"they can run any code with this contract's storage and ether{note}.",
            line=line,
            function=function,
            severity=severity,
            confidence=confidence,
        )


def _is_self(target: Expr | None) -> bool:
    """``address(this)``: multicall-style self delegation."""
    if isinstance(target, Call) and target.kind == "conversion" and len(target.args) == 1:
        target = target.args[0]
    return dotted_name(target) == "this"
