"""Writes that can reach any storage slot (SWC-124)."""

from __future__ import annotations

from collections.abc import Iterator

from contract_analyzer.detectors.access_control._reach import controlled_entries, entries, params_in
from contract_analyzer.detectors.access_control._slots import offset_params
from contract_analyzer.detectors.access_control._util import lowered, root_state
from contract_analyzer.detectors.base import SECURITY, Confidence, Detector, Issue, Severity
from contract_analyzer.detectors.context import Context
from contract_analyzer.ir.declarations import Function, StateVariable
from contract_analyzer.ir.index import facts_of
from contract_analyzer.ir.nodes import (
    Assignment,
    Binary,
    Expr,
    Index,
    Literal,
    Member,
    Stmt,
    Update,
)
from contract_analyzer.ir.render import render

_NEGATED = {"==": "!=", "!=": "==", "<": ">=", ">=": "<", ">": "<=", "<=": ">"}
_MIRRORED = {"<": ">", ">": "<", "<=": ">=", ">=": "<="}


class ArbitraryStorageWrite(Detector):
    id = "arbitrary_storage_write"
    title = "Write to arbitrary storage location"
    swc = "SWC-124"
    severity = Severity.HIGH
    confidence = Confidence.MEDIUM
    types = SECURITY
    description = (
        "A caller can make the contract write to a storage slot of their choosing: a dynamic "
        "array whose length underflows (legacy `arr.length--` on an empty array makes it span "
        "all of storage, and `arr[i] = v` then overwrites any variable, the owner included), "
        "or an assembly `sstore` whose slot comes from the arguments."
    )
    recommendation = (
        "Use `pop()` and `push()` (Solidity 0.6+ makes `length` read-only), check "
        "`arr.length > 0` before shrinking, and never take a storage slot from user input."
    )
    references = ("https://swcregistry.io/docs/SWC-124",)

    def detect(self, ctx: Context) -> Iterator[Issue]:
        huge: dict[StateVariable, int] = {}
        writes: list[tuple[Function, Assignment]] = []
        legacy = ctx.allows_legacy((0, 6, 0))
        for function in ctx.functions():
            index = function.index
            if index is None:
                continue
            if legacy:
                for node in (*index.updates, *index.assignments):
                    issue = self._length(ctx, function, node, huge)
                    if issue is not None:
                        yield issue
                writes.extend((function, a) for a in index.assignments)
            for asm in index.assemblies:
                for yul in asm.calls:
                    if yul.name != "sstore" or not yul.args:
                        continue
                    slot = yul.args[0].strip()
                    params = {i for i, p in enumerate(function.params) if p.name == slot}
                    found = controlled_entries(ctx, function, params, asm)
                    if not found:
                        offset = offset_params(function, slot, asm)
                        found = controlled_entries(ctx, function, offset, asm) if offset else []
                        if found:
                            yield self._report(
                                function,
                                asm,
                                Severity.HIGH,
                                f"`sstore({slot}, ...)` writes at an offset chosen by the caller "
                                f"of `{found[0].name}` with no bound: the slot can wrap onto any "
                                "variable, the owner included",
                                line=yul.line,
                            )
                        continue
                    if found:
                        yield self._report(
                            function,
                            asm,
                            Severity.CRITICAL,
                            f"`sstore({slot}, ...)` writes to a slot chosen by the caller of "
                            f"`{found[0].name}`: any variable, the owner included, can be "
                            "overwritten",
                            line=yul.line,
                        )
        for function, assignment in writes:
            target = assignment.target
            if not isinstance(target, Index) or root_state(target) not in huge:
                continue
            var = root_state(target)
            labels = ctx.sources(function, target.index)
            stmt = assignment.stmt
            if var is None or not controlled_entries(
                ctx, function, params_in(function, labels), stmt
            ):
                continue
            yield self._report(
                function,
                assignment,
                Severity.CRITICAL,
                f"`{render(target, max_len=40)}` is written at an index the caller picks, and "
                f"`{var.name}.length` can underflow (line {huge[var]}): the write can land on "
                "any storage slot, the owner included",
            )

    def _length(
        self, ctx: Context, function: Function, node: Expr, huge: dict[StateVariable, int]
    ) -> Issue | None:
        """``arr.length--``, ``arr.length -= n`` or ``arr.length = n`` from outside."""
        target = node.operand if isinstance(node, Update) else getattr(node, "target", None)
        if not isinstance(target, Member) or target.member != "length":
            return None
        base_type = ctx.type_of(function, target.base)
        var = root_state(target.base)
        if var is None or (base_type is not None and not base_type.is_dynamic_array):
            return None
        stmt = node.stmt
        if not entries(ctx, function, stmt):
            return None
        shrinks = (
            isinstance(node, Assignment)
            and node.op == "="
            and isinstance(node.value, Binary)
            and node.value.op == "-"
            and render(node.value.left) == render(target)
        )  # `arr.length = arr.length - 1`
        if (
            (isinstance(node, Update) and node.op == "--")
            or (isinstance(node, Assignment) and node.op == "-=")
            or shrinks
        ):
            if _length_checked(target, stmt):
                return None
            what = "shrinks without checking that it is not empty, so it can underflow"
        elif isinstance(node, Assignment) and node.op == "=":
            labels = ctx.sources(function, node.value)
            if "param" not in labels:
                return None
            what = "is set to a length the caller picks"
        else:
            return None
        huge.setdefault(var, node.line)
        return self._report(
            function,
            node,
            Severity.HIGH,
            f"`{render(target, max_len=40)}` {what}: the array then spans all of storage and "
            "an indexed write can overwrite any variable",
        )

    def _report(
        self,
        function: Function,
        node: Stmt | Expr,
        severity: Severity,
        text: str,
        line: int | None = None,
    ) -> Issue:
        severity, confidence, note = lowered([function], severity, self.confidence)
        return self.issue(
            node,
            f"{text}{note}.",
            line=line,
            function=function,
            severity=severity,
            confidence=confidence,
        )


def _length_checked(length: Member, stmt: Stmt | None) -> bool:
    """A condition before ``stmt`` keeps ``length`` above zero (``0 <= length`` does not)."""
    if stmt is None:
        return False
    text = render(length)
    for expr, truth in facts_of(stmt.conditions):
        if not isinstance(expr, Binary):
            continue
        op = expr.op if truth else _NEGATED.get(expr.op, "")
        for mine, other, mirrored in (
            (expr.left, expr.right, False),
            (expr.right, expr.left, True),
        ):
            if render(mine) != text:
                continue
            side_op = _MIRRORED.get(op, op) if mirrored else op
            zero = isinstance(other, Literal) and other.int_value() == 0
            if side_op in (">", "!=") or (side_op == ">=" and not zero):
                return True
    return False
