"""Who can make a statement run (see :mod:`._flows` for what the caller passes along).

* :func:`entries` - the public functions through which anyone can make a statement run
  with no privileged check on the way (internal helpers are followed to their call sites);
* :func:`controlled_entries` - the same, when the caller also chooses a given parameter;
* :func:`anyone_writes` - public functions through which anyone writes a state variable.
"""

from __future__ import annotations

from contract_analyzer.detectors.access_control._util import cache
from contract_analyzer.detectors.context import Context
from contract_analyzer.ir.declarations import Callable, Contract, Function, StateVariable
from contract_analyzer.ir.nodes import Call, Stmt

_MAX_DEPTH = 4


def call_sites(ctx: Context, fn: Function) -> list[tuple[Function, Call]]:
    """Direct internal calls of ``fn`` (callers anywhere in the project)."""
    out: list[tuple[Function, Call]] = []
    seen: set[int] = set()
    for caller in ctx.facts(fn).callers:
        if id(caller) in seen:
            continue
        seen.add(id(caller))
        for call, target in ctx.facts(caller).internal_calls:
            if target is fn:
                out.append((caller, call))
    return out


def entries(
    ctx: Context, fn: Callable, stmt: Stmt | None, depth: int = 0
) -> list[tuple[Function, Stmt | None]]:
    """Public functions anyone can call that make ``stmt`` of ``fn`` run with no
    privileged check on the way, each with the statement in that entry function."""
    if not isinstance(fn, Function) or not ctx.facts(fn).reachable_by_anyone:
        return []
    if ctx.is_protected_at(fn, stmt):
        return []
    if fn.is_public:
        return [(fn, stmt)]
    return _internal_entries(ctx, fn, depth)


def _internal_entries(ctx: Context, fn: Function, depth: int) -> list[tuple[Function, Stmt | None]]:
    """Entries through the call sites of an internal function (memoised per function)."""
    key = ("entries", id(fn))
    store = cache(ctx)
    found = store.get(key)
    if isinstance(found, list):
        return found
    if depth >= _MAX_DEPTH:
        return []
    store[key] = []  # a recursive cycle contributes nothing
    out: list[tuple[Function, Stmt | None]] = []
    for caller, call in call_sites(ctx, fn):
        if caller is not fn:
            out.extend(entries(ctx, caller, call.stmt, depth + 1))
    store[key] = out
    return out


def controlled_entries(
    ctx: Context, fn: Callable, params: set[int], stmt: Stmt | None, depth: int = 0
) -> list[Function]:
    """Public functions anyone can call that choose the value of one of ``params`` of
    ``fn`` (directly, or through the arguments of the internal calls that lead here) and
    reach ``stmt`` with no privileged check on the way."""
    if not params or not isinstance(fn, Function):
        return []
    if fn.is_public:
        return [fn] if entries(ctx, fn, stmt) else []
    if depth >= _MAX_DEPTH or ctx.is_protected_at(fn, stmt):
        return []
    out: list[Function] = []
    for caller, call in call_sites(ctx, fn):
        for i in params:
            if i >= len(call.args) or caller is fn:
                continue
            labels = ctx.sources(caller, call.args[i])
            if "msg.data" in labels:
                out.extend(e for e, _ in entries(ctx, caller, call.stmt))
            passed = {j for j, p in enumerate(caller.params) if f"param:{p.name}" in labels}
            out.extend(controlled_entries(ctx, caller, passed, call.stmt, depth + 1))
    return out


def params_in(fn: Callable, labels: frozenset[str]) -> set[int]:
    """Positions of the parameters of ``fn`` that taint ``labels`` name."""
    return {i for i, p in enumerate(fn.params) if f"param:{p.name}" in labels}


def anyone_writes(ctx: Context, contract: Contract, var: StateVariable) -> list[Function]:
    """Public functions through which anyone can write ``var`` (no privileged check)."""
    key = ("anyone_writes", id(var))
    store = cache(ctx)
    found = store.get(key)
    if isinstance(found, list):
        return found
    out: list[Function] = []
    for function in contract.callable_functions():
        facts = ctx.facts(function)
        if not facts.reachable_by_anyone or var not in facts.writes_all:
            continue
        for owner in (function, *facts.callees):
            if any(
                a.var is var and entries(ctx, owner, a.node.stmt)
                for a in ctx.facts(owner).state_writes
            ):
                out.append(function)
                break
    store[key] = out
    return out
