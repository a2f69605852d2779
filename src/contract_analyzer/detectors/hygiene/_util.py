"""Helpers shared by the hygiene detectors (pragmas, source text, side effects)."""

from __future__ import annotations

from collections.abc import Iterator

from contract_analyzer.ir.declarations import Pragma, SourceUnit
from contract_analyzer.ir.nodes import Assignment, Call, Expr, Unary, Update
from contract_analyzer.ir.versions import VersionRange, format_version, parse_version_constraint


def solidity_pragmas(unit: SourceUnit) -> Iterator[tuple[Pragma, VersionRange]]:
    """The ``pragma solidity`` lines of a unit that can be read, with their ranges."""
    for pragma in unit.pragmas:
        if pragma.name != "solidity":
            continue
        parsed = parse_version_constraint(pragma.value)
        if parsed is not None:
            yield pragma, parsed


def newest_allowed(version: VersionRange) -> str:
    """Human text for the newest compiler a range allows: ``0.4.26``-style when pinned,
    ``below 0.5.0`` otherwise."""
    high = version.max_version
    if high is None:
        return "none"
    if version.is_exact:
        low = version.min_version
        assert low is not None
        return format_version(low)
    return f"below {format_version(high)}"


def has_side_effects(expr: Expr) -> bool:
    """``expr`` calls something, assigns, increments or deletes somewhere inside."""
    for node in expr.walk():
        if isinstance(node, Call | Assignment | Update):
            return True
        if isinstance(node, Unary) and node.op == "delete":
            return True
    return False


def char_before(unit: SourceUnit, expr: Expr, offset: int = 1) -> str | None:
    """The source character ``offset`` places before ``expr`` on its line, using the
    node's line and (byte) column, or ``None`` when it cannot be known. The byte column
    is converted through UTF-8, so non-ASCII text earlier on the line is handled."""
    line = unit.line_text(expr.line).encode("utf-8", "surrogatepass")
    position = expr.col - 1 - offset
    if position < 0 or expr.col - 1 > len(line):
        return None
    return line[position : position + 1].decode("utf-8", "replace")


def char_at(unit: SourceUnit, expr: Expr) -> str | None:
    line = unit.line_text(expr.line).encode("utf-8", "surrogatepass")
    position = expr.col - 1
    if position < 0 or position >= len(line):
        return None
    return line[position : position + 1].decode("utf-8", "replace")
