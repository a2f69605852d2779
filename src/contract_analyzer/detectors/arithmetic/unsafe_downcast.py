"""Explicit narrowing integer conversions of caller-influenced values.

``uint128(x)`` keeps the low 128 bits of ``x`` silently, in every compiler version
(0.8 checks arithmetic, not conversions). Quiet when a bound dominates the cast
(``require(x <= type(uint128).max)``, SafeCast style), when the cast is compared with
its input afterwards, when the value is masked, reduced or shifted into range, and on
hashes, addresses and block values.
"""

from __future__ import annotations

from collections.abc import Iterator

from contract_analyzer.detectors.arithmetic import _narrowing as nar
from contract_analyzer.detectors.arithmetic._influence import ANYONE, NONE, PRIVILEGED, Influence
from contract_analyzer.detectors.arithmetic._keys import (
    Keys,
    atoms,
    int_value,
    local_facts,
    relations,
    strip,
)
from contract_analyzer.detectors.arithmetic._util import result_local
from contract_analyzer.detectors.base import SECURITY, Confidence, Detector, Issue, Severity
from contract_analyzer.detectors.context import Context
from contract_analyzer.ir.declarations import Function
from contract_analyzer.ir.index import is_call_to
from contract_analyzer.ir.nodes import (
    Binary,
    Call,
    Expr,
    Identifier,
    Member,
    MetaType,
    TypeExpr,
)
from contract_analyzer.ir.render import render

_HASHES = frozenset({"keccak256", "sha3", "sha256", "ripemd160", "blockhash"})


class UnsafeDowncast(Detector):
    id = "unsafe_downcast"
    title = "Unsafe integer downcast"
    swc = "SWC-101"
    severity = Severity.MEDIUM
    confidence = Confidence.MEDIUM
    types = SECURITY
    description = (
        "A wider integer is converted to a narrower type without a bound check. Explicit "
        "conversions never revert - not even in Solidity 0.8 - they drop the high bits, so a "
        "large amount silently becomes a small one."
    )
    recommendation = (
        "Check the bound before converting (`require(x <= type(uint128).max)`) or use a "
        "SafeCast helper that reverts on overflow (`SafeCast.toUint128(x)`)."
    )
    references = ("https://docs.soliditylang.org/en/latest/types.html#explicit-conversions",)

    def detect(self, ctx: Context) -> Iterator[Issue]:
        keys = Keys()
        influence = Influence(ctx)
        for fn in ctx.functions():
            if fn.index is None or fn.contract is None or fn.contract.is_library:
                continue
            for call in fn.index.calls:
                issue = self._check(ctx, influence, keys, fn, call)
                if issue is not None:
                    yield issue

    def _check(
        self, ctx: Context, influence: Influence, keys: Keys, fn: Function, call: Call
    ) -> Issue | None:
        callee = call.callee
        if call.kind != "conversion" or not isinstance(callee, TypeExpr) or len(call.args) != 1:
            return None
        to_type = callee.type_name
        to_bits = to_type.bits if to_type.is_integer else None
        arg = strip(call.args[0])
        if to_bits is None or arg is None or int_value(arg) is not None:
            return None
        from_type = ctx.type_of(fn, arg)
        if from_type is None or not from_type.is_integer or (from_type.bits or 256) <= to_bits:
            return None
        if _into_address(call) or _bounded_by_shape(arg, to_bits) or _mentions_hash(arg):
            return None
        width = nar.width(ctx, fn, arg, influence.defs(fn))
        if (width is not None and width <= to_bits) or nar.unpacks_bytes(ctx, fn, arg):
            return None
        if to_bits >= 32 and nar.block_value(ctx, influence, fn, arg, to_bits, 0):
            return None  # block numbers and timestamps fit in 32 bits until 2106
        labels = influence.value_labels(fn, arg)
        level = influence.level(fn, labels, bounded=False, fed=True)
        small = (to_bits < 96 and "msg.value" in labels) or (to_bits < 32 and "bounded" in labels)
        if level == NONE and small:
            level = influence.access(fn)
        if (
            level == NONE
            or _checked(keys, fn, call, arg)
            or nar.sum_bounded(keys, call, arg, to_bits)
        ):
            return None
        if level == ANYONE and (
            nar.trusted_source(ctx, influence, fn, arg, labels)
            or nar.own_query(fn, labels)
            or nar.consistent_alias(keys, fn, call, arg)
            or nar.splits(keys, fn, arg, to_bits)
        ):
            level = PRIVILEGED
        limit = (
            f"outside the {to_type} range" if to_type.is_signed else f"above type({to_type}).max"
        )
        message = (
            f"`{render(call, max_len=60)}` narrows a `{from_type}` value to `{to_type}` without a "
            f"bound check: values {limit} silently lose their high bits."
        )
        severity = self.severity if level == ANYONE else Severity.LOW
        if level == PRIVILEGED:
            message += " Only privileged callers control the value."
        confidence = Confidence.HIGH if "param" in labels else Confidence.MEDIUM
        return self.issue(call, message, function=fn, severity=severity, confidence=confidence)


def _checked(keys: Keys, fn: Function, call: Call, arg: Expr) -> bool:
    """A bound on ``arg`` holds here, or the result is compared with ``arg`` afterwards."""
    arg_key = keys.key(arg)
    for big, small, _strict in relations(local_facts(call)):
        if keys.key(small) == arg_key:
            return True
        if keys.key(big) == keys.key(call) and arg_key in keys.inside(small):
            return True
    # require(uint128(x) == x) or `y = uint128(x); require(y == x);`
    node = call.parent
    while isinstance(node, Expr):
        if isinstance(node, Binary) and node.op in ("==", "!="):
            return arg_key in keys.inside(node)
        node = node.parent
    var = result_local(call)
    if var is None or fn.index is None:
        return False
    for check in fn.index.calls:
        if check.start > call.start and is_call_to(check, "require", "assert") and check.args:
            for atom in atoms(check.args[0]):
                inside = keys.inside(atom)
                if var.name in inside and arg_key in inside:
                    return True
    return False


def _into_address(call: Call) -> bool:
    parent = call.parent
    return (
        isinstance(parent, Call)
        and isinstance(parent.callee, TypeExpr)
        and (parent.callee.type_name.is_address or parent.callee.type_name.name.startswith("bytes"))
    )


def _bounded_by_shape(arg: Expr, bits: int) -> bool:
    """``x % 2**n``, ``x & mask``, ``x >> s``, ``x / d`` that fit in ``bits``."""
    limit = 1 << bits
    if isinstance(arg, Binary):
        value = int_value(arg.right)
        if value is None:
            return False
        if arg.op == "%":
            return value <= limit
        if arg.op == "&":
            return value < limit
        if arg.op == ">>":
            return value >= 256 - bits
        if arg.op == "/":
            return value >= 1 << (256 - bits)
    return False


def _mentions_hash(arg: Expr) -> bool:
    for node in arg.walk():
        if isinstance(node, Call) and isinstance(node.callee, Identifier):
            if node.callee.name in _HASHES:
                return True
        if isinstance(node, Member) and isinstance(node.base, MetaType):
            return True  # min(x, type(uint128).max)
    return False
