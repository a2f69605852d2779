"""Questions the quality detectors share: names a unit mentions, NatSpec above a line."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from weakref import WeakKeyDictionary

from contract_analyzer.ir.declarations import Callable, SourceUnit, StateVariable
from contract_analyzer.ir.nodes import Expr, Identifier, Member, MetaType, New, TypeExpr, Variable
from contract_analyzer.ir.types import TypeName


def unit_callables(unit: SourceUnit) -> Iterator[Callable]:
    yield from unit.functions
    for contract in unit.contracts:
        yield from contract.functions
        yield from contract.modifiers


def _type_names(t: TypeName | None, out: set[str]) -> None:
    while t is not None:
        if t.kind == "user":
            out.update(t.name.split("."))
            return
        if t.kind == "mapping":
            _type_names(t.key, out)
            t = t.value
        elif t.kind == "array":
            t = t.base
        else:
            return


def _variables_names(variables: Iterable[Variable | None], out: set[str]) -> None:
    for var in variables:
        if var is not None:
            _type_names(var.type_name, out)


def _expr_names(expr: Expr | None, out: set[str]) -> None:
    if expr is None:
        return
    for node in expr.walk():
        if isinstance(node, Identifier):
            out.add(node.name)
        elif isinstance(node, TypeExpr | New | MetaType):
            _type_names(node.type_name, out)


def _state_names(var: StateVariable, out: set[str]) -> None:
    _type_names(var.type_name, out)
    _expr_names(var.value, out)


_NAMES: WeakKeyDictionary[SourceUnit, frozenset[str]] = WeakKeyDictionary()


def names_used_in(unit: SourceUnit) -> frozenset[str]:
    """Every name the unit's code mentions: identifiers, type names, bases, modifiers,
    library names, names inside inline assembly (cached per unit)."""
    cached = _NAMES.get(unit)
    if cached is not None:
        return cached
    out: set[str] = set()
    for callable_ in unit_callables(unit):
        _variables_names(callable_.params, out)
        returns = getattr(callable_, "returns", [])
        _variables_names(returns, out)
        for invocation in getattr(callable_, "modifiers", []):
            out.update(invocation.name.split("."))
            for arg in invocation.args or ():
                _expr_names(arg, out)
        index = callable_.index
        if index is None:
            continue
        out.update(ident.name for ident in index.identifiers)
        _variables_names(index.locals, out)
        for node in index.nodes:
            if isinstance(node, TypeExpr | New | MetaType):
                _type_names(node.type_name, out)
        for assembly in index.assemblies:
            out.update(n.split(".", 1)[0] for n in assembly.identifiers)
    for contract in unit.contracts:
        for spec in contract.bases:
            out.update(spec.name.split("."))
            for arg in spec.args or ():
                _expr_names(arg, out)
        for var in contract.state_variables:
            _state_names(var, out)
        for struct in contract.structs:
            _variables_names(struct.members, out)
        for event in contract.events:
            _variables_names(event.params, out)
        for error in contract.errors:
            _variables_names(error.params, out)
        for using in contract.using_for:
            out.update(using.library.split("."))
            out.update(f.split(".")[0] for f in using.functions)
            _type_names(using.type_name, out)
    for const in unit.constants:
        _state_names(const, out)
    for struct in unit.structs:
        _variables_names(struct.members, out)
    for using in unit.using_for:
        out.update(using.library.split("."))
        out.update(f.split(".")[0] for f in using.functions)
        _type_names(using.type_name, out)
    for event in unit.events:
        _variables_names(event.params, out)
    for error in unit.errors:
        _variables_names(error.params, out)
    result = frozenset(out)
    _NAMES[unit] = result
    return result


def has_natspec(unit: SourceUnit, line: int) -> bool:
    """A NatSpec comment (``///`` or ``/** */``) sits in the run of comments and blank
    lines directly above ``line``."""
    ends = _comment_ends(unit)
    current = line - 1
    while current >= 1:
        comments = ends.get(current)
        if comments:
            start = min(first for first, _ in comments)
            if not unit.line_text(start).lstrip().startswith(("//", "/*")):
                return False  # a trailing comment after code
            if any(text.startswith(("///", "/**")) for _, text in comments):
                return True
            current = start - 1
        elif not unit.line_text(current).strip():
            current -= 1
        else:
            return False
    return False


_ENDS: WeakKeyDictionary[SourceUnit, dict[int, list[tuple[int, str]]]] = WeakKeyDictionary()


def _comment_ends(unit: SourceUnit) -> dict[int, list[tuple[int, str]]]:
    cached = _ENDS.get(unit)
    if cached is None:
        cached = {}
        for comment in unit.comments:
            cached.setdefault(comment.end_line, []).append((comment.line, comment.text))
        _ENDS[unit] = cached
    return cached


def member_names(expr: Expr) -> Iterator[str]:
    for node in expr.walk():
        if isinstance(node, Member):
            yield node.member
