"""Solidity version pragmas as version ranges.

``pragma solidity ^0.4.24;`` becomes the range ``[0.4.24, 0.5.0)``. A pragma may hold
several comparisons (an intersection) and ``||`` alternatives (a union). Detectors ask
questions such as "is arithmetic checked?" (every allowed version ≥ 0.8.0) or "may this
compile with a pre-0.5 compiler?".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

Version = tuple[int, int, int]

# The newest release line we know of; "outdated" is judged against it.
LATEST_KNOWN: Version = (0, 8, 30)
# Minimum release we consider current enough (older ones have known, fixed compiler bugs).
RECOMMENDED_MINIMUM: Version = (0, 8, 18)

_INFINITY: Version = (999, 0, 0)
_ZERO: Version = (0, 0, 0)
_TOKEN_RE = re.compile(r"(\^|~|>=|<=|>|<|=)?\s*v?(\d+)(?:\.(\d+|x|\*))?(?:\.(\d+|x|\*))?")


@dataclass(frozen=True)
class Interval:
    """Half-open interval ``[low, high)`` of versions."""

    low: Version
    high: Version

    @property
    def empty(self) -> bool:
        return self.low >= self.high


@dataclass(frozen=True)
class VersionRange:
    """A union of intervals of compiler versions allowed by a pragma."""

    intervals: tuple[Interval, ...]
    text: str

    @property
    def min_version(self) -> Version | None:
        lows = [i.low for i in self.intervals if not i.empty]
        return min(lows) if lows else None

    @property
    def max_version(self) -> Version | None:
        """The exclusive upper bound, ``None`` when the range is empty."""
        highs = [i.high for i in self.intervals if not i.empty]
        return max(highs) if highs else None

    @property
    def is_exact(self) -> bool:
        """One version only (a pinned pragma)."""
        if len(self.intervals) != 1:
            return False
        low, high = self.intervals[0].low, self.intervals[0].high
        return high == (low[0], low[1], low[2] + 1)

    @property
    def is_unbounded(self) -> bool:
        high = self.max_version
        return high is not None and high >= _INFINITY

    def allows_below(self, version: Version) -> bool:
        low = self.min_version
        return low is not None and low < version

    def allows_at_or_above(self, version: Version) -> bool:
        high = self.max_version
        return high is not None and high > version

    def describe(self) -> str:
        return self.text


def parse_version_constraint(text: str) -> VersionRange | None:
    """Parse the text after ``pragma solidity``. Returns ``None`` if unreadable."""
    alternatives = [part.strip() for part in text.split("||")]
    intervals: list[Interval] = []
    for alternative in alternatives:
        interval = _parse_conjunction(alternative)
        if interval is None:
            return None
        intervals.append(interval)
    if not intervals:
        return None
    return VersionRange(tuple(intervals), " ".join(text.split()))


def _parse_conjunction(text: str) -> Interval | None:
    # "0.4.22 - 0.6.0" hyphen range
    hyphen = re.fullmatch(r"\s*v?([\d.x*]+)\s+-\s+v?([\d.x*]+)\s*", text)
    if hyphen:
        first = _version_of(hyphen.group(1))
        last = _version_of(hyphen.group(2))
        if first is None or last is None:
            return None
        return Interval(first[0], _bump_patch(last[0]))
    low: Version = _ZERO
    high: Version = _INFINITY
    pos = 0
    found = False
    text = text.strip()
    while pos < len(text):
        if text[pos].isspace():
            pos += 1
            continue
        m = _TOKEN_RE.match(text, pos)
        if not m or m.end() == pos:
            return None
        found = True
        pos = m.end()
        op = m.group(1) or "="
        major = int(m.group(2))
        minor_raw, patch_raw = m.group(3), m.group(4)
        minor = None if minor_raw in (None, "x", "*") else int(minor_raw)
        patch = None if patch_raw in (None, "x", "*") else int(patch_raw)
        lo, hi = _interval_for(op, major, minor, patch)
        low = max(low, lo)
        high = min(high, hi)
    if not found:
        return None
    return Interval(low, high)


def _interval_for(
    op: str, major: int, minor: int | None, patch: int | None
) -> tuple[Version, Version]:
    base: Version = (major, minor or 0, patch or 0)
    if op == "^":
        if major > 0:
            return base, (major + 1, 0, 0)
        if minor is None:
            return base, (1, 0, 0)
        if minor > 0 or patch is None:
            return base, (0, minor + 1, 0)
        return base, (0, 0, (patch or 0) + 1)
    if op == "~":
        if minor is None:
            return base, (major + 1, 0, 0)
        return base, (major, minor + 1, 0)
    if op == ">=":
        return base, _INFINITY
    if op == ">":
        if patch is None:
            nxt: Version = (major, (minor or 0) + 1, 0) if minor is not None else (major + 1, 0, 0)
            return nxt, _INFINITY
        return _bump_patch(base), _INFINITY
    if op == "<=":
        if patch is None:
            return _ZERO, ((major, minor + 1, 0) if minor is not None else (major + 1, 0, 0))
        return _ZERO, _bump_patch(base)
    if op == "<":
        return _ZERO, base
    # exact, possibly partial ("0.4" = any 0.4.x)
    if minor is None:
        return base, (major + 1, 0, 0)
    if patch is None:
        return base, (major, minor + 1, 0)
    return base, _bump_patch(base)


def _version_of(text: str) -> tuple[Version, bool] | None:
    parts = text.split(".")
    try:
        nums = [int(p) for p in parts if p not in ("x", "*")]
    except ValueError:
        return None
    while len(nums) < 3:
        nums.append(0)
    return (nums[0], nums[1], nums[2]), len(parts) == 3


def _bump_patch(v: Version) -> Version:
    return (v[0], v[1], v[2] + 1)


def format_version(v: Version) -> str:
    return ".".join(str(p) for p in v)


def intersect(ranges: list[VersionRange]) -> VersionRange | None:
    """Intersection of several pragmas of one file (every one must hold)."""
    if not ranges:
        return None
    current = list(ranges[0].intervals)
    for other in ranges[1:]:
        merged = []
        for a in current:
            for b in other.intervals:
                iv = Interval(max(a.low, b.low), min(a.high, b.high))
                if not iv.empty:
                    merged.append(iv)
        current = merged
    return VersionRange(tuple(current), " ".join(r.text for r in ranges))


def range_from_hints(hints: set[str]) -> VersionRange | None:
    """A version range guessed from syntax when a file has no pragma.

    ``hints`` are flags recorded by the converter: ``legacy`` (``throw``, ``var``,
    ``suicide``, ``sha3``, constant functions, same-name constructors, ``.call.value``),
    ``modern`` (``receive``/``fallback`` keywords, call options, ``unchecked``, custom
    errors, ``immutable``), ``checked`` (``unchecked`` blocks, custom errors: 0.8 only).
    """
    if "checked" in hints:
        return VersionRange((Interval((0, 8, 0), _INFINITY),), "inferred >=0.8.0")
    if "legacy" in hints and "modern" not in hints:
        return VersionRange((Interval((0, 4, 0), (0, 5, 0)),), "inferred <0.5.0")
    if "modern" in hints:
        return VersionRange((Interval((0, 6, 0), _INFINITY),), "inferred >=0.6.0")
    return None
