"""Small questions the access-control detectors share: who the caller is, zero values,
state roots, conditions that pin state to zero, and when a check may be hidden from us
(see :mod:`._reach`, :mod:`._flows`, :mod:`._privilege` and :mod:`._lifecycle`)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from weakref import WeakKeyDictionary

from contract_analyzer.detectors.base import Confidence, Severity
from contract_analyzer.detectors.context import Context
from contract_analyzer.ir.declarations import Callable, Function, StateVariable
from contract_analyzer.ir.index import Conditions, facts_of, is_call_to
from contract_analyzer.ir.nodes import (
    Binary,
    Call,
    Expr,
    ExpressionStmt,
    Identifier,
    If,
    Index,
    Literal,
    Member,
    Return,
    Variable,
    While,
)
from contract_analyzer.ir.resolve import dotted_name

OWNER_NAME = re.compile(
    r"owner|admin|governance|governor|guardian|operator|controller|creator|authority|"
    r"^(ceo|cfo|coo|root|master|dev|signer|minter|keeper|manager)",
    re.IGNORECASE,
)
INITIALIZER_NAME = re.compile(
    r"^_{0,2}(init(?:[A-Z0-9_]\w*)?|initiali[sz]e\w*|[Ss]etup)$",
)
ONE_SHOT_MODIFIER = re.compile(r"initializ|uninitiali|only_?once|^once$", re.IGNORECASE)
_NOT_ACCESS = re.compile(r"reentran|pause|lock|mutex|valid|initializ|gas|refund", re.IGNORECASE)
_CHECK_NAME = re.compile(
    r"check|require|only|auth|verify|validate|ensure|assert|guard|restrict|allow|permi",
    re.IGNORECASE,
)
_SENDER_CALLS = frozenset({"_msgSender", "msgSender", "_sender"})
_CACHE: WeakKeyDictionary[Context, dict[tuple[str, int], object]] = WeakKeyDictionary()


def cache(ctx: Context) -> dict[tuple[str, int], object]:
    """Answers memoised for one analysed unit (keyed by question and object id)."""
    found = _CACHE.get(ctx)
    if found is None:
        found = {}
        _CACHE[ctx] = found
    return found


def is_sender(expr: Expr | None) -> bool:
    """``msg.sender``, ``_msgSender()``, ``address(msg.sender)``, ``payable(msg.sender)``."""
    if expr is None:
        return False
    if dotted_name(expr) == "msg.sender":
        return True
    if isinstance(expr, Call):
        if expr.kind == "conversion" and len(expr.args) == 1:
            return is_sender(expr.args[0])
        callee = expr.callee
        return not expr.args and isinstance(callee, Identifier) and callee.name in _SENDER_CALLS
    return False


def is_caller(expr: Expr | None, senders: frozenset[Variable]) -> bool:
    """``expr`` is the caller, or a parameter known to carry the caller."""
    if is_sender(expr):
        return True
    if isinstance(expr, Call) and expr.kind == "conversion" and len(expr.args) == 1:
        expr = expr.args[0]
    return isinstance(expr, Identifier) and expr.ref in senders


def is_zero(expr: Expr | None) -> bool:
    """``0``, ``false``, ``address(0)``, ``address(0x0)``."""
    if isinstance(expr, Literal):
        return expr.value == "false" or expr.int_value() == 0
    if isinstance(expr, Call) and expr.kind == "conversion" and len(expr.args) == 1:
        return is_zero(expr.args[0])
    return False


def state_roots(expr: Expr | None) -> set[StateVariable]:
    """State variables read anywhere inside ``expr``."""
    out: set[StateVariable] = set()
    if expr is None:
        return out
    for node in expr.walk():
        if isinstance(node, Identifier) and isinstance(node.ref, StateVariable):
            out.add(node.ref)
    return out


def root_state(expr: Expr | None) -> StateVariable | None:
    while isinstance(expr, Index | Member):
        expr = expr.base
    if isinstance(expr, Identifier) and isinstance(expr.ref, StateVariable):
        return expr.ref
    return None


def param_index(fn: Callable, expr: Expr | None) -> int | None:
    """Position of the parameter ``expr`` names, if it names one."""
    if isinstance(expr, Call) and expr.kind == "conversion" and len(expr.args) == 1:
        expr = expr.args[0]
    if isinstance(expr, Identifier) and isinstance(expr.ref, Variable):
        for i, param in enumerate(fn.params):
            if param is expr.ref:
                return i
    return None


def zero_checked_vars(conds: Conditions) -> set[StateVariable]:
    """State variables the conditions pin to zero / false (``!initialized``,
    ``owner == address(0)``, ``numOwners > 0`` known false)."""
    out: set[StateVariable] = set()
    for expr, truth in facts_of(conds):
        if not isinstance(expr, Binary):
            var = None if truth else root_state(expr)
            if var is not None:
                out.add(var)
            continue
        op = expr.op if truth else _NEGATED.get(expr.op, "")
        for mine, other, mirrored in (
            (expr.left, expr.right, False),
            (expr.right, expr.left, True),
        ):
            root = root_state(mine)
            side_op = _MIRRORED.get(op, op) if mirrored else op
            if root is None:
                continue
            if (is_zero(other) and side_op in ("==", "<=")) or (_is_one(other) and side_op == "<"):
                out.add(root)
    return out


_NEGATED = {"==": "!=", "!=": "==", "<": ">=", ">=": "<", ">": "<=", "<=": ">"}
_MIRRORED = {"<": ">", ">": "<", "<=": ">=", ">=": "<="}


def _is_one(expr: Expr) -> bool:
    return isinstance(expr, Literal) and (expr.value == "true" or expr.int_value() == 1)


def hidden_checks(fn: Callable) -> list[str]:
    """Where a check may hide that we cannot read: modifiers nobody declares (an unresolved
    import), or top-level calls of unknown functions in a contract whose bases are partly
    unknown."""
    out: list[str] = []
    if isinstance(fn, Function):
        for invocation in fn.modifiers:
            if invocation.ref is None and not _NOT_ACCESS.search(invocation.name):
                out.append(invocation.name)
    contract = fn.contract
    if contract is None or not contract.has_unknown_bases or fn.body is None:
        return out
    for stmt in fn.body.statements:
        if isinstance(stmt, ExpressionStmt) and isinstance(stmt.expr, Call):
            call = stmt.expr
            if (
                call.kind == "unknown"
                and isinstance(call.callee, Identifier)
                and _CHECK_NAME.search(call.callee.name)
            ):
                out.append(call.callee.name)
    return out


def lowered(
    fns: Iterable[Callable], severity: Severity, confidence: Confidence
) -> tuple[Severity, Confidence, str]:
    """Severity, confidence and a note for the message, lowered when a guard may be
    invisible to us in one of ``fns`` (the function and the entry points that reach it)."""
    hidden: list[str] = []
    for fn in fns:
        hidden.extend(h for h in hidden_checks(fn) if h not in hidden)
    if not hidden:
        return severity, confidence, ""
    names = ", ".join(f"`{h}`" for h in hidden[:3])
    note = f" (unless {names}, declared in a file that was not provided, checks the caller)"
    return severity.lowered() if severity is Severity.CRITICAL else severity, Confidence.LOW, note


def in_condition(node: Expr) -> bool:
    """``node`` is part of a ``require``/``assert`` argument, an ``if``/loop condition or a
    returned value."""
    parent = node.parent
    while isinstance(parent, Expr):
        if is_call_to(parent, "require", "assert"):
            return True
        parent = parent.parent
    stmt = node.stmt
    cond: Expr | None = None
    if isinstance(stmt, If | While):
        cond = stmt.cond
    elif isinstance(stmt, Return):
        cond = stmt.value
    return cond is not None and cond.start <= node.start and node.end <= cond.end


def unresolved_calls(fn: Callable, names: frozenset[str]) -> list[Call]:
    """Calls of helpers named ``names`` that no visible file declares, in a contract whose
    bases are partly unknown (``_mint(to, amount)`` from an unresolved OpenZeppelin base)."""
    contract = fn.contract
    index = fn.index
    if contract is None or index is None or not contract.has_unknown_bases:
        return []
    return [
        call
        for call in index.calls
        if call.kind == "unknown"
        and call.target is None
        and isinstance(call.callee, Identifier)
        and call.callee.name in names
    ]
