"""Project-wide usage facts shared by the gas and quality detectors.

Who writes and reads each state variable, which function names are called
internally or referenced at all - across every unit of the project, since a derived
contract in another file may use what a base declares. Built once per project and
cached (weakly) on it, so a dozen detectors over many files share one pass.
"""

from __future__ import annotations

from collections.abc import Iterator
from weakref import WeakKeyDictionary

from contract_analyzer.ir.access import StateAccess
from contract_analyzer.ir.declarations import Callable, Contract, Function, StateVariable
from contract_analyzer.ir.nodes import Assembly, Call, Expr, Identifier, Member
from contract_analyzer.ir.project import Project
from contract_analyzer.ir.resolve import FunctionSet


class ProjectUsage:
    """Reads, writes and references over a whole project (see the module docstring)."""

    def __init__(self, project: Project) -> None:
        self.writes: dict[StateVariable, list[tuple[Callable, StateAccess]]] = {}
        self.read_vars: set[StateVariable] = set()
        self.loose_names: set[str] = set()
        """Names used where resolution does not reach: modifier and base-constructor
        arguments, inline assembly, ``Contract.member`` accesses."""
        self.assembly_names: set[str] = set()
        self._raw_writers: set[int] = set()  # contracts with sstore/delegatecall/callcode
        self._raw_storage: set[int] | None = None
        self.internal_call_names: set[str] = set()
        """Functions called internally (``f()``, ``super.f()``, ``Base.f()``) or taken
        as internal function values."""
        self.referenced_functions: set[str] = set()
        """Every function name referenced in any way (calls of any kind, pointers)."""
        self._contracts = list(project.all_contracts())
        for callable_ in callables(project):
            self._scan(callable_)
        for contract in project.all_contracts():
            self._scan_declarations(contract)
        for unit in project.units:
            for directive in unit.using_for:
                self.referenced_functions.update(n.rsplit(".", 1)[-1] for n in directive.functions)

    def _scan(self, callable_: Callable) -> None:
        facts = callable_.facts
        if facts is not None:
            for access in facts.state_writes:
                self.writes.setdefault(access.var, []).append((callable_, access))
            self.read_vars.update(a.var for a in facts.state_reads)
        if isinstance(callable_, Function):
            for invocation in callable_.modifiers:
                for arg in invocation.args or ():
                    self._scan_loose(arg)
        index = callable_.index
        if index is None:
            return
        contract = callable_.contract
        if contract is not None and _writes_raw_storage(callable_):
            self._raw_writers.add(id(contract))
        for ident in index.identifiers:
            if isinstance(ident.ref, FunctionSet):
                self.referenced_functions.add(ident.name)
                if not _is_external_member_callee(ident):
                    self.internal_call_names.add(ident.name)
        for call in index.calls:
            target = call.target
            if isinstance(target, Function):
                self.referenced_functions.add(target.name)
                if call.kind == "internal":
                    self.internal_call_names.add(target.name)
            elif call.kind == "unknown" and isinstance(call.callee, Identifier):
                self.internal_call_names.add(call.callee.name)
                self.referenced_functions.add(call.callee.name)
            if isinstance(call.callee, Member) and call.kind in ("library", "internal"):
                self.referenced_functions.add(call.callee.member)
        for member in index.members:
            base = member.base
            if isinstance(base, Identifier) and isinstance(base.ref, Contract):
                self.loose_names.add(member.member)
                self.referenced_functions.add(member.member)
        for assembly in index.assemblies:
            self._scan_assembly(assembly)

    def _scan_assembly(self, assembly: Assembly) -> None:
        for name in assembly.identifiers:
            root = name.split(".", 1)[0]
            self.loose_names.add(root)
            self.assembly_names.add(root)
        for call in assembly.calls:
            self.loose_names.add(call.name)

    def _scan_declarations(self, contract: Contract) -> None:
        for directive in contract.using_for:
            self.referenced_functions.update(n.rsplit(".", 1)[-1] for n in directive.functions)
        for spec in contract.bases:
            for arg in spec.args or ():
                self._scan_loose(arg)
        for var in contract.state_variables:
            if var.value is not None:
                self._scan_loose(var.value)

    def _scan_loose(self, expr: Expr) -> None:
        for node in expr.walk():
            if isinstance(node, Identifier):
                self.loose_names.add(node.name)
                self.internal_call_names.add(node.name)
                self.referenced_functions.add(node.name)
                if isinstance(node.ref, StateVariable):
                    self.read_vars.add(node.ref)
            elif isinstance(node, Member):
                self.loose_names.add(node.member)
                self.referenced_functions.add(node.member)
            elif isinstance(node, Call) and isinstance(node.target, Function):
                self.referenced_functions.add(node.target.name)

    # ------------------------------------------------------------------ questions
    def is_read(self, var: StateVariable) -> bool:
        return var in self.read_vars or var.name in self.loose_names

    def writers(self, var: StateVariable) -> list[tuple[Callable, StateAccess]]:
        return self.writes.get(var, [])

    def maybe_written_elsewhere(self, var: StateVariable) -> bool:
        """Inline assembly names the variable (it may ``sstore`` to its slot), or the
        contract's storage is written by slot number or by delegated code."""
        if var.name in self.assembly_names:
            return True
        return var.contract is not None and id(var.contract) in self._raw_storage_contracts()

    def _raw_storage_contracts(self) -> set[int]:
        """Contracts whose storage some code may write without naming the variables: an
        ``sstore`` or ``delegatecall`` in them or in a contract deriving from them."""
        if self._raw_storage is None:
            self._raw_storage = set()
            for contract in self._contracts:
                if id(contract) in self._raw_writers:
                    self._raw_storage.update(id(c) for c in contract.linearization or [contract])
        return self._raw_storage


def _writes_raw_storage(callable_: Callable) -> bool:
    index = callable_.index
    if index is None:
        return False
    for assembly in index.assemblies:
        for call in assembly.calls:
            # `sstore(x.slot, v)` names its variable (see assembly_names); any other
            # slot expression may hit any variable
            if call.name == "sstore" and not (call.args and call.args[0].endswith(".slot")):
                return True
    facts = callable_.facts
    return facts is not None and any(
        e.kind in ("delegatecall", "callcode") for e in facts.external_calls
    )


def _is_external_member_callee(ident: Identifier) -> bool:
    parent = ident.parent
    return isinstance(parent, Member) and parent.base is not ident


def callables(project: Project) -> Iterator[Callable]:
    """Every function and modifier of every unit of ``project``."""
    for unit in project.units:
        yield from unit.functions
        for contract in unit.contracts:
            yield from contract.functions
            yield from contract.modifiers


_CACHE: WeakKeyDictionary[Project, ProjectUsage] = WeakKeyDictionary()


def usage_of(project: Project) -> ProjectUsage:
    """The (cached) usage facts of ``project``."""
    usage = _CACHE.get(project)
    if usage is None:
        usage = ProjectUsage(project)
        _CACHE[project] = usage
    return usage
