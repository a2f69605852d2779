"""Solidity version pragmas that differ between the files of a project (or in one file)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import PurePosixPath

from contract_analyzer.detectors.base import QUALITY, Confidence, Detector, Issue, Severity
from contract_analyzer.detectors.context import Context
from contract_analyzer.ir.declarations import Pragma, SourceUnit

_DEPENDENCY_FOLDERS = frozenset({"node_modules", "lib"})


class InconsistentPragma(Detector):
    id = "inconsistent_pragma"
    title = "Inconsistent Solidity version pragmas"
    severity = Severity.INFO
    confidence = Confidence.HIGH
    types = QUALITY
    description = (
        "Files of one project (or pragmas within one file) ask for different compiler "
        "versions. The project is then built with whichever version satisfies all of them, "
        "which may not be the one each file was written and tested for."
    )
    recommendation = (
        "Use the same `pragma solidity` line in every file of the project (dependencies "
        "excepted), and only one per file."
    )

    def detect(self, ctx: Context) -> Iterator[Issue]:
        own = _solidity_pragmas(ctx.unit)
        if not own:
            return
        first = _key(own[0])
        for pragma in own[1:]:
            if _key(pragma) != first:
                yield self.issue(
                    None,
                    f"This file declares `pragma solidity {pragma.value}` after "
                    f"`pragma solidity {own[0].value}` (line {own[0].line}).",
                    line=pragma.line,
                )
        if _is_dependency(ctx.unit):
            return
        keys: list[tuple[str, str]] = []
        for unit in ctx.project.units:
            pragmas = _solidity_pragmas(unit)
            if pragmas and not _is_dependency(unit):
                keys.append((_key(pragmas[0]), pragmas[0].value))
        counts = Counter(key for key, _ in keys)
        if len(counts) < 2:
            return
        best = max(counts.values())
        common = next(key for key, _ in keys if counts[key] == best)
        if first == common:
            return
        shown = next(value for key, value in keys if key == common)
        yield self.issue(
            None,
            f"This file asks for `solidity {own[0].value}` while {best} of the "
            f"{len(keys)} files of the project use `{shown}`.",
            line=own[0].line,
        )


def _solidity_pragmas(unit: SourceUnit) -> list[Pragma]:
    return [p for p in unit.pragmas if p.name == "solidity"]


def _key(pragma: Pragma) -> str:
    return "".join(pragma.value.split())


def _is_dependency(unit: SourceUnit) -> bool:
    """Third-party code vendored in the project (its pragmas are not the author's)."""
    parts = PurePosixPath(unit.path.replace("\\", "/")).parts
    return bool(_DEPENDENCY_FOLDERS.intersection(parts)) or (
        bool(parts) and parts[0].startswith("@")
    )
