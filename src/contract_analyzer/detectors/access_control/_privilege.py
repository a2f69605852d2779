"""Privileged state: what the contract's own access checks trust.

* :func:`privileged_vars` - state that holds privileges: addresses compared with the caller
  and flag mappings keyed by the caller, found in every check of the contract (through
  helpers like ``hasRole(role, msg.sender)``), with owner-like names as a fallback;
* :func:`privileged_fields` - for struct records, the members the checks compare;
* :func:`caller_key_positions` - for flag mappings, the key the caller is looked up under.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from contract_analyzer.detectors.access_control._util import (
    OWNER_NAME,
    cache,
    in_condition,
    is_sender,
    root_state,
    state_roots,
)
from contract_analyzer.detectors.context import Context
from contract_analyzer.ir.declarations import Callable, Contract, Function, StateVariable
from contract_analyzer.ir.nodes import (
    Binary,
    Call,
    Expr,
    Identifier,
    Index,
    Literal,
    Member,
    Unary,
    Variable,
)
from contract_analyzer.ir.resolve import dotted_name


def privileged_vars(ctx: Context, contract: Contract) -> dict[StateVariable, str]:
    """State variables that hold privileges, each with why: ``guard`` (compared with the
    caller, or a flag mapping keyed by the caller, in some check) or ``name`` (an
    address or list of addresses named like an owner)."""
    return _privileges(ctx, contract).reasons


def privileged_fields(ctx: Context, contract: Contract) -> dict[StateVariable, set[str] | None]:
    """For struct-valued privileged state, the members the checks compare
    (``records[node].owner`` -> ``{"owner"}``); ``None`` when the whole value counts."""
    return _privileges(ctx, contract).fields


def caller_key_positions(ctx: Context, contract: Contract) -> dict[StateVariable, set[int]]:
    """For flag mappings, which key the checks look the caller up under:
    ``admins[msg.sender]`` -> ``{0}``, ``approvals[owner][msg.sender]`` -> ``{1}``."""
    return _privileges(ctx, contract).positions


@dataclass(eq=False)
class _Found:
    reasons: dict[StateVariable, str] = field(default_factory=dict)
    fields: dict[StateVariable, set[str] | None] = field(default_factory=dict)
    positions: dict[StateVariable, set[int]] = field(default_factory=dict)

    def note(self, var: StateVariable, member: str | None, position: int | None) -> None:
        self.reasons.setdefault(var, "guard")
        if member is None:
            self.fields[var] = None
        elif var not in self.fields:
            self.fields[var] = {member}
        else:
            known = self.fields[var]
            if known is not None:
                known.add(member)
        if position is not None:
            self.positions.setdefault(var, set()).add(position)


def key_chain(expr: Expr | None) -> list[Expr]:
    """The keys of a lookup, outermost mapping first (``m[a].x[b]`` -> ``[a, b]``)."""
    keys: list[Expr] = []
    while isinstance(expr, Index | Member):
        if isinstance(expr, Index) and expr.index is not None:
            keys.append(expr.index)
        expr = expr.base
    keys.reverse()
    return keys


def _privileges(ctx: Context, contract: Contract) -> _Found:
    key = ("privileged", id(contract))
    store = cache(ctx)
    cached = store.get(key)
    if isinstance(cached, _Found):
        return cached
    found = _Found()
    seen: set[tuple[int, frozenset[Variable]]] = set()
    for base in contract.linearization or [contract]:
        for callable_ in (*base.functions, *base.modifiers):
            _scan_checks(callable_, frozenset(), found, seen)
    for var in contract.all_state_variables():
        if var in found.reasons or var.constant or not OWNER_NAME.search(var.name):
            continue
        t = var.type_name
        if t.is_address or (t.kind == "array" and t.base is not None and t.base.is_address):
            found.reasons[var] = "name"
            found.fields[var] = None
    store[key] = found
    return found


def _scan_checks(
    callable_: Callable,
    senders: frozenset[Variable],
    found: _Found,
    seen: set[tuple[int, frozenset[Variable]]],
) -> None:
    index = callable_.index
    key = (id(callable_), senders)
    if index is None or key in seen:
        return
    seen.add(key)

    def sender_like(expr: Expr | None) -> bool:
        if is_sender(expr) or dotted_name(expr) == "tx.origin":
            return True
        if isinstance(expr, Call) and expr.kind == "conversion" and len(expr.args) == 1:
            expr = expr.args[0]
        return isinstance(expr, Identifier) and expr.ref in senders

    for binary in index.binaries:
        if binary.op not in ("==", "!="):
            continue
        for mine, other in ((binary.left, binary.right), (binary.right, binary.left)):
            if not sender_like(mine):
                continue
            for var in state_roots(other):
                members = [
                    n.member for n in other.walk() if isinstance(n, Member) and root_state(n) is var
                ]
                found.note(var, members[-1] if members else None, None)
            for var in _getter_roots(other):
                found.note(var, None, None)
    scope = callable_.scope
    for node in index.indexes:
        if node.index is None or not sender_like(node.index):
            continue
        root = root_state(node)
        value_type = scope.type_of(node) if scope is not None else None
        if (
            root is not None
            and value_type is not None
            and value_type.is_bool
            and in_condition(node)
            and _grants(node)
        ):
            keys = key_chain(node)
            found.note(root, None, next(i for i, k in enumerate(keys) if k is node.index))
    for call in index.calls:
        target = call.target
        if call.kind != "internal" or not isinstance(target, Function) or target is callable_:
            continue
        passed = frozenset(
            target.params[i]
            for i, arg in enumerate(call.args)
            if i < len(target.params) and sender_like(arg)
        )
        if passed:
            _scan_checks(target, passed, found, seen)


def _grants(lookup: Expr) -> bool:
    """The flag lookup lets the caller in when set (``admins[msg.sender]``), rather than
    keeping them out (``!voted[id][msg.sender]``, ``claimed[msg.sender] == false``)."""
    positive = True
    child: Expr = lookup
    parent = lookup.parent
    while isinstance(parent, Unary | Binary):
        if isinstance(parent, Unary):
            if parent.op != "!":
                break
            positive = not positive
        elif parent.op in ("==", "!="):
            other = parent.right if parent.left is child else parent.left
            if isinstance(other, Literal) and other.value in ("false", "0"):
                positive = positive if parent.op == "!=" else not positive
            break
        elif parent.op not in ("&&", "||"):
            break
        child, parent = parent, parent.parent
    return positive


def _getter_roots(expr: Expr) -> set[StateVariable]:
    """``owner()`` read through a getter: the state variables it returns."""
    out: set[StateVariable] = set()
    for node in expr.walk():
        if isinstance(node, Call) and node.kind == "internal" and not node.args:
            target = node.target
            if isinstance(target, Function) and target.index is not None:
                for ret in target.index.returns:
                    out |= state_roots(ret.value)
    return out
