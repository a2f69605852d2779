"""Block timestamp deciding payouts or unlocks in a window a block producer can hit (SWC-116).

Block producers choose ``block.timestamp`` within a few seconds. That matters when a
condition depends on the exact second: strict equality (``now == deadline``), parity
or modulo tests (``block.timestamp % 15 == 0``), and comparisons against a short window
(``now < lastBet + 30 seconds``). Quiet on deadlines measured in hours or days
(``block.timestamp >= start + 7 days``), on comparisons with a stored deadline (unless it
was set as ``block.timestamp`` plus a short countdown), on
``lastUpdated = block.timestamp`` bookkeeping and ``if (last == block.timestamp)``
once-per-block checks, and on timestamps hashed into random numbers (see
``weak_randomness``).
"""

from __future__ import annotations

from collections.abc import Iterator

from contract_analyzer.detectors.arithmetic._keys import COMPARISONS, int_value
from contract_analyzer.detectors.base import SECURITY, Confidence, Detector, Issue, Severity
from contract_analyzer.detectors.context import Context
from contract_analyzer.detectors.randomness._entropy import Entropy
from contract_analyzer.detectors.randomness._payout import pays_out
from contract_analyzer.detectors.time._clock import (
    LONG,
    Clock,
    modulo_of_time,
    window,
    window_source,
)
from contract_analyzer.ir.declarations import Callable
from contract_analyzer.ir.nodes import Binary
from contract_analyzer.ir.render import render

_SHORT = 60  # seconds a block producer can plausibly shift a timestamp (with margin)


class TimestampDependence(Detector):
    id = "timestamp_dependence"
    title = "Timestamp dependence"
    swc = "SWC-116"
    severity = Severity.MEDIUM
    confidence = Confidence.MEDIUM
    types = SECURITY
    description = (
        "A condition depends on `block.timestamp` (`now`) to the second. The block producer "
        "sets the timestamp within a small tolerance, so exact matches, parity tests and "
        "windows of a few seconds can be hit or missed on purpose."
    )
    recommendation = (
        "Do not use the timestamp as a source of chance or for exact matches; compare with "
        "`>=`/`<=` against deadlines that are long compared to the block producer's leeway "
        "(minutes to days), or use block numbers for short intervals."
    )
    references = ("https://swcregistry.io/docs/SWC-116",)

    def detect(self, ctx: Context) -> Iterator[Issue]:
        entropy = Entropy(ctx)
        clock = Clock(ctx, entropy)
        for fn in ctx.callables():
            if fn.index is None or not entropy.relevant(fn, seeds=False):
                continue
            for b in fn.index.binaries:
                if b.op not in COMPARISONS:
                    continue
                found = self._check(entropy, clock, fn, b)
                if found is None:
                    continue
                kind, span, stored = found
                payout = pays_out(ctx, fn)
                if kind == "window" and span > _SHORT and not payout:
                    continue  # minutes-long cooldowns that gate nothing valuable
                yield self._issue(fn, b, kind, span, stored, payout)

    @staticmethod
    def _check(
        entropy: Entropy, clock: Clock, fn: Callable, b: Binary
    ) -> tuple[str, int, str] | None:
        """``(kind, window in seconds, stored deadline name)`` of a risky comparison."""
        for side, other in ((b.left, b.right), (b.right, b.left)):
            if "block.timestamp" not in entropy.of(fn, side).direct:
                continue
            if modulo_of_time(side) is not None:
                if b.op in ("==", "!="):
                    return "modulo", 0, ""
                span = window(other, {})
                return ("modulo", span, "") if span is not None and span < LONG else None
            if b.op == "==":
                if int_value(other) is not None or clock.only_stamps(fn, other):
                    return None
                return "equality", 0, ""
            if b.op == "!=":
                return None
            found = window_source(b, clock.deadlines(fn.contract))
            if found is None or found[0] >= LONG:
                return None
            return ("window", found[0], found[1])
        return None

    def _issue(
        self, fn: Callable, b: Binary, kind: str, window: int, stored: str, payout: bool
    ) -> Issue:
        text = render(b, max_len=70)
        if kind == "modulo":
            message = (
                f"`{text}` tests the timestamp with a modulo: the block producer picks a "
                "timestamp that passes (or fails) the test"
            )
        elif kind == "equality":
            message = (
                f"`{text}` requires the timestamp to match exactly: the block producer decides "
                "whether that second is ever hit"
            )
        else:
            source = f" (`{stored}` is set to the time plus {window} seconds)" if stored else ""
            message = (
                f"`{text}` compares the timestamp against a {window}-second window{source}, "
                "within the range a block producer can shift the timestamp"
            )
        message += ", and this function moves funds." if payout else "."
        long_window = kind == "window" and window > _SHORT
        severity = Severity.MEDIUM if payout and not long_window else Severity.LOW
        return self.issue(b, message, function=fn, severity=severity)
