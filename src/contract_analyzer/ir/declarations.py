"""Declarations of the IR: source units, contracts, functions, state variables.

Syntax facts are filled in by the converter; semantic facts (inheritance,
resolution, call graph, guards) by :mod:`ir.resolve` and :mod:`ir.facts`, and kept
on the objects so every detector reads the same answers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from contract_analyzer.ir.nodes import Block, Expr, Node, Variable
from contract_analyzer.ir.types import TypeName

if TYPE_CHECKING:
    from contract_analyzer.ir.facts import FunctionFacts
    from contract_analyzer.ir.index import FunctionIndex
    from contract_analyzer.ir.resolve import Scope
    from contract_analyzer.ir.versions import VersionRange


@dataclass(eq=False)
class Span:
    line: int
    end_line: int
    col: int = 1


@dataclass(eq=False)
class Comment:
    line: int
    end_line: int
    text: str


@dataclass(eq=False)
class SyntaxProblem:
    """A place where the source did not parse (an ERROR or MISSING node)."""

    line: int
    col: int
    message: str


@dataclass(eq=False)
class Pragma:
    name: str
    value: str
    line: int


@dataclass(eq=False)
class ImportSymbol:
    name: str
    alias: str | None


@dataclass(eq=False)
class Import:
    path: str
    line: int
    symbols: list[ImportSymbol] = field(default_factory=list)
    unit_alias: str | None = None
    resolved: SourceUnit | None = None


@dataclass(eq=False)
class InheritanceSpec:
    name: str
    args: list[Expr] | None
    line: int


@dataclass(eq=False)
class ModifierInvocation:
    """A modifier (or, on a constructor, a base constructor call) in a header."""

    name: str
    args: list[Expr] | None
    line: int
    ref: Modifier | Contract | None = None


@dataclass(eq=False)
class StateVariable:
    name: str
    type_name: TypeName
    visibility: str | None
    constant: bool
    immutable: bool
    value: Expr | None
    span: Span
    contract: Contract | None = None
    is_override: bool = False

    @property
    def line(self) -> int:
        return self.span.line

    @property
    def effective_visibility(self) -> str:
        return self.visibility or "internal"

    def __repr__(self) -> str:
        return f"StateVariable({self.name})"


@dataclass(eq=False)
class EventDef:
    name: str
    params: list[Variable]
    line: int
    anonymous: bool = False


@dataclass(eq=False)
class ErrorDef:
    name: str
    params: list[Variable]
    line: int


@dataclass(eq=False)
class StructDef:
    name: str
    members: list[Variable]
    line: int

    def member_type(self, name: str) -> TypeName | None:
        for member in self.members:
            if member.name == name:
                return member.type_name
        return None


@dataclass(eq=False)
class EnumDef:
    name: str
    values: list[str]
    line: int


@dataclass(eq=False)
class UsingFor:
    library: str
    type_name: TypeName | None  # None = ``*``
    line: int
    functions: list[str] = field(default_factory=list)


@dataclass(eq=False)
class Callable:
    """Shared shape of functions and modifiers."""

    name: str
    params: list[Variable]
    body: Block | None
    span: Span
    contract: Contract | None
    virtual: bool = False
    is_override: bool = False
    # Filled by ir.index and ir.resolve:
    index: FunctionIndex | None = field(default=None, repr=False)
    scope: Scope | None = field(default=None, repr=False)
    # Filled by ir.facts:
    facts: FunctionFacts | None = field(default=None, repr=False)

    @property
    def line(self) -> int:
        return self.span.line

    @property
    def qualified_name(self) -> str:
        return f"{self.contract.name}.{self.name}" if self.contract else self.name

    def nodes(self) -> list[Node]:
        """All nodes of the body in source order (from the index)."""
        return self.index.nodes if self.index else []


@dataclass(eq=False, repr=False)
class Modifier(Callable):
    def __repr__(self) -> str:
        return f"Modifier({self.qualified_name})"


@dataclass(eq=False, repr=False)
class Function(Callable):
    """A function, constructor, fallback or receive function.

    ``kind`` is ``function``, ``constructor``, ``fallback`` or ``receive``.
    ``visibility`` is what the source says (``None`` when omitted);
    ``effective_visibility`` applies the language default. ``mutability`` is one of
    ``nonpayable``, ``payable``, ``view``, ``pure`` (legacy ``constant`` is ``view``).
    """

    kind: str = "function"
    visibility: str | None = None
    mutability: str = "nonpayable"
    legacy_constant: bool = False
    legacy_constructor: bool = False
    modifiers: list[ModifierInvocation] = field(default_factory=list)
    returns: list[Variable] = field(default_factory=list)
    header_end_line: int = 0

    def __repr__(self) -> str:
        return f"Function({self.qualified_name})"

    @property
    def effective_visibility(self) -> str:
        if self.visibility:
            return self.visibility
        if self.kind in ("fallback", "receive"):
            return "external"
        if self.contract is not None and self.contract.kind == "interface":
            return "external"
        return "public"

    @property
    def is_public(self) -> bool:
        """Callable from outside (public or external), constructors excluded."""
        return self.kind != "constructor" and self.effective_visibility in ("public", "external")

    @property
    def is_constructor(self) -> bool:
        return self.kind == "constructor"

    @property
    def is_view(self) -> bool:
        return self.mutability in ("view", "pure")

    @property
    def is_payable(self) -> bool:
        return self.mutability == "payable"

    @property
    def has_body(self) -> bool:
        return self.body is not None

    @property
    def signature(self) -> str:
        types = ",".join(str(p.type_name) if p.type_name else "var" for p in self.params)
        return f"{self.name}({types})"


@dataclass(eq=False)
class Contract:
    """A contract, abstract contract, interface or library.

    ``linearization`` is the C3 order (this contract first); ``unresolved_bases``
    names bases that no visible file declares.
    """

    name: str
    kind: str  # contract | interface | library
    abstract: bool
    bases: list[InheritanceSpec]
    span: Span
    unit: SourceUnit
    state_variables: list[StateVariable] = field(default_factory=list)
    functions: list[Function] = field(default_factory=list)
    modifiers: list[Modifier] = field(default_factory=list)
    events: list[EventDef] = field(default_factory=list)
    errors: list[ErrorDef] = field(default_factory=list)
    structs: list[StructDef] = field(default_factory=list)
    enums: list[EnumDef] = field(default_factory=list)
    using_for: list[UsingFor] = field(default_factory=list)
    # Filled by ir.resolve:
    linearization: list[Contract] = field(default_factory=list, repr=False)
    unresolved_bases: list[str] = field(default_factory=list)
    linearization_failed: bool = False

    def __repr__(self) -> str:
        return f"Contract({self.name})"

    @property
    def line(self) -> int:
        return self.span.line

    @property
    def is_interface(self) -> bool:
        return self.kind == "interface"

    @property
    def is_library(self) -> bool:
        return self.kind == "library"

    @property
    def ancestors(self) -> list[Contract]:
        """Resolved base contracts, most derived first (linearization without self)."""
        return self.linearization[1:]

    @property
    def has_unknown_bases(self) -> bool:
        """True when this contract or one of its ancestors inherits from a contract
        no visible file declares: guards and state may hide there."""
        return any(c.unresolved_bases for c in self.linearization or [self])

    def inherits_from(self, name: str) -> bool:
        return any(c.name == name for c in self.linearization[1:]) or name in self.unresolved_bases

    # -- members through inheritance ---------------------------------------------------
    def all_state_variables(self) -> list[StateVariable]:
        """State variables in storage order: most base first."""
        out: list[StateVariable] = []
        for contract in reversed(self.linearization or [self]):
            out.extend(contract.state_variables)
        return out

    def find_state_variable(self, name: str) -> StateVariable | None:
        for contract in self.linearization or [self]:
            for var in contract.state_variables:
                if var.name == name:
                    return var
        return None

    def find_functions(self, name: str) -> list[Function]:
        """Functions visible under ``name``, most derived first."""
        out: list[Function] = []
        for contract in self.linearization or [self]:
            out.extend(f for f in contract.functions if f.name == name)
        return out

    def find_modifier(self, name: str) -> Modifier | None:
        for contract in self.linearization or [self]:
            for mod in contract.modifiers:
                if mod.name == name:
                    return mod
        return None

    def find_event(self, name: str) -> EventDef | None:
        for contract in self.linearization or [self]:
            for event in contract.events:
                if event.name == name:
                    return event
        return None

    def find_struct(self, name: str) -> StructDef | None:
        for contract in self.linearization or [self]:
            for struct in contract.structs:
                if struct.name == name:
                    return struct
        return None

    def find_enum(self, name: str) -> EnumDef | None:
        for contract in self.linearization or [self]:
            for enum in contract.enums:
                if enum.name == name:
                    return enum
        return None

    def callable_functions(self) -> list[Function]:
        """Every function a deployed instance has: own and inherited, overridden ones
        removed (by signature), most derived first."""
        seen: set[str] = set()
        out: list[Function] = []
        for contract in self.linearization or [self]:
            for function in contract.functions:
                key = function.signature if function.kind == "function" else function.kind
                if key in seen:
                    continue
                seen.add(key)
                out.append(function)
        return out

    def constructor(self) -> Function | None:
        for function in self.functions:
            if function.kind == "constructor":
                return function
        return None


@dataclass(eq=False)
class SourceUnit:
    """One Solidity file."""

    path: str
    text: str
    lines: list[str]
    pragmas: list[Pragma] = field(default_factory=list)
    imports: list[Import] = field(default_factory=list)
    contracts: list[Contract] = field(default_factory=list)
    functions: list[Function] = field(default_factory=list)
    structs: list[StructDef] = field(default_factory=list)
    enums: list[EnumDef] = field(default_factory=list)
    errors: list[ErrorDef] = field(default_factory=list)
    events: list[EventDef] = field(default_factory=list)
    constants: list[StateVariable] = field(default_factory=list)
    using_for: list[UsingFor] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    syntax_problems: list[SyntaxProblem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    syntax_hints: set[str] = field(default_factory=set)
    repaired_errors: set[int] = field(default_factory=set)  # byte offsets of understood ERRORs
    wrapped_fragment: bool = False
    version: VersionRange | None = None
    disk_path: Path | None = None

    def __repr__(self) -> str:
        return f"SourceUnit({self.path})"

    def line_text(self, line: int) -> str:
        if 1 <= line <= len(self.lines):
            return self.lines[line - 1]
        return ""

    def snippet(self, line: int, end_line: int | None = None, max_lines: int = 3) -> str:
        end = min(end_line or line, line + max_lines - 1)
        return "\n".join(self.line_text(n) for n in range(line, end + 1)).rstrip()

    def find_contract(self, name: str) -> Contract | None:
        for contract in self.contracts:
            if contract.name == name:
                return contract
        return None
