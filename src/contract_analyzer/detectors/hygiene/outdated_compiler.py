"""The version pragma only allows old compilers with known, fixed bugs (SWC-102)."""

from __future__ import annotations

from collections.abc import Iterator

from contract_analyzer.detectors.base import SECURITY, Confidence, Detector, Issue, Severity
from contract_analyzer.detectors.context import Context
from contract_analyzer.detectors.hygiene._util import newest_allowed, solidity_pragmas
from contract_analyzer.ir.versions import RECOMMENDED_MINIMUM, format_version


class OutdatedCompiler(Detector):
    id = "outdated_compiler"
    title = "Outdated compiler version"
    swc = "SWC-102"
    severity = Severity.LOW
    confidence = Confidence.HIGH
    types = SECURITY
    description = (
        "Every compiler version the pragma allows is older than the recommended minimum. "
        "Old compilers have known, since-fixed code generation bugs and lack checked "
        "arithmetic and other safety features."
    )
    recommendation = (
        f"Compile with a recent release (at least {format_version(RECOMMENDED_MINIMUM)}) and "
        "update the pragma, adapting the code to the breaking changes in between."
    )
    references = (
        "https://swcregistry.io/docs/SWC-102",
        "https://docs.soliditylang.org/en/latest/bugs.html",
    )

    def detect(self, ctx: Context) -> Iterator[Issue]:
        minimum = format_version(RECOMMENDED_MINIMUM)
        for pragma, version in solidity_pragmas(ctx.unit):
            high = version.max_version
            if high is None or high > RECOMMENDED_MINIMUM:
                continue  # some allowed compiler is recent enough
            legacy = high <= (0, 5, 0)
            message = (
                f"`pragma solidity {pragma.value}` only allows compilers {newest_allowed(version)}"
                f", older than {minimum}."
            )
            if legacy:
                message += " Pre-0.5 compilers also accept deprecated, error-prone syntax."
            elif high <= (0, 8, 0):
                message += " Compilers before 0.8.0 do not check arithmetic for overflow."
            yield self.issue(None, message, line=pragma.line)
