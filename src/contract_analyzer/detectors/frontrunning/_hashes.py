"""Hash checks against a caller's answer: a published hash, or the caller's own commitment
(helpers of frontrunnable_solution)."""

from __future__ import annotations

from contract_analyzer.detectors.context import Context
from contract_analyzer.detectors.dos._exprs import (
    is_sender,
    local_definition,
    path_key,
    unwrap_conversion,
)
from contract_analyzer.ir.declarations import Function, StateVariable
from contract_analyzer.ir.index import facts_of
from contract_analyzer.ir.nodes import (
    Binary,
    Call,
    Expr,
    Identifier,
    Index,
    Literal,
    Node,
    Stmt,
    Variable,
)
from contract_analyzer.ir.taint import is_caller_controlled

_HASHES = frozenset({"keccak256", "sha3", "sha256", "ripemd160"})


def hash_check(ctx: Context, function: Function, binary: Binary) -> bool:
    """``binary`` compares the hash of the caller's input with a stored or constant hash
    that is not tied to the caller."""
    for side, other in ((binary.left, binary.right), (binary.right, binary.left)):
        call = _hash_call(function, side)
        if call is None:
            continue
        labels: set[str] = set()
        for arg in call.args:
            labels |= ctx.sources(function, arg)
        if not is_caller_controlled(frozenset(labels)) or "msg.sender" in labels:
            continue  # not the caller's answer, or bound to the caller
        fixed = _hash_call(function, other)
        if fixed is not None and not ctx.sources(function, fixed):
            continue  # keccak256(bytes(symbol)) == keccak256("ETH"): choosing an option
        if _published(ctx, function, other):
            return True
    return False


def puzzle_check(function: Function, binary: Binary) -> bool:
    """``binary`` compares arithmetic on the caller's arguments alone with a stored target
    (``p * q == target``, ``x ** 3 == cube``): a solution anyone can copy once sent."""
    for side, other in ((binary.left, binary.right), (binary.right, binary.left)):
        if _puzzle_side(function, side) and _stored(other):
            return True
    return False


def _puzzle_side(function: Function, expr: Expr) -> bool:
    """Products, powers or remainders of parameters and literals, with a parameter used
    twice or raised to a power."""
    ops: set[str] = set()
    uses = 0
    for node in expr.walk():
        if isinstance(node, Binary):
            ops.add(node.op)
        elif isinstance(node, Identifier):
            ref = node.ref
            if not (isinstance(ref, Variable) and ref.kind == "param" and ref in function.params):
                return False
            uses += 1
        elif not isinstance(node, Literal):
            return False
    return bool(ops & {"*", "**", "%"}) and (uses >= 2 or "**" in ops)


def _stored(expr: Expr) -> bool:
    """A state variable (constants and immutables included), possibly selected by a key
    other than the caller (``quotes[msg.sender]`` is the caller's own value)."""
    while isinstance(expr, Index) and expr.index is not None:
        if is_sender(expr.index):
            return False
        expr = expr.base
    return isinstance(expr, Identifier) and isinstance(expr.ref, StateVariable)


def _hash_call(function: Function, expr: Expr) -> Call | None:
    expr_ = unwrap_conversion(expr)
    if isinstance(expr_, Identifier) and isinstance(expr_.ref, Variable):
        if expr_.ref.kind == "local":
            expr_ = unwrap_conversion(local_definition(function, expr_.ref))
    if isinstance(expr_, Call) and isinstance(expr_.callee, Identifier):
        if expr_.callee.name in _HASHES:
            return expr_
    return None


def check_before(function: Function, stmt: Stmt | None, checks: list[Binary]) -> Binary | None:
    """The hash check among the conditions known to hold at ``stmt`` (also through a
    local flag: ``bool won = keccak256(x) == h; if (won) ...``)."""
    if stmt is None:
        return None
    for expr, _truth in facts_of(stmt.conditions):
        for node in expr.walk():
            scope: Node = node
            if isinstance(node, Identifier) and isinstance(node.ref, Variable):
                if node.ref.kind == "local":
                    scope = local_definition(function, node.ref) or node
            for part in scope.walk():
                for check in checks:
                    if part is check:
                        return check
    return None


def commit_reveal(ctx: Context, function: Function) -> bool:
    """A hash is also checked against the caller's own earlier commitment
    (``commits[msg.sender] == keccak256(abi.encode(msg.sender, answer, salt))``)."""
    index = function.index
    if index is None:
        return False
    for binary in index.binaries:
        if binary.op not in ("==", "!="):
            continue
        for side, other in ((binary.left, binary.right), (binary.right, binary.left)):
            if _hash_call(function, side) is None:
                continue
            if path_key(function, other) is not None:
                if _sender_keyed(function, other):
                    return True
                continue
            labels = ctx.sources(function, other)
            if "msg.sender" in labels and "state" in labels:
                return True
    return False


def _published(ctx: Context, function: Function, expr: Expr) -> bool:
    """``expr`` is a stored or constant value that is not tied to the caller (a published
    hash, possibly selected by an id)."""
    if path_key(function, expr) is not None:
        return not _sender_keyed(function, expr)
    labels = ctx.sources(function, expr)
    if "msg.sender" in labels:
        return False
    return "state" in labels or not is_caller_controlled(labels)


def _sender_keyed(function: Function, expr: Expr | None, depth: int = 0) -> bool:
    """Storage selected by the caller's address (``commits[msg.sender]``, or a pointer
    ``c`` declared as ``commits[msg.sender]``)."""
    if expr is None or depth > 2:
        return False
    for node in expr.walk():
        if isinstance(node, Index) and is_sender(node.index):
            return True
        if isinstance(node, Identifier) and isinstance(node.ref, Variable):
            if node.ref.kind == "local":
                value = local_definition(function, node.ref)
                if _sender_keyed(function, value, depth + 1):
                    return True
    return False
