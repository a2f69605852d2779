"""What bounds a loop (helpers of unbounded_loop): storage paths others can grow,
caller-supplied counts, caps in the condition or the body, and whole-array clears."""

from __future__ import annotations

from collections.abc import Iterator

from contract_analyzer.detectors.context import Context
from contract_analyzer.detectors.dos._exprs import (
    PathKey,
    is_sender,
    local_definition,
    mentions,
    path_key,
    root_key,
    strip_length,
)
from contract_analyzer.detectors.dos._loops import loop_body, loop_varying
from contract_analyzer.detectors.dos._state import StatePaths
from contract_analyzer.ir.declarations import Function, StateVariable
from contract_analyzer.ir.index import is_call_to
from contract_analyzer.ir.nodes import (
    Assignment,
    Binary,
    Break,
    Call,
    Expr,
    For,
    Identifier,
    Literal,
    Member,
    Return,
    Stmt,
    Unary,
    Update,
    VarDecl,
    Variable,
)
from contract_analyzer.ir.resolve import dotted_name

COMPARE = frozenset({"<", "<=", ">", ">=", "!="})


def grown_by_others(paths: StatePaths, key: PathKey, used: Expr, function: Function) -> bool:
    """Anyone can grow ``key`` - and not only their own entry of it (also through storage
    pointers: ``Lock[] storage mine = locks[msg.sender]``)."""
    writers = paths.anyone_writes(key, grows=True)
    if not writers:
        return False
    return not (
        is_sender(root_key(function, used))
        and all(is_sender(root_key(w.function, w.target)) for w in writers)
    )


def eligible(ctx: Context, function: Function) -> bool:
    """Code whose loops matter: state-changing functions that can run (public, or called),
    and views that state-changing code calls."""
    if function.is_constructor:
        return False
    callers = ctx.facts(function).callers
    if function.is_view:
        return any(not c.is_view for c in callers)
    return function.is_public or bool(callers)


def atoms(cond: Expr) -> list[Expr]:
    """The conjuncts of a condition (``a && b && c``)."""
    if isinstance(cond, Binary) and cond.op == "&&":
        return atoms(cond.left) + atoms(cond.right)
    return [cond]


def loop_counters(loop: Stmt) -> set[object]:
    """What the loop steps: a ``for`` header's variables, or whatever the body updates."""
    if isinstance(loop, For):
        out: set[object] = set()
        for part in (loop.init, loop.update):
            if part is not None:
                out |= loop_varying(part)
        if out:
            return out
    return loop_varying(loop)


def is_constant(expr: Expr) -> bool:
    """A literal, a constant/immutable, or arithmetic on those."""
    if isinstance(expr, Literal):
        return True
    if isinstance(expr, Identifier) and isinstance(expr.ref, StateVariable):
        return expr.ref.constant or expr.ref.immutable
    if isinstance(expr, Call) and expr.kind == "conversion" and len(expr.args) == 1:
        return is_constant(expr.args[0])
    return isinstance(expr, Binary) and is_constant(expr.left) and is_constant(expr.right)


def init_value(loop: For) -> Expr | None:
    """The initial value of a ``for`` loop's counter (``uint i = list.length``)."""
    init = loop.init
    if isinstance(init, VarDecl) and init.value is not None:
        return init.value
    return None


def resolve_local(function: Function, expr: Expr) -> Expr:
    """What a local bound stands for (``uint n = list.length; i < n``)."""
    for _ in range(2):
        if not (isinstance(expr, Identifier) and isinstance(expr.ref, Variable)):
            break
        if expr.ref.kind != "local":
            break
        value = local_definition(function, expr.ref)
        if value is None:
            break
        expr = value
    return expr


def grown_key(function: Function, expr: Expr) -> PathKey | None:
    """The storage path a bound counts (``list.length``, a counter, or a memory copy of a
    storage array)."""
    base = strip_length(expr)
    if isinstance(base, Identifier) and isinstance(base.ref, Variable):
        value = local_definition(function, base.ref)  # address[] memory ps = players;
        if value is None or base.ref.location == "storage":
            return path_key(function, base)
        base = value
    return path_key(function, base)


def param_capped(loop: Stmt, var: Variable) -> bool:
    """A check before the loop compares the caller-supplied count with something."""
    for expr, _truth in loop.conditions:
        for node in expr.walk():
            if isinstance(node, Binary) and node.op in ("<", "<=", ">", ">=", "=="):
                if mentions(node, {var}):
                    return True
    return False


def capped_by_break(loop: Stmt) -> bool:
    """``if (gasleft() < X) break;`` or ``if (++done == MAX) break;`` in the body."""
    for node in loop_body(loop).walk():
        if not isinstance(node, Break | Return):
            continue
        for expr, _truth in node.conditions[len(loop.conditions) :]:
            for part in expr.walk():
                if not isinstance(part, Expr):
                    continue
                if is_call_to(part, "gasleft") or dotted_name(part) == "msg.gas":
                    return True
                if isinstance(part, Binary) and part.op in COMPARE | {"=="}:
                    for side, other in ((part.left, part.right), (part.right, part.left)):
                        if _positive_limit(other) and isinstance(side, Identifier | Update):
                            return True
    return False


def _positive_limit(expr: Expr) -> bool:
    """A fixed count: a positive number literal or an integer constant."""
    if isinstance(expr, Literal):
        value = expr.int_value()
        return value is not None and value > 0
    if isinstance(expr, Identifier) and isinstance(expr.ref, StateVariable):
        var = expr.ref
        return (var.constant or var.immutable) and var.type_name.is_integer
    return False


def body_effects(ctx: Context, function: Function, loop: Stmt) -> bool:
    """The loop body writes storage or calls out (directly or through internal calls)."""
    body = loop_body(loop)
    start, end = body.start, body.end
    facts = ctx.facts(function)
    for access in facts.state_writes:
        if start <= access.node.start < end:
            return True
    for ext in facts.external_calls:
        if start <= ext.call.start < end:
            return True
    for call, callee in facts.internal_calls:
        if start <= call.start < end:
            callee_facts = ctx.facts(callee)
            if callee_facts.writes_all or callee_facts.calls_out_all:
                return True
    return False


def grows_storage(ctx: Context, function: Function, loop: Stmt) -> bool:
    """The loop body itself appends to storage or counts a storage counter up."""
    body = loop_body(loop)
    for access in ctx.facts(function).state_writes:
        node = access.node
        if not body.start <= node.start < body.end:
            continue
        if isinstance(node, Call) and isinstance(node.callee, Member):
            if node.callee.member == "push":
                return True
        elif isinstance(node, Update) and node.op == "++":
            return True
        elif isinstance(node, Assignment) and node.op == "+=":
            if isinstance(node.target, Member) and node.target.member == "length":
                return True
    return False


def clears(ctx: Context, function: Function, paths: StatePaths) -> Iterator[tuple[Expr, PathKey]]:
    """``delete list;``, legacy ``list.length = 0;`` or ``list = new T[](0);``."""
    for access in ctx.facts(function).state_writes:
        node = access.node
        target: Expr | None = None
        if isinstance(node, Unary) and node.op == "delete":
            target = node.operand
        elif isinstance(node, Assignment) and node.op == "=":
            if isinstance(node.target, Member) and node.target.member == "length":
                if isinstance(node.value, Literal) and node.value.int_value() == 0:
                    target = node.target.base
            elif isinstance(node.value, Call) and node.value.kind == "new":
                target = node.target
        if target is None:
            continue
        type_name = ctx.type_of(function, target)
        if type_name is None or not type_name.is_dynamic_array:
            continue
        key = path_key(function, target)
        if key is not None and grown_by_others(paths, key, target, function):
            yield node, key
