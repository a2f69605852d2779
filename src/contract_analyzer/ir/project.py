"""A set of source units analysed together: inheritance, lookup across files.

The loader (:mod:`contract_analyzer.loader`) reads files and links imports; a
:class:`Project` then linearises inheritance (C3, as the compiler does), resolves
names in every body and computes the shared facts (:mod:`ir.facts`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from contract_analyzer.ir.declarations import (
    Contract,
    EnumDef,
    ErrorDef,
    EventDef,
    Function,
    SourceUnit,
    StateVariable,
    StructDef,
)
from contract_analyzer.ir.guards import GuardAnalysis
from contract_analyzer.ir.index import index_unit


class Project:
    """Source units that may refer to each other."""

    def __init__(self, units: Iterable[SourceUnit]) -> None:
        self.units: list[SourceUnit] = list(units)
        self._by_name: dict[str, list[Contract]] = {}
        for unit in self.units:
            for contract in unit.contracts:
                self._by_name.setdefault(contract.name, []).append(contract)
        self._visible: dict[int, list[SourceUnit]] = {}
        self._built = False
        self.guard_analysis: GuardAnalysis | None = None
        self.symbol_cache: dict[int, dict[str, object]] = {}

    # ------------------------------------------------------------------ lookup
    def visible_units(self, unit: SourceUnit) -> list[SourceUnit]:
        """``unit`` and every unit it imports, directly or not (own file first)."""
        key = id(unit)
        cached = self._visible.get(key)
        if cached is not None:
            return cached
        seen: dict[int, SourceUnit] = {id(unit): unit}
        stack = [unit]
        while stack:
            current = stack.pop()
            for imp in current.imports:
                target = imp.resolved
                if target is not None and id(target) not in seen:
                    seen[id(target)] = target
                    stack.append(target)
        result = list(seen.values())
        self._visible[key] = result
        return result

    def find_contract(self, name: str, unit: SourceUnit | None = None) -> Contract | None:
        """The contract called ``name`` as seen from ``unit`` (qualified names allowed)."""
        short = name.rsplit(".", 1)[-1]
        candidates = self._by_name.get(short)
        if not candidates and unit is not None:
            # `import {Lib as Alias} from "..."`: the alias names the imported contract
            for imp in unit.imports:
                for symbol in imp.symbols:
                    if symbol.alias == short and symbol.name != short:
                        return self.find_contract(symbol.name, imp.resolved or unit)
        if not candidates:
            return None
        if len(candidates) == 1 or unit is None:
            return candidates[0]
        visible = self.visible_units(unit)
        for candidate_unit in visible:
            for contract in candidates:
                if contract.unit is candidate_unit:
                    return contract
        return candidates[0]

    def file_level(self, unit: SourceUnit) -> Iterator[SourceUnit]:
        yield from self.visible_units(unit)

    def find_file_struct(self, name: str, unit: SourceUnit) -> StructDef | None:
        for u in self.visible_units(unit):
            for struct in u.structs:
                if struct.name == name:
                    return struct
        return None

    def find_file_enum(self, name: str, unit: SourceUnit) -> EnumDef | None:
        for u in self.visible_units(unit):
            for enum in u.enums:
                if enum.name == name:
                    return enum
        return None

    def find_file_functions(self, name: str, unit: SourceUnit) -> list[Function]:
        out: list[Function] = []
        for u in self.visible_units(unit):
            out.extend(f for f in u.functions if f.name == name)
        return out

    def find_file_constant(self, name: str, unit: SourceUnit) -> StateVariable | None:
        for u in self.visible_units(unit):
            for const in u.constants:
                if const.name == name:
                    return const
        return None

    def find_file_error(self, name: str, unit: SourceUnit) -> ErrorDef | None:
        for u in self.visible_units(unit):
            for error in u.errors:
                if error.name == name:
                    return error
        return None

    def find_file_event(self, name: str, unit: SourceUnit) -> EventDef | None:
        for u in self.visible_units(unit):
            for event in u.events:
                if event.name == name:
                    return event
        return None

    def all_contracts(self) -> Iterator[Contract]:
        for unit in self.units:
            yield from unit.contracts

    # ------------------------------------------------------------------ building
    def build(self) -> Project:
        """Index, linearise, resolve and compute facts (idempotent)."""
        if self._built:
            return self
        self._built = True
        from contract_analyzer.ir.facts import compute_facts
        from contract_analyzer.ir.resolve import resolve_project

        for unit in self.units:
            index_unit(unit)
        in_progress: set[int] = set()
        for contract in self.all_contracts():
            self._linearize(contract, in_progress)
        resolve_project(self)
        compute_facts(self)
        return self

    def _linearize(self, contract: Contract, in_progress: set[int]) -> list[Contract]:
        if contract.linearization:
            return contract.linearization
        if id(contract) in in_progress:
            return [contract]  # inheritance cycle: broken code, stop here
        in_progress.add(id(contract))
        bases: list[Contract] = []
        for spec in contract.bases:
            base = self.find_contract(spec.name, contract.unit)
            if base is None or base is contract:
                contract.unresolved_bases.append(spec.name)
            else:
                bases.append(base)
        sequences = [list(self._linearize(b, in_progress)) for b in reversed(bases)]
        sequences.append(list(reversed(bases)))
        merged = _c3_merge(sequences)
        if merged is None:
            contract.linearization_failed = True
            merged = _dfs_order(bases, self, in_progress)
        contract.linearization = [contract, *merged]
        in_progress.discard(id(contract))
        return contract.linearization


def _c3_merge(sequences: list[list[Contract]]) -> list[Contract] | None:
    result: list[Contract] = []
    seqs = [list(s) for s in sequences if s]
    while seqs:
        for seq in seqs:
            head = seq[0]
            if not any(head in other[1:] for other in seqs):
                break
        else:
            return None
        result.append(head)
        seqs = [[c for c in s if c is not head] for s in seqs]
        seqs = [s for s in seqs if s]
    return result


def _dfs_order(bases: list[Contract], project: Project, in_progress: set[int]) -> list[Contract]:
    out: list[Contract] = []
    for base in reversed(bases):
        for c in project._linearize(base, in_progress):
            if c not in out:
                out.append(c)
    return out
