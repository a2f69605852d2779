"""Functions whose cyclomatic complexity makes them hard to read and test."""

from __future__ import annotations

from collections.abc import Iterator

from contract_analyzer.detectors.base import QUALITY, Confidence, Detector, Issue, Severity
from contract_analyzer.detectors.context import Context
from contract_analyzer.ir.declarations import Callable, Function
from contract_analyzer.ir.nodes import Conditional, If, Try

MODERATE = 10
"""Above this the function is reported (info)."""
HIGH = 20
"""Above this the report is raised to low."""


def cyclomatic_complexity(callable_: Callable) -> int:
    """Decision points + 1: ``if``, loops, ``&&``/``||``, ``?:`` and each ``catch``."""
    index = callable_.index
    if index is None:
        return 1
    count = 1 + len(index.loops)
    for stmt in index.statements:
        kind = type(stmt)
        if kind is If:
            count += 1
        elif kind is Try:
            count += len(stmt.catches)  # type: ignore[attr-defined]
    count += sum(1 for b in index.binaries if b.op in ("&&", "||"))
    count += sum(1 for n in index.nodes if type(n) is Conditional)
    return count


class HighComplexity(Detector):
    id = "high_complexity"
    title = "High cyclomatic complexity"
    severity = Severity.INFO
    confidence = Confidence.HIGH
    types = QUALITY
    description = (
        f"The function has more than {MODERATE} independent paths (branches, loops, boolean "
        "operators, catch clauses). Complex functions hide bugs and need many tests to cover."
    )
    recommendation = (
        "Split the function into smaller internal functions with one job each, and replace "
        "long if/else chains with early returns or lookups."
    )

    def detect(self, ctx: Context) -> Iterator[Issue]:
        for callable_ in ctx.callables():
            score = cyclomatic_complexity(callable_)
            if score <= MODERATE:
                continue
            yield self.issue(
                None,
                f"`{callable_.name}` has a cyclomatic complexity of {score} (more than "
                f"{HIGH if score > HIGH else MODERATE}).",
                line=callable_.line,
                function=callable_ if isinstance(callable_, Function) else None,
                contract=callable_.contract,
                severity=Severity.LOW if score > HIGH else None,
            )
