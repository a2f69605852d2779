"""Token bookkeeping as the mint / transfer detectors see it.

A *credit* raises a supply counter or a balance mapping (``totalSupply += a``,
``balances[to] += a``); a *debit* lowers a balance (``balances[from] -= a``) or pulls
tokens with ``transferFrom(from, ...)``. Internal helpers (``_transfer(from, to, a)``)
are summarised by which parameter is the account, so a call site can be judged by its
arguments (minting lives in :mod:`._mint`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from contract_analyzer.detectors.access_control._flows import holds_for_caller
from contract_analyzer.detectors.access_control._util import (
    cache,
    is_caller,
    param_index,
    root_state,
    unresolved_calls,
)
from contract_analyzer.detectors.context import Context
from contract_analyzer.ir.declarations import Callable, Contract, Function, StateVariable
from contract_analyzer.ir.nodes import (
    Assignment,
    Binary,
    Call,
    Expr,
    Identifier,
    Index,
    Member,
    Update,
    VarDecl,
    Variable,
)

_SUPPLY = re.compile(r"^_*(total_?)?supply_*$", re.IGNORECASE)
_BALANCE = re.compile(r"^_*(user_?|token_?|share_?)?balance", re.IGNORECASE)
_PULL = re.compile(r"^(safe)?transferFrom$|^burnFrom$", re.IGNORECASE)
_MAX_DEPTH = 3
# inherited helpers that take funds from their first argument (OpenZeppelin names)
_DEBIT_HELPERS = frozenset({"_transfer", "_burn", "_update", "_safeTransferFrom"})
_DEBIT_HELPERS_ARITY = {"_transfer": 3, "_update": 3, "_safeTransferFrom": 3, "_burn": 2}


def is_supply_var(var: StateVariable) -> bool:
    return bool(_SUPPLY.match(var.name)) and var.type_name.is_integer


def is_balance_var(var: StateVariable) -> bool:
    return bool(_BALANCE.match(var.name)) and var.type_name.kind == "mapping"


@dataclass(eq=False)
class Change:
    node: Expr
    var: StateVariable
    amount: Expr | None
    key: Expr | None
    up: bool


def changes(fn: Callable) -> list[Change]:
    """Increments and decrements of supply / balance state written in ``fn`` itself."""
    out: list[Change] = []
    index = fn.index
    if index is None:
        return out
    nodes: list[Assignment | Update] = [*index.assignments, *index.updates]
    for node in nodes:
        target = node.target if isinstance(node, Assignment) else node.operand
        var = root_state(target)
        if var is None or not (is_supply_var(var) or is_balance_var(var)):
            continue
        key = _account_key(fn, target)
        if isinstance(node, Update):
            out.append(Change(node, var, None, key, node.op == "++"))
            continue
        value = node.value
        if node.op in ("+=", "-="):
            out.append(Change(node, var, value, key, node.op == "+="))
        elif node.op == "=" and isinstance(value, Binary) and value.op in ("+", "-"):
            left = value.left
            local = isinstance(left, Identifier) and isinstance(left.ref, Variable)
            if root_state(left) is var or local:  # `_balances[a] = fromBalance - v`
                out.append(Change(node, var, value.right, key, value.op == "+"))
    return out


def _account_key(fn: Callable, target: Expr) -> Expr | None:
    """The account a balance entry belongs to: the address-typed key of the lookup
    (``_balances[from][id]`` -> ``from``, ``_balances[id][account]`` -> ``account``)."""
    keys: list[Expr] = []
    expr: Expr | None = target
    while isinstance(expr, Index | Member):
        if isinstance(expr, Index) and expr.index is not None:
            keys.append(expr.index)
        expr = expr.base
    if len(keys) <= 1:
        return keys[0] if keys else None
    scope = fn.scope
    for key in reversed(keys):  # outermost mapping first
        key_type = scope.type_of(key) if scope is not None else None
        if key_type is not None and key_type.is_address:
            return key
    return None


def arg(call: Call, i: int | None) -> Expr | None:
    return call.args[i] if i is not None and i < len(call.args) else None


def debits_anything(ctx: Context, fn: Function) -> bool:
    for owner in (fn, *ctx.facts(fn).callees):
        if any(not c.up and is_balance_var(c.var) for c in changes(owner)):
            return True
    return False


def pulls_from_caller(ctx: Context, fn: Function) -> bool:
    """``fn`` takes something from the caller: ``transferFrom(msg.sender, ...)``,
    ``burnFrom(msg.sender, ...)``, or lowers the caller's balance."""
    return holds_for_caller(ctx, fn, "pulls", _pulls_in)


def _pulls_in(owner: Callable, senders: frozenset[Variable]) -> bool:
    index = owner.index
    for call in index.calls if index is not None else []:
        callee = call.callee
        if (
            isinstance(callee, Member)
            and _PULL.match(callee.member)
            and any(is_caller(a, senders) for a in call.args)
        ):
            return True
    return any(
        not change.up and is_balance_var(change.var) and is_caller(change.key, senders)
        for change in changes(owner)
    )


@dataclass(eq=False)
class DebitSite:
    node: Expr  # the debit, the transferFrom call, or the call of a helper that debits
    account: Expr  # whose funds leave
    how: str


def debit_sites(ctx: Context, fn: Function) -> list[DebitSite]:
    """Places in ``fn`` that take funds out of an account given as one of its parameters."""
    sites: list[DebitSite] = []
    for change in changes(fn):
        if not change.up and is_balance_var(change.var) and change.key is not None:
            sites.append(DebitSite(change.node, change.key, f"`{change.var.name}` is lowered"))
    index = fn.index
    for call in index.calls if index is not None else []:
        account = pulled_account(call)
        if account is not None:
            sites.append(DebitSite(call, account, "tokens are pulled with `transferFrom`"))
    for call, target in ctx.facts(fn).internal_calls:
        i = _debit_summary(ctx, target, 0)
        account = arg(call, i)
        if account is not None:
            sites.append(DebitSite(call, account, f"`{target.name}` debits it"))
    for call in unresolved_calls(fn, _DEBIT_HELPERS):
        name = call.callee.name if isinstance(call.callee, Identifier) else ""
        if call.args and len(call.args) >= _DEBIT_HELPERS_ARITY.get(name, 2):
            sites.append(DebitSite(call, call.args[0], f"the inherited `{name}` debits it"))
    out = [s for s in sites if param_index(fn, s.account) is not None]
    for site in sites:
        lookup = owner_lookup(fn, site.account)
        if lookup is not None and site not in out:
            root = root_state(lookup)
            name = root.name if root is not None else "the records"
            site.how = f"the holder of the entry of `{name}` they pick; {site.how}"
            out.append(site)
    return out


def owner_lookup(fn: Callable, expr: Expr | None) -> Index | None:
    """``ownerOf[id]`` with ``id`` a parameter - directly or through a local assigned once
    (``address holder = ownerOf[id];``): the account of a record the caller picks."""
    if isinstance(expr, Identifier) and isinstance(expr.ref, Variable):
        decl = expr.ref.parent
        if expr.ref.kind != "local" or not isinstance(decl, VarDecl) or decl.is_tuple:
            return None
        index = fn.index
        assigned = index is not None and any(
            isinstance(a.target, Identifier) and a.target.ref is expr.ref for a in index.assignments
        )
        expr = None if assigned else decl.value
    if not isinstance(expr, Index) or expr.index is None or param_index(fn, expr.index) is None:
        return None
    root = root_state(expr)
    mapping = root.type_name if root is not None else None
    value = mapping.value if mapping is not None and mapping.kind == "mapping" else None
    return expr if value is not None and value.is_address else None


def pulled_account(call: Call) -> Expr | None:
    """``from`` of ``token.transferFrom(from, ...)``, ``token.safeTransferFrom(from, ...)``
    or ``SafeERC20.safeTransferFrom(token, from, ...)``."""
    callee = call.callee
    if not isinstance(callee, Member) or not _PULL.match(callee.member):
        return None
    position = 0
    base = callee.base
    if isinstance(base, Identifier) and isinstance(base.ref, Contract) and base.ref.is_library:
        position = 1
    needed = 2 if callee.member.lower() == "burnfrom" else 3
    if len(call.args) < position + needed:
        return None
    return call.args[position]


def _debit_summary(ctx: Context, fn: Function, depth: int) -> int | None:
    """The parameter of ``fn`` whose funds it takes, if any (memoised)."""
    key = ("debit", id(fn))
    store = cache(ctx)
    if key in store:
        found = store[key]
        return found if isinstance(found, int) else None
    store[key] = None  # recursion guard
    result = _compute_debit(ctx, fn, depth) if depth <= _MAX_DEPTH else None
    store[key] = result
    return result


def _compute_debit(ctx: Context, fn: Function, depth: int) -> int | None:
    for change in changes(fn):
        if not change.up and is_balance_var(change.var):
            found = param_index(fn, change.key)
            if found is not None:
                return found
    index = fn.index
    for call in index.calls if index is not None else []:
        found = param_index(fn, pulled_account(call))
        if found is not None:
            return found
    for call, target in ctx.facts(fn).internal_calls:
        found = param_index(fn, arg(call, _debit_summary(ctx, target, depth + 1)))
        if found is not None:
            return found
    return None
