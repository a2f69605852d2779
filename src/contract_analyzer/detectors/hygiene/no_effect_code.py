"""Statements that do nothing: discarded comparisons, bare values, calls never made (SWC-135)."""

from __future__ import annotations

from collections.abc import Iterator

from contract_analyzer.detectors.base import SECURITY, Confidence, Detector, Issue, Severity
from contract_analyzer.detectors.context import Context
from contract_analyzer.detectors.hygiene._util import has_side_effects
from contract_analyzer.ir.builtins import ETHER_TRANSFERS, LOW_LEVEL_CALLS, Builtin
from contract_analyzer.ir.nodes import (
    Assignment,
    Binary,
    Call,
    CallOptions,
    Expr,
    ExpressionStmt,
    For,
    Identifier,
    Member,
    UnknownExpr,
    Update,
    Variable,
)
from contract_analyzer.ir.render import render

_COMPARISONS = frozenset({"==", "!=", "<", ">", "<=", ">="})
_CALL_MEMBERS = LOW_LEVEL_CALLS | ETHER_TRANSFERS
_EFFECTFUL = (Call, Assignment, Update, UnknownExpr)


class NoEffectCode(Detector):
    id = "no_effect_code"
    title = "Code with no effect"
    swc = "SWC-135"
    severity = Severity.LOW
    confidence = Confidence.HIGH
    types = SECURITY
    description = (
        "A statement computes a value and throws it away: a comparison written where an "
        "assignment or a `require` was meant, a bare variable, or a legacy "
        "`addr.call.value(v)` missing the final `()` so the call never happens."
    )
    recommendation = (
        "Write what was meant: `x = y` or `require(x == y)` instead of `x == y;`, "
        '`addr.call.value(v)()` (or `addr.call{value: v}("")`) instead of '
        "`addr.call.value(v);`, or delete the statement."
    )
    references = ("https://swcregistry.io/docs/SWC-135",)

    def detect(self, ctx: Context) -> Iterator[Issue]:
        broken = {p.line for p in ctx.unit.syntax_problems}
        for callable_ in ctx.callables():
            index = callable_.index
            if index is None:
                continue
            for stmt in index.statements:
                if not isinstance(stmt, ExpressionStmt) or isinstance(stmt.parent, For):
                    continue
                if stmt.line in broken:
                    continue  # half-parsed code: do not guess
                found = _no_effect(stmt.expr)
                if found is not None:
                    message, severity = found
                    yield self.issue(stmt, message, function=callable_, severity=severity)


def _no_effect(expr: Expr) -> tuple[str, Severity] | None:
    if isinstance(expr, Call) and expr.kind == "chain":
        text = render(expr, max_len=60)
        root: Expr = expr
        while isinstance(root, Call) and root.kind == "chain" and isinstance(root.callee, Member):
            root = root.callee.base
        callee = render(root, max_len=40)
        return (
            f"`{text};` only configures the call: without a final `()` `{callee}` is never "
            "invoked, so no ether or message is sent.",
            Severity.MEDIUM,
        )
    if isinstance(expr, CallOptions) or (isinstance(expr, Member) and expr.member in _CALL_MEMBERS):
        return (
            f"`{render(expr, max_len=60)};` names a call but never makes it: the argument list `()` is missing.",
            Severity.MEDIUM,
        )
    if isinstance(expr, _EFFECTFUL) or has_side_effects(expr):
        return None
    if isinstance(expr, Identifier) and _silences_warning(expr):
        return None
    text = render(expr, max_len=60)
    if isinstance(expr, Binary) and expr.op in _COMPARISONS:
        return (
            f"The comparison `{text}` is computed and discarded: an assignment or a "
            "`require` was probably meant, so nothing is checked or stored.",
            Severity.MEDIUM,
        )
    return f"The statement `{text};` has no effect.", Severity.LOW


def _silences_warning(ident: Identifier) -> bool:
    """``this;`` or ``amount;``: the idiom that silences "unused parameter" and
    "could be pure" compiler warnings without generating code."""
    ref = ident.ref
    if isinstance(ref, Variable):
        return ref.kind in ("param", "return")
    return isinstance(ref, Builtin) and ref.name == "this"
