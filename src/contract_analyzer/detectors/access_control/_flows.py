"""How the caller's identity travels through a function and its callees.

* :func:`caller_flows` - a function and its callees, with the variables holding the caller;
* :func:`holds_for_caller` - whether some check holds with the caller's identity in a
  function, its modifiers or its callees (summarised per function, linear time);
* :func:`closure_union` - a per-body set united over everything a function runs;
* :func:`own_senders` - the locals of a body that hold the caller.
"""

from __future__ import annotations

from collections.abc import Callable as TypingCallable

from contract_analyzer.detectors.access_control._util import cache, is_sender
from contract_analyzer.detectors.context import Context
from contract_analyzer.ir.declarations import Callable, Function, Modifier, StateVariable
from contract_analyzer.ir.nodes import Call, Expr, Identifier, VarDecl, Variable

_SENDER = "sender"


_FLOW_DEPTH = 3


# how a value reaches a callee parameter: the caller itself, or a variable of the caller
_Source = str | Variable


def caller_flows(ctx: Context, fn: Function) -> list[tuple[Callable, frozenset[Variable]]]:
    """``fn``, its modifiers and the internal functions it calls (a few levels), each with
    the parameters and locals that hold ``msg.sender`` there (``_deposit(_msgSender(), ...)``,
    ``address spender = _msgSender();``)."""
    key = ("flows", id(fn))
    store = cache(ctx)
    found = store.get(key)
    if isinstance(found, list):
        return found
    held: dict[int, tuple[Callable, frozenset[Variable]]] = {}
    order: list[int] = []
    work: list[tuple[Callable, frozenset[Variable], int]] = [(fn, frozenset(), 0)]
    for modifier in ctx.facts(fn).modifiers:
        work.append((modifier, frozenset(), _FLOW_DEPTH))
    while work:
        current, passed, depth = work.pop()
        previous = held.get(id(current))
        if previous is not None and passed <= previous[1]:
            continue
        senders = _with_locals(ctx, current, passed | (previous[1] if previous else frozenset()))
        if previous is None:
            order.append(id(current))
        held[id(current)] = (current, senders)
        if depth >= _FLOW_DEPTH:
            continue
        for target, sources in _edges(ctx, current):
            given = frozenset(
                target.params[i] for i, src in sources if src == _SENDER or src in senders
            )
            work.append((target, given, depth + 1))
    out = [held[i] for i in order]
    store[key] = out
    return out


def _edges(ctx: Context, fn: Callable) -> list[tuple[Callable, list[tuple[int, _Source]]]]:
    """Internal calls of ``fn`` and the modifiers on its header (``authenticateFor(from)``)
    with, per argument, where its value comes from (memoised)."""
    key = ("edges", id(fn))
    store = cache(ctx)
    found = store.get(key)
    if isinstance(found, list):
        return found
    out: list[tuple[Callable, list[tuple[int, _Source]]]] = []
    calls: list[tuple[list[Expr], Callable]] = [
        (call.args, target) for call, target in ctx.facts(fn).internal_calls
    ]
    if isinstance(fn, Function):
        for invocation in fn.modifiers:
            if isinstance(invocation.ref, Modifier):
                calls.append((invocation.args or [], invocation.ref))
    for args, target in calls:
        sources: list[tuple[int, _Source]] = []
        for i, arg in enumerate(args[: len(target.params)]):
            source = _source(arg)
            if source is not None:
                sources.append((i, source))
        out.append((target, sources))
    store[key] = out
    return out


def _source(expr: Expr | None) -> _Source | None:
    if is_sender(expr):
        return _SENDER
    if isinstance(expr, Call) and expr.kind == "conversion" and len(expr.args) == 1:
        expr = expr.args[0]
    if isinstance(expr, Identifier) and isinstance(expr.ref, Variable):
        return expr.ref
    return None


def _with_locals(ctx: Context, fn: Callable, senders: frozenset[Variable]) -> frozenset[Variable]:
    """``senders`` plus the locals of ``fn`` declared from the caller."""
    key = ("locals", id(fn))
    store = cache(ctx)
    cached = store.get(key)
    pairs: list[tuple[Variable, _Source]] = []
    if isinstance(cached, list):
        pairs = cached
    else:
        index = fn.index
        for var in index.locals if index is not None else []:
            parent = var.parent
            if isinstance(parent, VarDecl) and not parent.is_tuple:
                source = _source(parent.value)
                if source is not None:
                    pairs.append((var, source))
        store[key] = pairs
    extra = {var for var, src in pairs if src == _SENDER or src in senders}
    return senders | extra if extra else senders


Check = TypingCallable[[Callable, frozenset[Variable]], bool]


_ALWAYS = -1


def holds_for_caller(ctx: Context, fn: Function, key: str, check: Check) -> bool:
    """``check(body, senders)`` holds in ``fn``, one of its modifiers, or a callee reached
    with the caller in the right arguments (``_deposit(_msgSender(), ...)``). ``key`` names
    the check for memoisation; ``check`` must be monotone in ``senders``."""
    if _ALWAYS in _summary(ctx, fn, key, check):
        return True
    return any(check(m, _with_locals(ctx, m, frozenset())) for m in ctx.facts(fn).modifiers)


def _summary(ctx: Context, body: Callable, key: str, check: Check) -> frozenset[int]:
    """Parameters of ``body`` that make ``check`` hold when they carry the caller
    (``_ALWAYS`` when it holds anyway)."""
    memo = ("summary:" + key, id(body))
    store = cache(ctx)
    found = store.get(memo)
    if isinstance(found, frozenset):
        return found
    store[memo] = frozenset()  # recursion guard
    out: set[int] = set()
    if check(body, _with_locals(ctx, body, frozenset())):
        out.add(_ALWAYS)
    else:
        for i, param in enumerate(body.params):
            if check(body, _with_locals(ctx, body, frozenset({param}))):
                out.add(i)
        local_senders = _with_locals(ctx, body, frozenset())
        for target, sources in _edges(ctx, body):
            inner = _summary(ctx, target, key, check)
            if not inner:
                continue
            if _ALWAYS in inner:
                out.add(_ALWAYS)
                break
            for i, source in sources:
                if i not in inner:
                    continue
                if source == _SENDER or source in local_senders:
                    out.add(_ALWAYS)
                elif isinstance(source, Variable) and source in body.params:
                    out.add(body.params.index(source))
                else:
                    for j, param in enumerate(body.params):
                        if source in _with_locals(ctx, body, frozenset({param})):
                            out.add(j)
            if _ALWAYS in out:
                break
    result = frozenset(out)
    store[memo] = result
    return result


def own_senders(ctx: Context, fn: Callable) -> frozenset[Variable]:
    """Locals of ``fn`` that hold the caller (``address spender = _msgSender();``)."""
    return _with_locals(ctx, fn, frozenset())


def closure_union(
    ctx: Context,
    fn: Callable,
    key: str,
    local: TypingCallable[[Callable], frozenset[StateVariable]],
) -> frozenset[StateVariable]:
    """``local(body)`` united over ``fn``, its modifiers and everything it calls
    (memoised per function: linear in the size of the call graph)."""
    memo = ("closure:" + key, id(fn))
    store = cache(ctx)
    found = store.get(memo)
    if isinstance(found, frozenset):
        return found
    store[memo] = frozenset()  # recursion guard
    out = set(local(fn))
    facts = ctx.facts(fn)
    for modifier in facts.modifiers:
        out |= local(modifier)
    for _call, target in facts.internal_calls:
        out |= closure_union(ctx, target, key, local)
    result = frozenset(out)
    store[memo] = result
    return result
