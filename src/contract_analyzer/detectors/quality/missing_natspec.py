"""Public and external functions without NatSpec documentation."""

from __future__ import annotations

from collections.abc import Iterator

from contract_analyzer.detectors.base import QUALITY, Confidence, Detector, Issue, Severity
from contract_analyzer.detectors.context import Context
from contract_analyzer.detectors.quality._util import has_natspec


class MissingNatspec(Detector):
    id = "missing_natspec"
    title = "Public function without NatSpec"
    severity = Severity.INFO
    confidence = Confidence.HIGH
    types = QUALITY
    description = (
        "A public or external function with a body has no NatSpec comment (`///` or `/** ... */`) above "
        "it. NatSpec is what wallets, block explorers and auditors show users about what a "
        "function does, its parameters and its return values."
    )
    recommendation = (
        "Document the function with `/// @notice`, `@param` and `@return` tags (an "
        "overriding function can use `/// @inheritdoc Base`)."
    )
    references = ("https://docs.soliditylang.org/en/latest/natspec-format.html",)

    def detect(self, ctx: Context) -> Iterator[Issue]:
        unit = ctx.unit
        for function in ctx.functions():
            # Bodiless declarations (interfaces, abstract functions) and overrides are
            # skipped: the docs live with the implementation or come via @inheritdoc.
            if function.kind != "function" or not function.is_public or function.is_override:
                continue
            if has_natspec(unit, function.line):
                continue
            owner = f"`{function.contract.name}`" if function.contract else "the file"
            yield self.issue(
                None,
                f"The {function.effective_visibility} function `{function.name}` of {owner} "
                "has no NatSpec comment.",
                line=function.line,
                function=function,
            )
