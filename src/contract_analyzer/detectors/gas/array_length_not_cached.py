"""``i < arr.length`` in a for-loop condition re-reads the length on every iteration."""

from __future__ import annotations

from collections.abc import Iterator

from contract_analyzer.detectors.base import GAS, Confidence, Detector, Issue, Severity
from contract_analyzer.detectors.context import Context
from contract_analyzer.detectors.gas import _costs
from contract_analyzer.detectors.gas._util import subtree
from contract_analyzer.ir.access import root_identifier, root_state_variable
from contract_analyzer.ir.declarations import Callable, Function, StateVariable
from contract_analyzer.ir.nodes import (
    Assignment,
    Binary,
    Call,
    Expr,
    For,
    Member,
    Unary,
    Update,
    Variable,
)
from contract_analyzer.ir.render import render

_COMPARISONS = frozenset({"<", "<=", ">", ">=", "!="})
_RESIZERS = frozenset({"push", "pop"})


class ArrayLengthNotCached(Detector):
    id = "array_length_not_cached"
    title = "Array length read in every loop iteration"
    severity = Severity.INFO
    confidence = Confidence.HIGH
    types = GAS
    description = (
        "The loop condition reads `.length` of an array on every iteration. For a storage "
        "array that is an SLOAD each time; for a memory array an MLOAD. Calldata lengths are "
        "cheap and not reported."
    )
    recommendation = (
        "Read the length once into a local before the loop: "
        "`uint256 n = arr.length; for (uint256 i; i < n; ++i) { ... }`."
    )

    def detect(self, ctx: Context) -> Iterator[Issue]:
        for callable_ in ctx.callables():
            index = callable_.index
            if index is None:
                continue
            for loop in index.loops:
                if isinstance(loop, For) and isinstance(loop.cond, Binary):
                    issue = self._check(ctx, callable_, loop)
                    if issue is not None:
                        yield issue

    def _check(self, ctx: Context, owner: Callable, loop: For) -> Issue | None:
        cond = loop.cond
        assert isinstance(cond, Binary)
        if cond.op not in _COMPARISONS:
            return None
        length = next(
            (
                side
                for side in (cond.right, cond.left)
                if isinstance(side, Member) and side.member == "length"
            ),
            None,
        )
        if length is None:
            return None
        aliases = ctx.facts(owner).aliases
        state = root_state_variable(length.base, aliases)
        root = root_identifier(length.base)
        if state is not None:
            where, saved = "storage", _costs.STORAGE_LENGTH_CACHED_PER_ITERATION
            if _resized_in_loop(ctx, owner, loop, length.base, state):
                return None
        elif root is not None and isinstance(root.ref, Variable):
            var = root.ref
            if var.location == "calldata" or var.location is None:
                return None  # calldata, or a value we cannot place
            where, saved = "memory", _costs.MEMORY_LENGTH_CACHED_PER_ITERATION
            if _resized_in_loop(ctx, owner, loop, length.base, None):
                return None
        else:
            return None
        array = render(length.base, max_len=40)
        return self.issue(
            length,
            f"The condition of the loop in `{owner.name}` reads `{array}.length` from {where} "
            "on every iteration: read it once into a local before the loop.",
            function=owner if isinstance(owner, Function) else None,
            contract=owner.contract,
            severity=Severity.INFO,
            gas_saved=saved,
        )


def _resized_in_loop(
    ctx: Context, owner: Callable, loop: For, array: Expr, state: StateVariable | None
) -> bool:
    """The loop may change the array's length: ``push``/``pop``, ``delete`` or assignment
    of the array itself, or an internal call that writes the state variable."""
    text = render(array)
    for node in subtree(owner, loop.body):
        if isinstance(node, Call):
            callee = node.callee
            if (
                isinstance(callee, Member)
                and callee.member in _RESIZERS
                and render(callee.base) == text
            ):
                return True
            target = node.target
            if state is not None and isinstance(target, Function):
                if state in ctx.facts(target).writes_all:
                    return True
        elif isinstance(node, Assignment):
            target_expr = node.target
            if isinstance(target_expr, Member) and target_expr.member == "length":
                target_expr = target_expr.base
            if render(target_expr) == text:
                return True
        elif isinstance(node, Unary) and node.op == "delete" and render(node.operand) == text:
            return True
        elif (
            isinstance(node, Update)
            and isinstance(node.operand, Member)
            and node.operand.member == "length"
            and render(node.operand.base) == text
        ):
            return True  # legacy `arr.length--`
    return False
