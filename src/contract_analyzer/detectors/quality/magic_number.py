"""Unexplained numeric literals in arithmetic and comparisons."""

from __future__ import annotations

from collections.abc import Iterator

from contract_analyzer.detectors.base import QUALITY, Confidence, Detector, Issue, Severity
from contract_analyzer.detectors.context import Context
from contract_analyzer.ir.declarations import Function
from contract_analyzer.ir.nodes import Assignment, Binary, Literal, Node, TupleExpr, Unary

_ARITHMETIC = frozenset({"+", "-", "*", "/", "%", "<", ">", "<=", ">=", "==", "!="})
_COMPOUND = frozenset({"+=", "-=", "*=", "/=", "%="})
# Values that explain themselves: small counts, bit widths, byte sizes and time units
# written out in seconds.
_PLAIN = frozenset(
    {0, 1, 2, 8, 16, 20, 32, 64, 128, 160, 255, 256, 24, 60, 365, 3600, 86400, 604800}
)


def _is_plain(value: int) -> bool:
    if value in _PLAIN:
        return True
    while value >= 10 and value % 10 == 0:
        value //= 10
    return value == 1  # a power of ten: percentages, basis points, decimals


class MagicNumber(Detector):
    id = "magic_number"
    title = "Magic number"
    severity = Severity.INFO
    confidence = Confidence.MEDIUM
    types = QUALITY
    description = (
        "A numeric literal with no obvious meaning is used in arithmetic or a comparison "
        "inside a function. Readers cannot tell what it stands for, and the same value "
        "repeated in several places drifts apart when one copy changes."
    )
    recommendation = (
        "Give the value a name: `uint256 private constant FEE_BPS = 25;` and use the constant."
    )

    def detect(self, ctx: Context) -> Iterator[Issue]:
        for callable_ in ctx.callables():
            index = callable_.index
            if index is None:
                continue
            function = callable_ if isinstance(callable_, Function) else None
            seen: set[int] = set()
            for node in index.nodes:
                if type(node) is not Literal or node.kind != "number":
                    continue
                if node.subdenomination or node.value.lower().startswith("0x"):
                    continue
                value = node.int_value()
                if value is None or _is_plain(value) or node.line in seen:
                    continue
                if not _in_arithmetic(node):
                    continue
                seen.add(node.line)
                yield self.issue(
                    node,
                    f"The literal `{node.value}` in `{callable_.name}` has no name: declare it "
                    "as a constant that says what it means.",
                    function=function,
                    contract=callable_.contract,
                )


def _in_arithmetic(literal: Literal) -> bool:
    child: Node = literal
    parent = literal.parent
    while isinstance(parent, TupleExpr) or (isinstance(parent, Unary) and parent.op == "-"):
        child, parent = parent, parent.parent
    if isinstance(parent, Binary):
        return parent.op in _ARITHMETIC
    return isinstance(parent, Assignment) and parent.op in _COMPOUND and parent.value is child
