"""Weak sources of randomness (SWC-120).

A "random" number made from block values (timestamp, number, difficulty/prevrandao,
coinbase, gas limit, blockhash) or from a seed kept in storage can be predicted by
anyone and chosen by the block producer. Reported where such a value is reduced with
``%`` or compared with a guess or threshold: at the line that makes the value when it
is in the same function, else at the use. High when the function (or its caller) pays
out or the value picks an array element (a winner). Quiet on timestamps used for
deadlines (see ``timestamp_dependence``), on block numbers kept for bookkeeping,
on hashes used as identifiers and on Chainlink-VRF callbacks.
"""

from __future__ import annotations

from collections.abc import Iterator

from contract_analyzer.detectors.arithmetic._keys import COMPARISONS
from contract_analyzer.detectors.base import SECURITY, Confidence, Detector, Issue, Severity
from contract_analyzer.detectors.context import Context
from contract_analyzer.detectors.randomness._entropy import Entropy, EntropyInfo, is_vrf_callback
from contract_analyzer.detectors.randomness._payout import pays_out
from contract_analyzer.detectors.randomness._uses import (
    compared,
    display,
    divided,
    is_zero,
    origin_key,
    seed_update,
    selects,
)
from contract_analyzer.ir.declarations import Callable
from contract_analyzer.ir.nodes import Binary, Expr, Literal, Member, MetaType, Node
from contract_analyzer.ir.render import render


class WeakRandomness(Detector):
    id = "weak_randomness"
    title = "Weak source of randomness"
    swc = "SWC-120"
    severity = Severity.HIGH
    confidence = Confidence.HIGH
    types = SECURITY
    description = (
        "A random number is derived from block values or from a seed kept in storage. "
        "Everything on-chain is public and block producers choose the block values, so the "
        "outcome can be predicted - or picked - by whoever benefits from it."
    )
    recommendation = (
        "Use a verifiable randomness oracle (e.g. Chainlink VRF) or a commit-reveal scheme "
        "where the outcome depends on secrets revealed after the commitment is fixed."
    )
    references = ("https://swcregistry.io/docs/SWC-120",)

    def detect(self, ctx: Context) -> Iterator[Issue]:
        entropy = Entropy(ctx)
        reported: set[object] = set()
        for fn in ctx.callables():
            if fn.index is None or is_vrf_callback(fn) or not entropy.relevant(fn):
                continue
            for b in fn.index.binaries:
                info = self._weak_use(ctx, entropy, fn, b)
                if info is None or info.origin is None:
                    continue
                key = origin_key(info)
                if key in reported:
                    continue
                reported.add(key)
                yield self._issue(ctx, fn, b, info)

    def _weak_use(
        self, ctx: Context, entropy: Entropy, fn: Callable, b: Binary
    ) -> EntropyInfo | None:
        if b.op == "%":
            if _truncates(b.right):
                return None  # `block.timestamp % 2**32`: fitting a value into fewer bits
            info = entropy.of(fn, b.left)
            if info.vrf:
                return None
            if info.weak:
                return info
            others = info.direct - {"block.timestamp"}
            if others and pays_out(ctx, fn):
                return info
            if info.direct == {"block.timestamp"} and not compared(b) and not divided(b.left):
                return info if pays_out(ctx, fn) or selects(ctx, fn, b) else None
            return None
        if b.op in COMPARISONS:
            for side, other in ((b.left, b.right), (b.right, b.left)):
                if is_zero(other):
                    continue
                info = entropy.of(fn, side)
                if info.weak:
                    return info
        return None

    def _issue(self, ctx: Context, fn: Callable, use: Binary, info: EntropyInfo) -> Issue:
        origin = info.origin
        assert origin is not None
        values = sorted(info.hashed | info.direct)
        names = [display(v) for v in values if not v.startswith("state:")]
        names += [
            f"`{s}` (stored on-chain, readable by anyone)"
            for s in sorted(info.seeds | {v[6:] for v in values if v.startswith("state:")})
        ]
        source = ", ".join(names) or "block values"
        payout = pays_out(ctx, fn) or selects(ctx, fn, use)
        consequence = (
            "it decides who gets paid, so a block producer or an attacking contract can "
            "compute or choose the winning outcome"
            if payout
            else "anyone can compute the outcome in advance"
        )
        same_body = info.origin_owner is fn
        node: Node = origin if same_body and info.weak else use
        if info.seeds and not info.hashed:
            node = seed_update(fn, info.seeds, use) or use
        where = (
            ""
            if same_body
            else f" (made in `{info.origin_owner.name if info.origin_owner else '?'}`)"
        )
        text = render(use, max_len=60)
        if node is not use and use.line != node.line:
            lead = f"The random number used in `{text}` (line {use.line}) is made here"
        else:
            lead = f"`{text}` uses a predictable random number{where}"
        message = f"{lead} from {source}: {consequence}."
        severity = Severity.HIGH if payout else Severity.MEDIUM
        confidence = Confidence.HIGH if info.hashed or info.seeds else Confidence.MEDIUM
        return self.issue(node, message, function=fn, severity=severity, confidence=confidence)


_TRUNCATION_BITS = 16


def _truncates(modulus: Expr) -> bool:
    """``x % 2**32`` / ``x % 4294967296`` / ``x % type(uint32).max``: a modulus of a large
    power of two keeps the low bits of a value, it does not draw a number."""
    value = _int(modulus)
    return (value is not None and value >= 1 << _TRUNCATION_BITS and value & (value - 1) == 0) or (
        isinstance(modulus, Member)
        and modulus.member == "max"
        and isinstance(modulus.base, MetaType)
    )


def _int(expr: Expr) -> int | None:
    if isinstance(expr, Literal):
        return expr.int_value()
    if isinstance(expr, Binary) and expr.op == "**":
        base, exponent = _int(expr.left), _int(expr.right)
        if base is not None and exponent is not None and exponent < 512:
            return int(base**exponent)
    return None
