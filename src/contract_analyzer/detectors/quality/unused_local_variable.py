"""Local variables declared (and perhaps assigned) but never read."""

from __future__ import annotations

from collections.abc import Iterator

from contract_analyzer.detectors.base import QUALITY, Confidence, Detector, Issue, Severity
from contract_analyzer.detectors.context import Context
from contract_analyzer.ir.declarations import Function
from contract_analyzer.ir.nodes import Assignment, CatchClause, Identifier, Node, Try, TupleExpr


class UnusedLocalVariable(Detector):
    id = "unused_local_variable"
    title = "Unused local variable"
    severity = Severity.INFO
    confidence = Confidence.HIGH
    types = QUALITY
    description = (
        "A local variable is declared but its value is never read. It is usually left over "
        "from a refactoring, or a sign that a result that should be checked is ignored."
    )
    recommendation = (
        "Remove the variable; in a tuple assignment leave its slot empty: `(bool ok, ) = ...`."
    )

    def detect(self, ctx: Context) -> Iterator[Issue]:
        for callable_ in ctx.callables():
            index = callable_.index
            if index is None or not index.locals:
                continue
            read: set[int] = set()
            written: set[int] = set()
            for ident in index.identifiers:
                ref = ident.ref
                if ref is None:
                    continue
                if _pure_write(ident):
                    written.add(id(ref))
                else:
                    read.add(id(ref))
            in_assembly: set[str] = set()
            for assembly in index.assemblies:
                in_assembly.update(n.split(".", 1)[0] for n in assembly.identifiers)
            for var in index.locals:
                if (
                    not var.name
                    or id(var) in read
                    or var.name in in_assembly
                    or isinstance(var.parent, Try | CatchClause)
                ):
                    continue
                what = "is assigned but never read" if id(var) in written else "is never used"
                yield self.issue(
                    var,
                    f"Local variable `{var.name}` in `{callable_.name}` {what}.",
                    function=callable_ if isinstance(callable_, Function) else None,
                    contract=callable_.contract,
                )


def _pure_write(ident: Identifier) -> bool:
    """``x = ...`` or ``(x, y) = ...``: the name is only a destination."""
    child: Node = ident
    parent = ident.parent
    while isinstance(parent, TupleExpr):
        child, parent = parent, parent.parent
    return isinstance(parent, Assignment) and parent.op == "=" and parent.target is child
