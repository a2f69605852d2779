"""State accesses: which state variables an expression reads or writes.

Writes include assignment (plain and compound), ``++``/``--``, ``delete``,
``push``/``pop``, legacy ``.length`` assignment, writes through local storage
pointers (``S storage p = s[i]; p.x = 1;``) and calls of non-view library functions
on a storage value (``set.add(x)``).
"""

from __future__ import annotations

from contract_analyzer.ir.declarations import Callable, Function, StateVariable
from contract_analyzer.ir.nodes import (
    Assignment,
    Call,
    Expr,
    Identifier,
    Index,
    Member,
    Node,
    Slice,
    TupleExpr,
    Unary,
    Update,
    VarDecl,
    Variable,
)

_ARRAY_MUTATORS = frozenset({"push", "pop"})


class StateAccess:
    """One read or write of a state variable. ``node`` is the expression doing it."""

    __slots__ = ("node", "var")

    def __init__(self, var: StateVariable, node: Expr) -> None:
        self.var = var
        self.node = node

    @property
    def line(self) -> int:
        return self.node.line

    def __repr__(self) -> str:
        return f"StateAccess({self.var.name} @{self.node.line})"


def storage_aliases(callable_: Callable) -> dict[Variable, StateVariable]:
    """Local storage pointers of a body and the state variable each points into."""
    aliases: dict[Variable, StateVariable] = {}
    index = callable_.index
    if index is None:
        return aliases
    legacy = _legacy_storage_default(callable_)
    for var in index.locals:
        if not _is_storage_pointer(var, legacy):
            continue
        parent = var.parent
        if isinstance(parent, VarDecl) and parent.value is not None and not parent.is_tuple:
            root = _root_state(parent.value, aliases)
            if root is not None:
                aliases[var] = root
    for assignment in index.assignments:
        target = assignment.target
        if (
            isinstance(target, Identifier)
            and isinstance(target.ref, Variable)
            and _is_storage_pointer(target.ref, legacy)
        ):
            root = _root_state(assignment.value, aliases)
            if root is not None:
                aliases[target.ref] = root
    return aliases


def _legacy_storage_default(callable_: Callable) -> bool:
    """Before 0.5 a local struct or array declared without a location is a storage pointer."""
    contract = callable_.contract
    version = contract.unit.version if contract is not None else None
    return version is None or version.allows_below((0, 5, 0))


def is_storage_pointer(var: Variable, legacy_default: bool) -> bool:
    """``var`` is a local that refers to storage (explicitly, or by the pre-0.5 default
    for structs, arrays and mappings; a user type may be a struct)."""
    if var.location == "storage":
        return True
    t = var.type_name
    return (
        legacy_default
        and var.location is None
        and var.kind == "local"
        and t is not None
        and (t.kind in ("array", "mapping") or t.kind == "user")
    )


_is_storage_pointer = is_storage_pointer


def _root_state(expr: Expr | None, aliases: dict[Variable, StateVariable]) -> StateVariable | None:
    while True:
        if isinstance(expr, Index | Member | Slice):
            expr = expr.base
            continue
        if isinstance(expr, Identifier):
            ref = expr.ref
            if isinstance(ref, StateVariable):
                return ref
            if isinstance(ref, Variable):
                return aliases.get(ref)
        return None


def root_state_variable(
    expr: Expr | None, aliases: dict[Variable, StateVariable] | None = None
) -> StateVariable | None:
    """The state variable whose storage ``expr`` designates (``balances[a].x`` → ``balances``)."""
    return _root_state(expr, aliases or {})


def root_identifier(expr: Expr | None) -> Identifier | None:
    while isinstance(expr, Index | Member | Slice):
        expr = expr.base
    return expr if isinstance(expr, Identifier) else None


def collect_accesses(
    callable_: Callable, aliases: dict[Variable, StateVariable]
) -> tuple[list[StateAccess], list[StateAccess]]:
    """Direct reads and writes of state in one body, in source order."""
    reads: list[StateAccess] = []
    writes: list[StateAccess] = []
    index = callable_.index
    if index is None:
        return reads, writes
    for node in index.nodes:
        kind = type(node)
        if kind is Identifier:
            assert isinstance(node, Identifier)
            if isinstance(node.ref, StateVariable) and not _is_pure_write(node):
                reads.append(StateAccess(node.ref, node))
        elif kind is Assignment:
            assert isinstance(node, Assignment)
            for target in _targets(node.target):
                var = _root_state(target, aliases)
                if var is not None:
                    writes.append(StateAccess(var, node))
        elif kind is Update:
            assert isinstance(node, Update)
            var = _root_state(node.operand, aliases)
            if var is not None:
                writes.append(StateAccess(var, node))
        elif kind is Unary:
            assert isinstance(node, Unary)
            if node.op == "delete":
                var = _root_state(node.operand, aliases)
                if var is not None:
                    writes.append(StateAccess(var, node))
        elif kind is Call:
            assert isinstance(node, Call)
            _call_write(node, aliases, writes)
    return reads, writes


def _call_write(
    call: Call, aliases: dict[Variable, StateVariable], writes: list[StateAccess]
) -> None:
    callee = call.callee
    if not isinstance(callee, Member):
        return
    if call.kind == "builtin" and callee.member in _ARRAY_MUTATORS:
        var = _root_state(callee.base, aliases)
        if var is not None:
            writes.append(StateAccess(var, call))
    elif call.kind == "library":
        target = call.target
        if isinstance(target, Function) and target.is_view:
            return
        if target is None and callee.member not in ("add", "remove", "set", "push", "insert"):
            return
        first_param = target.params[0] if isinstance(target, Function) and target.params else None
        if first_param is not None and first_param.location != "storage":
            return
        var = _root_state(callee.base, aliases)
        if var is not None:
            writes.append(StateAccess(var, call))


def _targets(target: Expr) -> list[Expr]:
    if isinstance(target, TupleExpr):
        out: list[Expr] = []
        for element in target.elements:
            if element is not None:
                out.extend(_targets(element))
        return out
    return [target]


def _is_pure_write(ident: Identifier) -> bool:
    """The identifier is only written: the root of the target of ``x = ...`` or ``delete x``."""
    child: Node = ident
    parent = ident.parent
    while isinstance(parent, Index | Member) and parent.base is child:
        child = parent
        parent = parent.parent
    while isinstance(parent, TupleExpr):
        child = parent
        parent = parent.parent
    if isinstance(parent, Assignment) and parent.target is child and parent.op == "=":
        return True
    return isinstance(parent, Unary) and parent.op == "delete"


def is_written_by(expr: Expr) -> bool:
    """``expr`` sits where a value is stored (assignment target, ``++``, ``delete``)."""
    child: Node = expr
    parent = expr.parent
    while isinstance(parent, Index | Member) and parent.base is child:
        child = parent
        parent = parent.parent
    if isinstance(parent, Assignment):
        return parent.target is child
    if isinstance(parent, Update):
        return True
    return isinstance(parent, Unary) and parent.op == "delete"


def is_self_update(ident: Identifier) -> bool:
    """The identifier is read only to update itself: ``x += v``, ``x[k]++``, ``x[k] -= v``."""
    child: Node = ident
    parent = ident.parent
    while isinstance(parent, Index | Member) and parent.base is child:
        child = parent
        parent = parent.parent
    if isinstance(parent, Assignment):
        return parent.target is child and parent.op != "="
    return isinstance(parent, Update)
