"""``delegatecall`` into code the caller chooses (SWC-112)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from contract_analyzer.detectors.access_control._lifecycle import one_shot
from contract_analyzer.detectors.access_control._reach import (
    anyone_writes,
    controlled_entries,
    entries,
    params_in,
)
from contract_analyzer.detectors.access_control._util import lowered
from contract_analyzer.detectors.base import SECURITY, Confidence, Detector, Issue, Severity
from contract_analyzer.detectors.context import Context
from contract_analyzer.ir.declarations import Callable, Function, StateVariable
from contract_analyzer.ir.index import is_call_to
from contract_analyzer.ir.nodes import (
    Assembly,
    Call,
    Expr,
    ExpressionStmt,
    Identifier,
    Member,
    Node,
    Revert,
    Stmt,
    Throw,
)
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
            if _always_reverts(function):
                continue  # simulate-and-revert: nothing the delegate does persists
            for ext in ctx.facts(function).external_calls:
                if ext.kind not in _KINDS or _is_self(ext.target):
                    continue
                labels = ctx.sources(function, ext.target)
                how, via = self._controlled(ctx, function, labels, ext.call.stmt)
                if how:
                    target_text = render(ext.target, max_len=30)
                    yield self._issue(ctx, function, ext.call, target_text, how, via)
            index = function.index
            for asm in index.assemblies if index is not None else []:
                for yul in asm.calls:
                    if yul.name not in _KINDS or len(yul.args) < 2:
                        continue
                    target = yul.args[1].strip()
                    params = {i for i, p in enumerate(function.params) if p.name == target}
                    found = _direct(ctx, controlled_entries(ctx, function, params, asm))
                    if found:
                        how = f"the argument `{target}` of `{found[0].name}`"
                        yield self._issue(ctx, function, asm, target, how, found, line=yul.line)
                        continue
                    # a Solidity local read in assembly: `address impl = implementation;`
                    locals_ = index.locals if index is not None else []
                    local = next((v for v in locals_ if v.name == target), None)
                    if local is not None:
                        labels = ctx.taint(function).variable(local)
                        how, via = self._controlled(ctx, function, labels, asm)
                        if how:
                            yield self._issue(ctx, function, asm, target, how, via, line=yul.line)

    def _controlled(
        self, ctx: Context, function: Function, labels: frozenset[str], stmt: Stmt | None
    ) -> tuple[str, list[Function]]:
        """How an attacker picks the target (``""`` if they cannot), and the public
        functions they go through when known."""
        if "msg.data" in labels and entries(ctx, function, stmt):
            return "the calldata", []
        found = _direct(ctx, controlled_entries(ctx, function, params_in(function, labels), stmt))
        if found:
            return f"an argument of `{found[0].name}`", found
        contract = function.contract
        if contract is None or not entries(ctx, function, stmt):
            return "", []
        for label in sorted(labels):
            if not label.startswith("state:"):
                continue
            var = contract.find_state_variable(label[6:])
            writers = anyone_writes(ctx, contract, var) if var is not None else []
            if var is not None and writers:
                return f"`{var.name}`, which anyone can set through `{writers[0].name}`", []
        return "", []

    def _issue(
        self,
        ctx: Context,
        function: Callable,
        node: Node,
        target: str,
        how: str,
        via: list[Function],
        line: int | None = None,
    ) -> Issue:
        severity, confidence, note = lowered([function], self.severity, self.confidence)
        if via and all(_verifies_signatures(ctx, entry) or one_shot(ctx, entry) for entry in via):
            # a multisig-style `execTransaction(to, ..., signatures)` (the signers pick the
            # target) or a one-time `setup(..., to, data)` run when the proxy is deployed
            severity, confidence = Severity.MEDIUM, Confidence.LOW
            note += (
                "; every entry point verifies signatures first or runs only once at setup, "
                "so this is safe only if just trusted signers (or the deployer) pick the target"
            )
        return self.issue(
            node,
            f"`{function.name}` delegates to `{target}`, chosen by the caller through {how}: "
            f"they can run any code with this contract's storage and ether{note}.",
            line=line,
            function=function,
            severity=severity,
            confidence=confidence,
        )


def _direct(ctx: Context, found: list[Function]) -> list[Function]:
    """Drop entry points that run only when delegatecalled (``require(address(this) !=
    self)`` with ``self`` an immutable copy of the deployed address): they act on the
    caller's storage, never on this contract's."""
    return [entry for entry in found if not _delegatecall_only(ctx, entry)]


def _delegatecall_only(ctx: Context, entry: Function) -> bool:
    for owner in (entry, *ctx.facts(entry).modifiers):
        index = owner.index
        for binary in index.binaries if index is not None else []:
            if binary.op != "!=":
                continue
            for mine, other in ((binary.left, binary.right), (binary.right, binary.left)):
                if (
                    _is_self(mine)
                    and isinstance(other, Identifier)
                    and isinstance(other.ref, StateVariable)
                    and other.ref.immutable
                ):
                    return True
    return False


_SIGNATURE_CHECK = re.compile(r"signature|ecrecover|recover", re.IGNORECASE)


def _verifies_signatures(ctx: Context, entry: Function) -> bool:
    """``entry`` (or a helper it calls) checks signatures: ``checkSignatures(hash, sigs)``."""
    for owner in (entry, *ctx.facts(entry).callees):
        index = owner.index
        for call in index.calls if index is not None else []:
            callee = call.callee
            name = callee.member if isinstance(callee, Member) else getattr(callee, "name", "")
            if isinstance(name, str) and _SIGNATURE_CHECK.search(name):
                return True
    return False


_YUL_EXITS = frozenset({"if", "switch", "for", "function", "leave", "return", "stop"})


def _always_reverts(function: Function) -> bool:
    """The body ends in an unconditional revert that no ``return`` skips: a revert
    statement, or a straight-line assembly block whose last instruction is ``revert``."""
    body, index = function.body, function.index
    if body is None or index is None or not body.statements or index.returns:
        return False
    last = body.statements[-1]
    if isinstance(last, Revert | Throw):
        return True
    if isinstance(last, ExpressionStmt):
        return is_call_to(last.expr, "revert")
    if isinstance(last, Assembly) and last.calls:
        words = set(last.text.replace("(", " ").replace("{", " ").replace("}", " ").split())
        final = max(last.calls, key=lambda c: c.line)
        return final.name == "revert" and not (words & _YUL_EXITS)
    return False


def _is_self(target: Expr | None) -> bool:
    """``address(this)``: multicall-style self delegation."""
    if isinstance(target, Call) and target.kind == "conversion" and len(target.args) == 1:
        target = target.args[0]
    return dotted_name(target) == "this"
