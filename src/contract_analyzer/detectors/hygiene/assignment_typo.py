"""``x =+ y``: an assignment of a unary value where a compound operator was meant (SWC-129)."""

from __future__ import annotations

from collections.abc import Iterator

from contract_analyzer.detectors.base import SECURITY, Confidence, Detector, Issue, Severity
from contract_analyzer.detectors.context import Context
from contract_analyzer.detectors.hygiene._util import char_at, char_before
from contract_analyzer.ir.nodes import Unary
from contract_analyzer.ir.render import render

_MEANT = {"+": "+=", "-": "-=", "!": "!="}


class AssignmentTypo(Detector):
    id = "assignment_typo"
    title = "Typo in assignment operator (=+, =-, =!)"
    swc = "SWC-129"
    severity = Severity.MEDIUM
    confidence = Confidence.HIGH
    types = SECURITY
    description = (
        "The statement is written `x =+ y` (or `=-`, `=!`): it assigns `+y` to `x` instead of "
        "adding to it. The spacing - a space before `=` but none between `=` and the unary "
        "operator - shows that a compound operator (`+=`, `-=`) or a comparison was meant."
    )
    recommendation = (
        "Write the intended operator (`x += y`, `x -= y`), or space a deliberate unary "
        "operator as `x = -y`."
    )
    references = ("https://swcregistry.io/docs/SWC-129",)

    def detect(self, ctx: Context) -> Iterator[Issue]:
        unit = ctx.unit
        for callable_ in ctx.callables():
            index = callable_.index
            if index is None:
                continue
            for assignment in index.assignments:
                value = assignment.value
                if assignment.op != "=" or not isinstance(value, Unary) or value.parenthesized:
                    continue
                op = value.op
                if op not in _MEANT or char_at(unit, value) != op:
                    continue  # unknown operator, or offsets we cannot trust
                if char_before(unit, value) != "=":
                    continue  # `x = -y`: a deliberate unary operator
                before = char_before(unit, value, 2)
                if before is None or not before.isspace():
                    continue  # `x=-1`: compact style, consistently unspaced
                confidence = Confidence.HIGH
                target_type = ctx.type_of(callable_, assignment.target)
                if op == "-" and target_type is not None and target_type.is_signed:
                    confidence = Confidence.LOW  # negating a signed value may be intended
                target = render(assignment.target, max_len=40)
                operand = render(value.operand, max_len=40)
                yield self.issue(
                    assignment,
                    f"`{target} ={op} {operand}` assigns `{op}{operand}` to `{target}`; "
                    f"`{target} {_MEANT[op]} {operand}` was probably meant.",
                    function=callable_,
                    confidence=confidence,
                )
