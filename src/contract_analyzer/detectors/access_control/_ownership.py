"""What makes a write to privileged state harmless, for the ownership-change detector:
a write that grants nothing (``delete``, ``false``), touches a member no check compares,
fills the caller's own slot as grantor, or is a one-time / paid / won claim."""

from __future__ import annotations

from contract_analyzer.detectors.access_control._flows import caller_flows
from contract_analyzer.detectors.access_control._privilege import key_chain
from contract_analyzer.detectors.access_control._signatures import recover_calls
from contract_analyzer.detectors.access_control._util import (
    OWNER_NAME,
    is_caller,
    is_sender,
    is_zero,
    state_roots,
    zero_checked_vars,
)
from contract_analyzer.detectors.context import Context
from contract_analyzer.ir.declarations import Contract, Function, StateVariable
from contract_analyzer.ir.index import facts_of
from contract_analyzer.ir.nodes import (
    Assignment,
    Binary,
    Call,
    Expr,
    Identifier,
    Index,
    Member,
    Node,
    Stmt,
    VarDecl,
    Variable,
)
from contract_analyzer.ir.resolve import dotted_name


def target_of(node: Node) -> Expr | None:
    if isinstance(node, Assignment):
        return node.target
    if isinstance(node, Call) and isinstance(node.callee, Member):
        return node.callee.base  # owners.push(x)
    return None


def touches(node: Node, fields: set[str] | None) -> bool:
    """The write can change a compared member (or the whole value). Appending a new
    record to a list whose checks compare a member of one record (``deals.push(Deal(
    msg.sender, ...))`` when checks read ``deals[id].buyer``) changes no existing
    record's owner: whoever opens a record owns that record only."""
    if fields is None:
        return True
    if isinstance(node, Call) and isinstance(node.callee, Member) and node.callee.member == "push":
        return False
    members: list[str] = []
    expr = target_of(node)
    while isinstance(expr, Index | Member):
        if isinstance(expr, Member):
            members.append(expr.member)
        expr = expr.base
    return not members or bool(fields & set(members))


def own_entry(
    ctx: Context, entry: Function, writer: Function, node: Node, checked_at: set[int]
) -> bool:
    """The caller writes their own slot, as grantor: ``approvals[msg.sender][op] = true``
    where checks look the caller up under the second key - directly or in a helper handed
    ``_msgSender()``. ``admins[msg.sender] = true`` is a self-grant, not this."""
    senders = next((s for body, s in caller_flows(ctx, entry) if body is writer), None)
    if senders is None:
        return False
    keys = key_chain(target_of(node))
    return any(is_caller(k, senders) and i not in checked_at for i, k in enumerate(keys))


def grants(node: Node) -> bool:
    """The write sets a new owner / grants a flag (not ``delete``, ``false``, ``++``)."""
    if isinstance(node, Assignment):
        return node.op == "=" and not (is_zero(node.value) and _is_flag_literal(node.value))
    return isinstance(node, Call)  # owners.push(newOwner)


def _is_flag_literal(expr: Expr) -> bool:
    return getattr(expr, "value", None) in ("false", "0")


def claimed(
    ctx: Context, function: Function, stmt: Stmt | None, var: StateVariable, node: Expr
) -> bool:
    """The write is a one-time or paid claim, or a contest won by the caller."""
    if stmt is None:
        return False
    written = ctx.facts(function).writes_all
    if zero_checked_vars(stmt.conditions) & (written | {var}):
        return True  # first come: `if (owner == address(0)) owner = msg.sender;`
    conditions = [expr for expr, _ in facts_of(stmt.conditions)]
    if _signed_by_holder(ctx, function, conditions, var):
        return True  # the current owner signed the change
    for expr in conditions:
        if any(_is_msg_value(n) for n in expr.walk()):
            return True  # paid for
    value = node.value if isinstance(node, Assignment) else None
    return bool(conditions) and is_sender(value) and not OWNER_NAME.search(var.name)


def paid(stmt: Stmt) -> bool:
    return any(any(_is_msg_value(n) for n in expr.walk()) for expr, _ in facts_of(stmt.conditions))


def _is_msg_value(node: Node) -> bool:
    return isinstance(node, Expr) and dotted_name(node) == "msg.value"


def used_elsewhere(ctx: Context, contract: Contract, var: StateVariable, writer: Function) -> bool:
    """An owner-named address that some other state-changing code reads."""
    for function in contract.callable_functions():
        if function is writer or function.is_view or function.is_constructor:
            continue
        if var in ctx.facts(function).reads_all:
            return True
    return False


def _signed_by_holder(
    ctx: Context, function: Function, conditions: list[Expr], var: StateVariable
) -> bool:
    """A condition compares a signature's recovered signer with ``var``
    (``require(ecrecover(digest, v, r, s) == owner)``, also through a local ``signer``)."""
    recoveries = recover_calls(ctx, function)
    if not recoveries:
        return False
    for expr in conditions:
        for node in expr.walk():
            if not isinstance(node, Binary) or node.op != "==":
                continue
            for mine, other in ((node.left, node.right), (node.right, node.left)):
                if var in state_roots(mine) and _recovered(other, recoveries):
                    return True
    return False


def _recovered(expr: Expr, recoveries: list[Call]) -> bool:
    if isinstance(expr, Identifier) and isinstance(expr.ref, Variable):
        decl = expr.ref.parent
        if expr.ref.kind == "local" and isinstance(decl, VarDecl) and decl.value is not None:
            expr = decl.value
    return any(node is call for node in expr.walk() for call in recoveries)
