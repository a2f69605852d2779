"""What a detector sees: one source unit inside its project, plus shared helpers."""

from __future__ import annotations

from collections.abc import Iterator

from contract_analyzer.ir.declarations import Callable, Contract, Function, Modifier, SourceUnit
from contract_analyzer.ir.facts import FunctionFacts, facts_of_callable
from contract_analyzer.ir.guards import Guard, GuardAnalysis
from contract_analyzer.ir.nodes import Expr, Stmt
from contract_analyzer.ir.project import Project
from contract_analyzer.ir.taint import Labels, Taint
from contract_analyzer.ir.types import TypeName
from contract_analyzer.ir.versions import VersionRange


class Context:
    """The unit under analysis and the answers detectors share."""

    def __init__(self, unit: SourceUnit, project: Project) -> None:
        self.unit = unit
        self.project = project
        self.guards: GuardAnalysis = project.guard_analysis or GuardAnalysis()
        self._taint: dict[int, Taint] = {}

    # ------------------------------------------------------------------ iteration
    @property
    def contracts(self) -> list[Contract]:
        """Contracts declared in this file (interfaces and libraries included)."""
        return self.unit.contracts

    @property
    def version(self) -> VersionRange | None:
        return self.unit.version

    def functions(self, *, with_body: bool = True) -> Iterator[Function]:
        """Functions declared in this file (free functions too), in source order."""
        for contract in self.unit.contracts:
            for function in contract.functions:
                if not with_body or function.body is not None:
                    yield function
        for function in self.unit.functions:
            if not with_body or function.body is not None:
                yield function

    def callables(self) -> Iterator[Callable]:
        """Functions and modifiers declared in this file that have a body."""
        yield from self.functions()
        for contract in self.unit.contracts:
            for modifier in contract.modifiers:
                if modifier.body is not None:
                    yield modifier

    def modifiers(self) -> Iterator[Modifier]:
        for contract in self.unit.contracts:
            yield from contract.modifiers

    # ------------------------------------------------------------------ facts
    @staticmethod
    def facts(callable_: Callable) -> FunctionFacts:
        return facts_of_callable(callable_)

    def taint(self, callable_: Callable) -> Taint:
        cached = self._taint.get(id(callable_))
        if cached is None:
            cached = Taint(callable_)
            self._taint[id(callable_)] = cached
        return cached

    def sources(self, callable_: Callable, expr: Expr | None) -> Labels:
        return self.taint(callable_).sources(expr)

    @staticmethod
    def type_of(callable_: Callable, expr: Expr | None) -> TypeName | None:
        scope = callable_.scope
        return scope.type_of(expr) if scope is not None else None

    def guards_at(self, function: Callable, stmt: Stmt | None) -> list[Guard]:
        """Access checks covering ``stmt``: the function's own (modifiers, body) and any
        enclosing ``if``/``require`` before it."""
        guards: list[Guard] = []
        if isinstance(function, Function):
            guards.extend(self.facts(function).guards)
        if stmt is not None:
            guards.extend(self.guards.statement_guards(stmt, function))
        return guards

    def is_protected_at(self, function: Callable, stmt: Stmt | None) -> bool:
        """A privileged access check covers ``stmt``."""
        return any(g.privileged for g in self.guards_at(function, stmt))

    def reachable(self, function: Callable) -> bool:
        """Anyone can make this code run (see ``FunctionFacts.reachable_by_anyone``)."""
        return isinstance(function, Function) and self.facts(function).reachable_by_anyone

    # ------------------------------------------------------------------ versions
    def arithmetic_checked(self) -> bool | None:
        """``True`` when every allowed compiler checks overflow (≥ 0.8), ``False`` when
        none does, ``None`` when the pragma allows both or is unknown."""
        version = self.unit.version
        if version is None:
            return None
        if not version.allows_below((0, 8, 0)):
            return True
        if not version.allows_at_or_above((0, 8, 0)):
            return False
        return None

    def allows_legacy(self, below: tuple[int, int, int] = (0, 5, 0)) -> bool:
        """The file may be compiled by a compiler older than ``below``."""
        version = self.unit.version
        return version is None or version.allows_below(below)
