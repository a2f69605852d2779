"""Name resolution and light type inference, without a compiler.

For every function and modifier body a :class:`Scope` binds each identifier to what it
names (a local, parameter, state variable - own or inherited -, function, modifier,
event, contract, struct, enum or global), infers the types it can, and classifies
every call: internal, external (on a contract value), low-level (``call``, ``send``...),
library, builtin, conversion, event, struct constructor or ``new``.
"""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING

from contract_analyzer.ir.builtins import (
    BUILTINS,
    ETHER_TRANSFERS,
    FUNCTION_RESULT_TYPES,
    LOW_LEVEL_CALLS,
    MEMBER_TYPES,
    Builtin,
)
from contract_analyzer.ir.declarations import (
    Callable,
    Contract,
    EnumDef,
    ErrorDef,
    EventDef,
    Function,
    Modifier,
    SourceUnit,
    StateVariable,
    StructDef,
)
from contract_analyzer.ir.nodes import (
    Assignment,
    Binary,
    Call,
    Conditional,
    Expr,
    Identifier,
    Index,
    Literal,
    Member,
    MetaType,
    New,
    Slice,
    TupleExpr,
    TypeExpr,
    Unary,
    Update,
    VarDecl,
    Variable,
)
from contract_analyzer.ir.types import (
    ADDRESS,
    ADDRESS_PAYABLE,
    BOOL,
    BYTES,
    STRING,
    UINT256,
    TypeName,
)

if TYPE_CHECKING:
    from contract_analyzer.ir.project import Project

_COMPARISONS = frozenset({"==", "!=", "<", ">", "<=", ">=", "&&", "||"})
_CHAIN_MEMBERS = frozenset({"value", "gas"})
_ARRAY_BUILTINS = frozenset({"push", "pop"})


class FunctionSet:
    """An identifier that names one or more (overloaded) functions."""

    __slots__ = ("functions",)

    def __init__(self, functions: list[Function]) -> None:
        self.functions = functions

    def __repr__(self) -> str:
        return f"FunctionSet({self.functions})"


def resolve_project(project: Project) -> None:
    for unit in project.units:
        for function in unit.functions:
            Scope(project, unit, None, function).resolve_body()
        for contract in unit.contracts:
            for callable_ in (*contract.functions, *contract.modifiers):
                Scope(project, unit, contract, callable_).resolve_body()
            initializer_scope = Scope(project, unit, contract, None)
            for var in contract.state_variables:
                if var.value is not None:
                    initializer_scope.resolve_tree(var.value)
            for function in contract.functions:
                scope = function.scope
                for invocation in function.modifiers:
                    invocation.ref = contract.find_modifier(
                        invocation.name
                    ) or project.find_contract(invocation.name, unit)
                    if scope is not None:
                        for arg in invocation.args or ():
                            scope.resolve_tree(arg)


class Scope:
    """What names mean inside one function or modifier (or a state variable initializer)."""

    def __init__(
        self,
        project: Project,
        unit: SourceUnit,
        contract: Contract | None,
        callable_: Callable | None,
    ) -> None:
        self.project = project
        self.unit = unit
        self.contract = contract
        self.callable = callable_
        self._locals: dict[str, list[tuple[int, Variable]]] = {}
        if callable_ is not None:
            callable_.scope = self
            for var in callable_.params:
                self._add_local(var, -1)
            if isinstance(callable_, Function):
                for var in callable_.returns:
                    self._add_local(var, -1)
            if callable_.index is not None:
                for var in callable_.index.locals:
                    self._add_local(var, getattr(var, "start", 0))
        for entries in self._locals.values():
            entries.sort(key=lambda e: e[0])

    def _add_local(self, var: Variable, position: int) -> None:
        if var.name:
            self._locals.setdefault(var.name, []).append((position, var))

    # ------------------------------------------------------------------ driving
    def resolve_body(self) -> None:
        callable_ = self.callable
        if callable_ is None or callable_.index is None:
            return
        index = callable_.index
        for ident in index.identifiers:
            ident.ref = self.lookup(ident.name, ident.start)
        for call in index.calls:
            self.classify_call(call)

    def resolve_tree(self, expr: Expr) -> None:
        """Resolve an expression outside any body (a state variable initializer)."""
        for node in expr.walk():
            if isinstance(node, Identifier):
                node.ref = self.lookup(node.name, node.start)
        for node in expr.walk():
            if isinstance(node, Call):
                self.classify_call(node)

    # ------------------------------------------------------------------ names
    def lookup(self, name: str, position: int = 1 << 60) -> object | None:
        entries = self._locals.get(name)
        if entries:
            if len(entries) == 1:
                return entries[0][1]
            keys = [e[0] for e in entries]
            i = bisect.bisect_right(keys, position) - 1
            return entries[max(i, 0)][1]
        if self.contract is not None:
            found = _contract_symbols(self.contract).get(name)
            if found is not None:
                return found
        return self._unit_symbols().get(name)

    def _unit_symbols(self) -> dict[str, object]:
        """Names visible at file level from this unit (contracts, free functions,
        file-level structs/enums/errors/events/constants, then globals)."""
        cache = self.project.symbol_cache
        key = id(self.unit)
        table = cache.get(key)
        if table is not None:
            return table
        table = {}
        project, unit = self.project, self.unit
        for u in reversed(project.visible_units(unit)):
            for function in u.functions:
                existing = table.get(function.name)
                if isinstance(existing, FunctionSet):
                    existing.functions.append(function)
                else:
                    table[function.name] = FunctionSet([function])
            named: list[StateVariable | StructDef | EnumDef | ErrorDef | EventDef] = [
                *u.constants,
                *u.structs,
                *u.enums,
                *u.errors,
                *u.events,
            ]
            for item in named:
                table[item.name] = item
            for contract in u.contracts:
                table[contract.name] = contract
        for name, builtin in BUILTINS.items():
            table.setdefault(name, builtin)
        cache[key] = table
        return table

    def resolve_user_type(self, type_name: TypeName) -> Contract | StructDef | EnumDef | None:
        """What a user-defined type name refers to (``None`` when nothing visible declares it)."""
        if type_name.kind != "user":
            return None
        parts = type_name.name.split(".")
        name = parts[-1]
        if len(parts) > 1:
            owner = self.project.find_contract(parts[-2], self.unit)
            if owner is not None:
                return owner.find_struct(name) or owner.find_enum(name)
        if self.contract is not None:
            found = self.contract.find_struct(name) or self.contract.find_enum(name)
            if found is not None:
                return found
        return (
            self.project.find_contract(name, self.unit)
            or self.project.find_file_struct(name, self.unit)
            or self.project.find_file_enum(name, self.unit)
        )

    def is_contract_type(self, type_name: TypeName | None) -> bool:
        """A user type that is a contract or interface, or that no visible file declares
        (unresolved imports are most often interfaces)."""
        if type_name is None or type_name.kind != "user":
            return False
        target = self.resolve_user_type(type_name)
        if target is None:
            return True
        return isinstance(target, Contract) and not target.is_library

    # ------------------------------------------------------------------ types
    def type_of(self, expr: Expr | None) -> TypeName | None:
        """The type of ``expr`` when it can be known without a compiler (cached)."""
        if expr is None:
            return None
        cached = expr.ty
        if cached is not False:
            return cached  # type: ignore[return-value]
        result = self._compute_type(expr)
        expr.ty = result
        return result

    def _compute_type(self, expr: Expr) -> TypeName | None:
        if isinstance(expr, Identifier):
            ref = expr.ref
            if isinstance(ref, Variable) and ref.type_name is None:
                # legacy `var x = value;`: the type of the value
                decl = ref.parent
                if isinstance(decl, VarDecl) and not decl.is_tuple and decl.value is not None:
                    return self.type_of(decl.value)
            if isinstance(ref, Variable | StateVariable):
                return ref.type_name
            if isinstance(ref, Builtin):
                if ref.name == "now":
                    return UINT256
                if ref.name == "this" and self.contract is not None:
                    return TypeName.user(self.contract.name)
            return None
        if isinstance(expr, Member):
            path = dotted_name(expr)
            if path in MEMBER_TYPES:
                return MEMBER_TYPES[path]
            if expr.member in {"balance", "length"}:
                return UINT256
            if expr.member in ("code", "codehash"):
                return BYTES
            if isinstance(expr.base, MetaType) and expr.member in ("max", "min"):
                return expr.base.type_name
            base_type = self.type_of(expr.base)
            if base_type is not None and base_type.kind == "user":
                target = self.resolve_user_type(base_type)
                if isinstance(target, StructDef):
                    return target.member_type(expr.member)
            if isinstance(expr.base, Identifier) and isinstance(expr.base.ref, Contract):
                owner = expr.base.ref
                var = owner.find_state_variable(expr.member)
                if var is not None:
                    return var.type_name
                if owner.find_enum(expr.member) is not None:
                    return TypeName.user(expr.member)
            if isinstance(expr.base, Identifier) and isinstance(expr.base.ref, EnumDef):
                return TypeName.user(expr.base.ref.name)
            return None
        if isinstance(expr, Index):
            base_type = self.type_of(expr.base)
            if base_type is None:
                return None
            if base_type.kind == "mapping":
                return base_type.value
            if base_type.kind == "array":
                return base_type.base
            if base_type.kind == "elementary" and (
                base_type.name == "bytes" or base_type.name.startswith("bytes")
            ):
                return TypeName.elementary("bytes1")
            return None
        if isinstance(expr, Slice):
            return self.type_of(expr.base)
        if isinstance(expr, Call):
            return self._call_type(expr)
        if isinstance(expr, Binary):
            if expr.op in _COMPARISONS:
                return BOOL
            left = self.type_of(expr.left)
            if left is not None and not isinstance(expr.left, Literal):
                return left
            return self.type_of(expr.right) or left
        if isinstance(expr, Unary):
            return BOOL if expr.op == "!" else self.type_of(expr.operand)
        if isinstance(expr, Update):
            return self.type_of(expr.operand)
        if isinstance(expr, Assignment):
            return self.type_of(expr.target)
        if isinstance(expr, Conditional):
            return self.type_of(expr.then) or self.type_of(expr.otherwise)
        if isinstance(expr, TupleExpr):
            if len(expr.elements) == 1:
                return self.type_of(expr.elements[0])
            return None
        if isinstance(expr, Literal):
            if expr.kind == "number":
                text = expr.value.lower()
                if text.startswith("0x") and len(text) == 42:
                    return ADDRESS
                return UINT256
            if expr.kind == "bool":
                return BOOL
            if expr.kind == "hex":
                return BYTES
            return STRING
        if isinstance(expr, New):
            return expr.type_name
        return None

    def _call_type(self, call: Call) -> TypeName | None:
        self.classify_call(call)
        callee = call.callee
        if call.kind == "conversion":
            if isinstance(callee, TypeExpr):
                return callee.type_name
            if isinstance(callee, Identifier) and isinstance(callee.ref, Contract):
                return TypeName.user(callee.ref.name)
        if call.kind == "new" and isinstance(callee, New):
            return callee.type_name
        if call.kind == "struct" and isinstance(callee, Identifier):
            return TypeName.user(callee.name)
        target = call.target
        if isinstance(target, Function) and len(target.returns) == 1:
            return target.returns[0].type_name
        name = dotted_name(callee)
        if name in FUNCTION_RESULT_TYPES:
            return FUNCTION_RESULT_TYPES[name]
        if (
            call.kind == "low_level"
            and isinstance(callee, Member)
            and callee.member in ETHER_TRANSFERS
        ):
            return BOOL if callee.member == "send" else None
        return None

    # ------------------------------------------------------------------ calls
    def classify_call(self, call: Call) -> None:
        """Set ``call.kind`` and ``call.target`` (see :class:`ir.nodes.Call`)."""
        if call.kind not in ("unknown", "event"):
            return
        if call.kind == "event":
            callee = call.callee
            if isinstance(callee, Identifier):
                call.target = callee.ref
            return
        callee = call.callee
        if isinstance(callee, TypeExpr):
            call.kind = "conversion"
            return
        if isinstance(callee, New):
            call.kind = "new"
            call.target = self.resolve_user_type(callee.type_name)
            return
        if isinstance(callee, Identifier):
            self._classify_identifier_call(call, callee)
            return
        if isinstance(callee, Call):
            self.classify_call(callee)
            if callee.kind == "chain":
                # x.call.value(v)(data): the outer call is the real one
                root, options = unwrap_chain(call)
                for key, value in options.items():
                    call.options.setdefault(key, value)
                if isinstance(root, Member):
                    self._classify_member_call(call, root)
                return
            call.kind = "unknown"
            return
        if isinstance(callee, Member):
            if (
                callee.member in _CHAIN_MEMBERS
                and len(call.args) == 1
                and self._is_chain_base(callee.base)
            ):
                call.kind = "chain"
                return
            self._classify_member_call(call, callee)
            return
        call.kind = "unknown"

    def _is_chain_base(self, base: Expr) -> bool:
        """``base`` is ``x.call`` (or ``c.f``) that ``.value(v)``/``.gas(g)`` configures."""
        if isinstance(base, Call):
            self.classify_call(base)
            return base.kind == "chain"
        if not isinstance(base, Member):
            return False
        if base.member in LOW_LEVEL_CALLS:
            return True
        base_type = self.type_of(base.base)
        return self.is_contract_type(base_type)

    def _classify_identifier_call(self, call: Call, callee: Identifier) -> None:
        ref = callee.ref
        if isinstance(ref, FunctionSet):
            call.kind = "internal"
            call.target = _pick_overload(ref.functions, len(call.args))
        elif isinstance(ref, Contract):
            call.kind = "conversion"
            call.target = ref
        elif isinstance(ref, StructDef):
            call.kind = "struct"
            call.target = ref
        elif isinstance(ref, EventDef):
            call.kind = "event"
            call.target = ref
        elif isinstance(ref, ErrorDef):
            call.kind = "error"
            call.target = ref
        elif isinstance(ref, Builtin):
            call.kind = "builtin"
            call.target = ref
        elif isinstance(ref, Modifier):
            call.kind = "unknown"
        else:
            call.kind = "unknown"

    def _classify_member_call(self, call: Call, callee: Member) -> None:
        base = callee.base
        name = callee.member
        base_ref = base.ref if isinstance(base, Identifier) else None
        if isinstance(base_ref, Builtin):
            if base_ref.name == "super":
                call.kind = "internal"
                call.target = self._super_function(name, len(call.args))
                return
            if base_ref.name == "this":
                call.kind = "external"
                call.target = (
                    _pick_overload(self.contract.find_functions(name), len(call.args))
                    if self.contract
                    else None
                )
                return
            if base_ref.name in ("abi", "bytes", "string", "block"):
                call.kind = "builtin"
                return
        if isinstance(base_ref, Contract):
            functions = [
                f for f in base_ref.functions if f.name == name
            ] or base_ref.find_functions(name)
            if base_ref.is_library:
                call.kind = "library"
                call.target = _pick_overload(functions, len(call.args))
                return
            if self.contract is not None and base_ref in self.contract.linearization:
                call.kind = "internal"
                call.target = _pick_overload(functions, len(call.args))
                return
            call.kind = "unknown"
            return
        if isinstance(base, MetaType):
            call.kind = "builtin"
            return
        if isinstance(base, TypeExpr) and name == "concat":
            call.kind = "builtin"  # `bytes.concat(...)` / `string.concat(...)`
            return
        if name in ("wrap", "unwrap") and len(call.args) == 1 and isinstance(base, Identifier):
            if base_ref is None or not isinstance(base_ref, Variable | StateVariable):
                call.kind = "builtin"  # user-defined value type: `Delay.unwrap(d)`
                return
        if isinstance(base, Identifier) and base_ref is None and _type_like(base.name):
            call.kind = "library"  # `Math.max(a, b)` with the library's import unresolved
            return
        base_type = self.type_of(base)
        if name in LOW_LEVEL_CALLS and not self._contract_declares(base_type, name):
            call.kind = "low_level"
            return
        if (
            name in ETHER_TRANSFERS
            and len(call.args) <= 1
            and not self._contract_declares(base_type, name)
        ):
            if base_type is None or base_type.is_address or not self.is_contract_type(base_type):
                call.kind = "low_level"
                return
        library_fn = self._using_for_function(base_type, name, len(call.args) + 1)
        if library_fn is not None:
            call.kind = "library"
            call.target = library_fn
            return
        if (
            base_type is not None
            and base_type.kind in ("array", "elementary")
            and name in _ARRAY_BUILTINS
        ):
            call.kind = "builtin"
            return
        if (
            base_type is not None
            and base_type.kind == "elementary"
            and base_type.name in ("bytes", "string")
            and name == "concat"
        ):
            call.kind = "builtin"
            return
        if base_type is not None and base_type.kind == "user":
            target = self.resolve_user_type(base_type)
            if isinstance(target, Contract) and not target.is_library:
                call.kind = "external"
                call.target = _pick_overload(target.find_functions(name), len(call.args))
                if call.target is None:
                    # `other.nonce()`: the getter of a public state variable (a view call)
                    getter = target.find_state_variable(name)
                    if getter is not None and getter.visibility == "public":
                        call.target = getter
                return
            if target is None:
                call.kind = "external"
                return
            call.kind = "unknown"
            return
        if base_type is not None and base_type.kind == "elementary" and base_type.is_address:
            call.kind = "external"  # a high-level call on a plain address (old code)
            return
        if base_type is None and name in _ARRAY_BUILTINS:
            call.kind = "builtin"
            return
        call.kind = "external" if base_type is None else "unknown"

    def _contract_declares(self, base_type: TypeName | None, name: str) -> bool:
        if base_type is None or base_type.kind != "user":
            return False
        target = self.resolve_user_type(base_type)
        return isinstance(target, Contract) and bool(target.find_functions(name))

    def _super_function(self, name: str, arity: int) -> Function | None:
        contract = self.contract
        if contract is None or self.callable is None:
            return None
        owner = self.callable.contract or contract
        chain = contract.linearization
        start = chain.index(owner) + 1 if owner in chain else 1
        for base in chain[start:]:
            found = [f for f in base.functions if f.name == name]
            if found:
                return _pick_overload(found, arity)
        return None

    def _using_for_function(
        self, base_type: TypeName | None, name: str, arity: int
    ) -> Function | None:
        """A library function attached to ``base_type`` by ``using L for T``."""
        directives = []
        if self.contract is not None:
            for c in self.contract.linearization or [self.contract]:
                directives.extend(c.using_for)
        for u in self.project.visible_units(self.unit):
            directives.extend(u.using_for)
        for directive in directives:
            if directive.type_name is not None and base_type is not None:
                if str(directive.type_name) != str(base_type) and not _loose_type_match(
                    directive.type_name, base_type
                ):
                    continue
            if directive.library:
                library = self.project.find_contract(directive.library, self.unit)
                if library is not None:
                    found = [f for f in library.functions if f.name == name]
                    if found:
                        return _pick_overload(found, arity)
                elif base_type is not None or directive.type_name is None:
                    continue
            for fn_name in directive.functions:
                if fn_name.rsplit(".", 1)[-1] == name:
                    funcs = self.project.find_file_functions(name, self.unit)
                    if funcs:
                        return _pick_overload(funcs, arity)
        return None


_SYMBOLS_ATTR = "_symbol_table"


def _type_like(name: str) -> bool:
    """``InputHelpers`` / ``Math``: a CamelCase name, as libraries are named (not a
    constant-style ``LINK`` or a lower-case variable)."""
    return name[:1].isupper() and any(c.islower() for c in name)


def _contract_symbols(contract: Contract) -> dict[str, object]:
    """Members visible inside ``contract`` by name, most derived first (cached on it)."""
    table: dict[str, object] | None = contract.__dict__.get(_SYMBOLS_ATTR)
    if table is not None:
        return table
    table = {}
    chain = contract.linearization or [contract]
    for c in reversed(chain):  # base first, so derived declarations overwrite
        members: list[EventDef | StructDef | EnumDef | ErrorDef | Modifier] = [
            *c.events,
            *c.structs,
            *c.enums,
            *c.errors,
            *c.modifiers,
        ]
        for item in members:
            table[item.name] = item
    functions: dict[str, list[Function]] = {}
    for c in chain:
        for function in c.functions:
            functions.setdefault(function.name, []).append(function)
    for name, overloads in functions.items():
        table[name] = FunctionSet(overloads)
    for c in reversed(chain):
        for var in c.state_variables:
            table[var.name] = var
    contract.__dict__[_SYMBOLS_ATTR] = table
    return table


def _loose_type_match(declared: TypeName, actual: TypeName) -> bool:
    if declared.kind == "user" and actual.kind == "user":
        return declared.name.rsplit(".", 1)[-1] == actual.name.rsplit(".", 1)[-1]
    if declared.is_address and actual.is_address:
        return True
    return declared.kind == actual.kind == "array" or declared.kind == actual.kind == "mapping"


def _pick_overload(functions: list[Function], arity: int) -> Function | None:
    if not functions:
        return None
    for function in functions:
        if len(function.params) == arity and function.body is not None:
            return function
    for function in functions:
        if len(function.params) == arity:
            return function
    return functions[0]


def _find_error(contract: Contract, name: str) -> ErrorDef | None:
    for c in contract.linearization or [contract]:
        for error in c.errors:
            if error.name == name:
                return error
    return None


def unwrap_chain(call: Call) -> tuple[Expr, dict[str, Expr]]:
    """For ``x.call.value(v).gas(g)(d)`` return the ``x.call`` member and the options."""
    options: dict[str, Expr] = {}
    callee: Expr = call.callee
    while isinstance(callee, Call) and callee.kind == "chain" and isinstance(callee.callee, Member):
        if callee.args:
            options.setdefault(callee.callee.member, callee.args[0])
        callee = callee.callee.base
    return callee, options


def dotted_name(expr: Expr | None) -> str:
    """``msg.sender`` for a member chain of identifiers, ``""`` otherwise."""
    parts: list[str] = []
    while isinstance(expr, Member):
        parts.append(expr.member)
        expr = expr.base
    if isinstance(expr, Identifier):
        parts.append(expr.name)
        return ".".join(reversed(parts))
    return ""


def is_address_like(scope: Scope, expr: Expr) -> bool:
    t = scope.type_of(expr)
    return t is not None and t.is_address


__all__ = [
    "ADDRESS",
    "ADDRESS_PAYABLE",
    "BOOL",
    "FunctionSet",
    "Scope",
    "dotted_name",
    "resolve_project",
    "unwrap_chain",
]
