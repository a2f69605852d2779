"""Small questions about expressions shared by the DoS and front-running detectors:
who is the caller, which state location an expression designates, what a local holds."""

from __future__ import annotations

from collections.abc import Collection

from contract_analyzer.ir.access import root_state_variable
from contract_analyzer.ir.builtins import Builtin
from contract_analyzer.ir.declarations import Callable, StateVariable
from contract_analyzer.ir.nodes import Call, Expr, Identifier, Index, Member, VarDecl, Variable
from contract_analyzer.ir.resolve import dotted_name

PathKey = tuple[StateVariable, str | None]


def unwrap_conversion(expr: Expr | None) -> Expr | None:
    """``payable(x)``, ``address(x)`` → ``x``."""
    while isinstance(expr, Call) and expr.kind == "conversion" and len(expr.args) == 1:
        expr = expr.args[0]
    return expr


def is_sender(expr: Expr | None) -> bool:
    expr = unwrap_conversion(expr)
    if dotted_name(expr) == "msg.sender":
        return True
    return (
        isinstance(expr, Call)
        and not expr.args
        and isinstance(expr.callee, Identifier)
        and expr.callee.name in ("_msgSender", "msgSender")
    )


def is_this(expr: Expr | None) -> bool:
    expr = unwrap_conversion(expr)
    return (
        isinstance(expr, Identifier) and isinstance(expr.ref, Builtin) and expr.ref.name == "this"
    )


def path_key(owner: Callable, expr: Expr | None) -> PathKey | None:
    """``(campaigns, "funders")`` for ``campaigns[id].funders`` or ``c.funders`` with
    ``c`` a storage pointer into ``campaigns``; ``(players, None)`` for ``players``."""
    expr = unwrap_conversion(expr)
    if expr is None:
        return None
    var = root_state_variable(expr, _ctx_aliases(owner))
    if var is None:
        return None
    member: str | None = None
    node: Expr | None = expr
    while isinstance(node, Index | Member):
        if isinstance(node, Member):
            member = node.member
            break
        node = node.base
    return var, member


def first_key(expr: Expr | None) -> Expr | None:
    """The index applied to the root of ``expr`` (``m[k].x[j]`` → ``k``)."""
    key: Expr | None = None
    node = expr
    while isinstance(node, Index | Member):
        if isinstance(node, Index):
            key = node.index
        node = node.base
    return key


def _ctx_aliases(owner: Callable) -> dict[Variable, StateVariable]:
    facts = owner.facts
    return facts.aliases if facts is not None else {}


def local_definition(owner: Callable, var: Variable) -> Expr | None:
    """The one value a local is ever given (its initializer), or ``None``."""
    parent = var.parent
    if not isinstance(parent, VarDecl) or parent.is_tuple or parent.value is None:
        return None
    index = owner.index
    if index is not None:
        for assignment in index.assignments:
            target = assignment.target
            if isinstance(target, Identifier) and target.ref is var:
                return None
        for update in index.updates:
            if isinstance(update.operand, Identifier) and update.operand.ref is var:
                return None
    return parent.value


def root_key(owner: Callable, expr: Expr | None) -> Expr | None:
    """:func:`first_key`, seen through a storage pointer local: for ``mine.length`` with
    ``Lock[] storage mine = locks[msg.sender]`` the key is ``msg.sender``."""
    node = expr
    while isinstance(node, Index | Member):
        node = node.base
    if isinstance(node, Identifier) and isinstance(node.ref, Variable):
        var = node.ref
        if var.kind == "local" and var.location == "storage":
            value = local_definition(owner, var)
            if value is not None:
                return first_key(value)
    return first_key(expr)


def mentions(expr: Expr, refs: Collection[object]) -> bool:
    """``expr`` uses a name that refers to one of ``refs``."""
    return any(isinstance(n, Identifier) and n.ref in refs for n in expr.walk())


def strip_length(expr: Expr) -> Expr:
    """``list.length`` → ``list``."""
    if isinstance(expr, Member) and expr.member == "length":
        return expr.base
    return expr
