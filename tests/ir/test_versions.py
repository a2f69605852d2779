"""Version pragmas as ranges."""

from __future__ import annotations

import pytest

from contract_analyzer.ir.versions import parse_version_constraint


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("^0.4.24", (0, 4, 24), (0, 5, 0)),
        ("^0.8.0", (0, 8, 0), (0, 9, 0)),
        ("0.8.19", (0, 8, 19), (0, 8, 20)),
        ("=0.5.1", (0, 5, 1), (0, 5, 2)),
        (">=0.4.22 <0.6.0", (0, 4, 22), (0, 6, 0)),
        ("~0.5.0", (0, 5, 0), (0, 6, 0)),
        (">0.4.99 <=0.7.6", (0, 4, 100), (0, 7, 7)),
        ("0.4", (0, 4, 0), (0, 5, 0)),
        ("0.4.22 - 0.6.0", (0, 4, 22), (0, 6, 1)),
    ],
)
def test_ranges(text: str, low: tuple[int, int, int], high: tuple[int, int, int]) -> None:
    parsed = parse_version_constraint(text)
    assert parsed is not None
    assert parsed.min_version == low
    assert parsed.max_version == high


def test_union_and_questions() -> None:
    parsed = parse_version_constraint(">=0.6.0 <0.7.0 || ^0.8.0")
    assert parsed is not None
    assert parsed.allows_below((0, 7, 0)) and parsed.allows_at_or_above((0, 8, 0))
    pinned = parse_version_constraint("0.8.19")
    assert pinned is not None and pinned.is_exact
    assert parse_version_constraint(">=0.8.0") is not None
    assert parse_version_constraint("hello") is None
