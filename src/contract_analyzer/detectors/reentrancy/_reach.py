"""Who can run a function, as far as reentrancy is concerned.

``reachable_by_anyone`` treats every comparison of the caller with stored state as an
access guard. For reentrancy a check that the caller owns one *record*
(``require(offers[id].bidder == msg.sender)``, ``Offer storage o = offers[id];
require(o.bidder == msg.sender)``) restricts nothing: every user owns records of their
own, and the attacker re-enters through theirs. Only checks against a single stored
address or a role keep an attacker out.
"""

from __future__ import annotations

from contract_analyzer.detectors.context import Context
from contract_analyzer.ir.declarations import Function
from contract_analyzer.ir.guards import Guard
from contract_analyzer.ir.nodes import Binary, Expr, Identifier, Index, VarDecl, Variable
from contract_analyzer.ir.resolve import dotted_name

_SENDERS = frozenset({"msg.sender", "_msgSender"})


def open_to_users(ctx: Context, function: Function) -> bool:
    """Anyone can call ``function``, or only per-record ownership checks stand in the way."""
    facts = ctx.facts(function)
    if facts.reachable_by_anyone:
        return True
    if not function.is_public or function.is_constructor:
        return False
    privileged = [g for g in facts.guards if g.privileged]
    return bool(privileged) and all(_record_owner_check(g) for g in privileged)


def _record_owner_check(guard: Guard) -> bool:
    """``guard`` compares the caller with a field of one element of a mapping or array."""
    node = guard.node
    if guard.kind != "owner" or not isinstance(node, Binary) or node.op not in ("==", "!="):
        return False
    for mine, other in ((node.left, node.right), (node.right, node.left)):
        if dotted_name(mine) in _SENDERS and _reads_element(other):
            return True
    return False


def _reads_element(expr: Expr) -> bool:
    """``expr`` reads one element of a collection: ``a[i].owner``, ``owners[i]``, or a
    local (a storage pointer, a copy) declared from such an element."""
    for node in expr.walk():
        if isinstance(node, Index) and node.index is not None:
            return True
        if isinstance(node, Identifier) and isinstance(node.ref, Variable):
            decl = node.ref.parent
            if (
                isinstance(decl, VarDecl)
                and decl.value is not None
                and any(isinstance(n, Index) for n in decl.value.walk())
            ):
                return True
    return False
