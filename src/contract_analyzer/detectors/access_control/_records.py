"""Per-record writes that take nothing over, for the ownership-change detector:

* :func:`fresh_record` - the record is created under a brand-new id (a counter this
  function advances), so the caller becomes owner of a new record, not of someone's;
* :func:`record_admin` - a helper has already checked that the caller administers the
  very record being written (``Rec memory r = recs[id]; _requireAdmin(r);`` before
  ``pending[id] = next``).
"""

from __future__ import annotations

from contract_analyzer.detectors.access_control._ownership import target_of
from contract_analyzer.detectors.access_control._privilege import key_chain
from contract_analyzer.detectors.access_control._util import root_state
from contract_analyzer.detectors.context import Context
from contract_analyzer.ir.declarations import Function
from contract_analyzer.ir.nodes import (
    Assignment,
    Call,
    Expr,
    Identifier,
    Index,
    Member,
    Node,
    Update,
    VarDecl,
    Variable,
)
from contract_analyzer.ir.resolve import dotted_name


def fresh_record(ctx: Context, function: Function, node: Node) -> bool:
    """The first key of the written record comes only from state counters that
    ``function`` advances (``nextId++; recs[nextId] = ...``, or a hash over a nonce it
    increments) and never from the caller's arguments or calldata."""
    keys = key_chain(target_of(node))
    if not keys:
        return False
    labels = ctx.sources(function, keys[0])
    if "msg.data" in labels or any(label.startswith("param") for label in labels):
        return False
    counters = {label[6:] for label in labels if label.startswith("state:")}
    return bool(counters & _advanced(ctx, function))


def _advanced(ctx: Context, function: Function) -> set[str]:
    """State variables ``function`` increments (``n++``, ``++n``, ``n += 1``)."""
    out: set[str] = set()
    for access in ctx.facts(function).state_writes:
        write = access.node
        if (isinstance(write, Update) and write.op == "++") or (
            isinstance(write, Assignment) and write.op == "+="
        ):
            out.add(access.var.name)
    return out


def record_admin(ctx: Context, function: Function, node: Node) -> bool:
    """A helper run before the write compares the caller with a member of a copy of the
    record stored under the same key as the write (a per-record admin check)."""
    keys = key_chain(target_of(node))
    key = keys[0] if keys else None
    if not isinstance(key, Identifier) or not isinstance(key.ref, Variable):
        return False
    for guard in ctx.facts(function).guards:
        call = guard.node
        if guard.kind != "caller_match" or not isinstance(call, Call):
            continue
        helper = call.target
        if not isinstance(helper, Function):
            continue
        for position, arg in enumerate(call.args):
            if (
                position < len(helper.params)
                and _record_key(arg) is key.ref
                and _compares_caller_with(helper, helper.params[position])
            ):
                return True
    return False


def _record_key(expr: Expr) -> object:
    """``recs[id]`` (or a local copied from it) -> the variable ``id``."""
    if isinstance(expr, Identifier) and isinstance(expr.ref, Variable):
        decl = expr.ref.parent
        if expr.ref.kind == "local" and isinstance(decl, VarDecl) and not decl.is_tuple:
            expr = decl.value if decl.value is not None else expr
    if root_state(expr) is None:
        return None
    keys = key_chain(expr)
    first = keys[0] if keys else None
    return first.ref if isinstance(first, Identifier) else None


def _compares_caller_with(helper: Function, param: Variable) -> bool:
    """``helper`` compares ``msg.sender`` with ``param`` or one of its members."""
    index = helper.index
    for binary in index.binaries if index is not None else []:
        if binary.op not in ("==", "!="):
            continue
        for mine, other in ((binary.left, binary.right), (binary.right, binary.left)):
            if dotted_name(mine) != "msg.sender":
                continue
            root = other
            while isinstance(root, Member | Index):
                root = root.base
            if isinstance(root, Identifier) and root.ref is param:
                return True
    return False
