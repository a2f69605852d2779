"""The version pragma is not pinned to one compiler release (SWC-103)."""

from __future__ import annotations

from collections.abc import Iterator

from contract_analyzer.detectors.base import QUALITY, Confidence, Detector, Issue, Severity
from contract_analyzer.detectors.context import Context
from contract_analyzer.detectors.hygiene._util import solidity_pragmas
from contract_analyzer.ir.versions import format_version


class FloatingPragma(Detector):
    id = "floating_pragma"
    title = "Floating pragma"
    swc = "SWC-103"
    severity = Severity.INFO
    confidence = Confidence.HIGH
    types = QUALITY
    description = (
        "The version pragma accepts a range of compilers (`^`, `>=`, `~` or a range) instead "
        "of one release, so the deployed bytecode may come from a compiler other than the one "
        "the code was tested and audited with."
    )
    recommendation = (
        "Pin the compiler for contracts you deploy (`pragma solidity 0.8.24;`). Floating "
        "pragmas are fine for libraries and interfaces meant to be compiled by others."
    )
    references = ("https://swcregistry.io/docs/SWC-103",)

    def detect(self, ctx: Context) -> Iterator[Issue]:
        deployable = [c for c in ctx.contracts if c.kind == "contract" and not c.abstract]
        if not deployable:
            return  # a library, interface or abstract base: other projects pick the compiler
        for pragma, version in solidity_pragmas(ctx.unit):
            if version.is_exact:
                continue
            low = version.min_version
            since = f" (anything from {format_version(low)})" if low is not None else ""
            yield self.issue(
                None,
                f"`pragma solidity {pragma.value}` floats{since}: pin the release used for "
                "testing and deployment.",
                line=pragma.line,
            )
