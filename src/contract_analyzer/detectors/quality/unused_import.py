"""Imports from which the file uses nothing."""

from __future__ import annotations

from collections.abc import Iterator

from contract_analyzer.detectors.base import QUALITY, Confidence, Detector, Issue, Severity
from contract_analyzer.detectors.context import Context
from contract_analyzer.detectors.quality._util import names_used_in
from contract_analyzer.ir.declarations import Import, SourceUnit


class UnusedImport(Detector):
    id = "unused_import"
    title = "Unused import"
    severity = Severity.INFO
    confidence = Confidence.MEDIUM
    types = QUALITY
    description = (
        "The file imports symbols (or a whole file) that none of its code refers to. "
        "Unused imports slow compilation and mislead readers about dependencies."
    )
    recommendation = 'Remove the import, or import only what is used: `import {A} from "./A.sol";`.'

    def detect(self, ctx: Context) -> Iterator[Issue]:
        if not ctx.unit.imports:
            return
        used = names_used_in(ctx.unit)
        for imp in ctx.unit.imports:
            message = self._unused(ctx, imp, used)
            if message:
                yield self.issue(None, message, line=imp.line)

    @staticmethod
    def _unused(ctx: Context, imp: Import, used: frozenset[str]) -> str:
        if imp.symbols:
            unused = [s.alias or s.name for s in imp.symbols if (s.alias or s.name) not in used]
            if not unused:
                return ""
            names = ", ".join(f"`{n}`" for n in unused)
            many = len(unused) > 1
            return (
                f'{names} imported from "{imp.path}" {"are" if many else "is"} never used in '
                "this file."
            )
        if imp.unit_alias:
            if imp.unit_alias in used:
                return ""
            return f'The import of "{imp.path}" as `{imp.unit_alias}` is never used.'
        if imp.resolved is None:
            return ""  # what it declares is unknown: stay quiet
        declared = _declared_names(ctx, imp.resolved)
        if not declared or declared & used:
            return ""
        return f'Nothing that "{imp.path}" declares (or imports) is used in this file.'


def _declared_names(ctx: Context, unit: SourceUnit) -> set[str]:
    names: set[str] = set()
    for visible in ctx.project.visible_units(unit):
        names.update(c.name for c in visible.contracts)
        names.update(f.name for f in visible.functions)
        names.update(s.name for s in visible.structs)
        names.update(e.name for e in visible.enums)
        names.update(e.name for e in visible.errors)
        names.update(e.name for e in visible.events)
        names.update(c.name for c in visible.constants)
    return names
