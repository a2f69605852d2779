"""``selfdestruct`` that anyone can trigger (SWC-106)."""

from __future__ import annotations

from collections.abc import Iterator

from contract_analyzer.detectors.access_control._entry import entry_span
from contract_analyzer.detectors.access_control._reach import entries
from contract_analyzer.detectors.access_control._util import lowered
from contract_analyzer.detectors.base import SECURITY, Confidence, Detector, Issue, Severity
from contract_analyzer.detectors.context import Context
from contract_analyzer.ir.index import is_call_to


class UnprotectedSelfdestruct(Detector):
    id = "unprotected_selfdestruct"
    title = "Unprotected selfdestruct"
    swc = "SWC-106"
    severity = Severity.CRITICAL
    confidence = Confidence.HIGH
    types = SECURITY
    description = (
        "`selfdestruct` (legacy `suicide`) can be reached by any caller: there is no owner or "
        "role check on the function, on the path that leads to it, or around the statement. "
        "Anyone can destroy the contract and send its whole balance wherever the code says."
    )
    recommendation = (
        "Remove `selfdestruct` (it is deprecated since 0.8.18), or restrict the function to a "
        "trusted role (`onlyOwner`, `AccessControl`) - ideally behind a multisig and a timelock."
    )
    references = ("https://swcregistry.io/docs/SWC-106",)

    def detect(self, ctx: Context) -> Iterator[Issue]:
        for function in ctx.functions():
            index = function.index
            if index is None:
                continue
            for call in index.calls:
                if call.kind != "builtin" or not is_call_to(call, "selfdestruct", "suicide"):
                    continue
                found = entries(ctx, function, call.stmt)
                if not found:
                    continue
                names = sorted({f.name for f, _ in found})
                who = (
                    f"Anyone can call `{function.name}`"
                    if function.is_public
                    else f"Anyone can reach `{function.name}` through {_names(names)}"
                )
                severity, confidence, note = lowered(
                    [function, *(f for f, _ in found)], self.severity, self.confidence
                )
                line, end_line = entry_span(function, call)
                yield self.issue(
                    call,
                    f"{who} and destroy the contract: nothing "
                    f"checks the caller before this `selfdestruct`{note}.",
                    line=line,
                    end_line=end_line,
                    function=function,
                    severity=severity,
                    confidence=confidence,
                )


def _names(names: list[str]) -> str:
    shown = ", ".join(f"`{n}`" for n in names[:3])
    return shown + (" ..." if len(names) > 3 else "")
