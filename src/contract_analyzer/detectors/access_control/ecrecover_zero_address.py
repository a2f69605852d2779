"""``ecrecover`` result trusted without ruling out ``address(0)`` (SWC-122)."""

from __future__ import annotations

from collections.abc import Iterator

from contract_analyzer.detectors.access_control._reach import call_sites
from contract_analyzer.detectors.access_control._signatures import is_raw_ecrecover
from contract_analyzer.detectors.access_control._util import cache, is_sender, is_zero
from contract_analyzer.detectors.base import SECURITY, Confidence, Detector, Issue, Severity
from contract_analyzer.detectors.context import Context
from contract_analyzer.ir.declarations import Function, StateVariable
from contract_analyzer.ir.nodes import (
    Assignment,
    Binary,
    Call,
    Expr,
    Identifier,
    Index,
    Member,
    VarDecl,
    Variable,
)
from contract_analyzer.ir.render import render


class EcrecoverZeroAddress(Detector):
    id = "ecrecover_zero_address"
    title = "ecrecover result not checked against address(0)"
    swc = "SWC-122"
    severity = Severity.MEDIUM
    confidence = Confidence.MEDIUM
    types = SECURITY
    description = (
        "`ecrecover` returns `address(0)` for an invalid signature instead of failing. The "
        "result is compared with an expected signer that can itself be zero - an unset "
        "owner, a missing mapping entry, an address the caller passes - so a garbage "
        "signature is accepted."
    )
    recommendation = (
        "Reject a zero result (`require(signer != address(0))`) before comparing, or use "
        "OpenZeppelin `ECDSA.recover`, which reverts on invalid signatures."
    )
    references = ("https://swcregistry.io/docs/SWC-122",)

    def detect(self, ctx: Context) -> Iterator[Issue]:
        for function in ctx.functions():
            index = function.index
            for call in index.calls if index is not None else []:
                if is_raw_ecrecover(call):
                    yield from self._follow(ctx, function, call, 0)

    def _follow(self, ctx: Context, function: Function, value: Call, depth: int) -> Iterator[Issue]:
        """Judge the comparisons of ``value`` (an ecrecover result) in ``function``; follow
        a helper that returns it unchecked to its callers."""
        held = _holders(function, value)
        if _zero_checked(function, value, held):
            return
        returned = False
        for binary, other in _comparisons(function, value, held):
            if _zero_checked(function, other, set()) or _never_zero(ctx, other):
                continue
            lookup = isinstance(other, Index | Member)
            yield self.issue(
                binary,
                f"The address recovered by `ecrecover` is compared with "
                f"`{render(other, max_len=40)}` without first rejecting `address(0)`: if "
                "that is zero (unset, or chosen by the caller), an invalid signature passes.",
                function=function,
                severity=Severity.HIGH if lookup else Severity.MEDIUM,
                confidence=Confidence.MEDIUM if lookup or _is_state(other) else Confidence.LOW,
            )
        index = function.index
        for ret in index.returns if index is not None else []:
            if ret.value is value or (isinstance(ret.value, Identifier) and ret.value.ref in held):
                returned = True
        if (returned or _named_return(function, held)) and depth < 3:
            for caller, call in call_sites(ctx, function):
                yield from self._follow(ctx, caller, call, depth + 1)


def _holders(function: Function, value: Call) -> set[object]:
    """Locals that receive ``value``."""
    held: set[object] = set()
    parent = value.parent
    if isinstance(parent, VarDecl) and parent.variables and not parent.is_tuple:
        held.add(parent.variables[0])
    elif isinstance(parent, Assignment) and parent.value is value:
        if isinstance(parent.target, Identifier) and isinstance(parent.target.ref, Variable):
            held.add(parent.target.ref)
    return held


def _named_return(function: Function, held: set[object]) -> bool:
    return any(r in held for r in function.returns)


def _is_value(expr: Expr, value: Call, held: set[object]) -> bool:
    if isinstance(expr, Call) and expr.kind == "conversion" and len(expr.args) == 1:
        expr = expr.args[0]
    return expr is value or (isinstance(expr, Identifier) and expr.ref in held)


def _comparisons(function: Function, value: Call, held: set[object]) -> list[tuple[Binary, Expr]]:
    out: list[tuple[Binary, Expr]] = []
    index = function.index
    for binary in index.binaries if index is not None else []:
        if binary.op not in ("==", "!="):
            continue
        for mine, other in ((binary.left, binary.right), (binary.right, binary.left)):
            if _is_value(mine, value, held) and not is_zero(other) and not is_sender(other):
                out.append((binary, other))
    return out


def _zero_checked(function: Function, expr: Expr, held: set[object]) -> bool:
    """Some comparison in ``function`` tests ``expr`` (or a local holding it) against zero."""
    text = render(expr)
    index = function.index
    for binary in index.binaries if index is not None else []:
        if binary.op not in ("==", "!=", ">"):
            continue
        for mine, other in ((binary.left, binary.right), (binary.right, binary.left)):
            if not is_zero(other):
                continue
            side = mine
            if isinstance(side, Call) and side.kind == "conversion" and side.args:
                side = side.args[0]
            if (
                side is expr
                or render(side) == text
                or (isinstance(side, Identifier) and side.ref in held)
            ):
                return True
    return False


def _never_zero(ctx: Context, expr: Expr) -> bool:
    """``expr`` is a state variable only ever assigned ``msg.sender`` (``admin = msg.sender``
    in the constructor): it cannot be ``address(0)``."""
    if not isinstance(expr, Identifier) or not isinstance(expr.ref, StateVariable):
        return False
    key = ("ecrecover_sender_only", id(ctx))
    found = cache(ctx).get(key)
    if not isinstance(found, frozenset):
        found = _sender_only_vars(ctx)
        cache(ctx)[key] = found
    return expr.ref in found


def _sender_only_vars(ctx: Context) -> frozenset[StateVariable]:
    sender: set[StateVariable] = set()
    other: set[StateVariable] = set()
    for callable_ in ctx.callables():
        for access in ctx.facts(callable_).state_writes:
            var, write = access.var, access.node
            if (
                isinstance(write, Assignment)
                and write.op == "="
                and isinstance(write.target, Identifier)
                and is_sender(write.value)
            ):
                sender.add(var)
            else:
                other.add(var)
    return frozenset(v for v in sender - other if v.value is None and not v.constant)


def _is_state(expr: Expr) -> bool:
    return isinstance(expr, Identifier) and isinstance(expr.ref, StateVariable)
