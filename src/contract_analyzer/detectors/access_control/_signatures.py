"""Signature checks as the replay / malleability / zero-address detectors see them.

* :func:`recover_calls` - ``ecrecover(...)`` and library recovery (``ECDSA.recover``,
  ``hash.recover(sig)``, ``SignatureChecker.isValidSignatureNow``);
* :func:`first_recovery` - from a public function, the internal calls that lead to a
  recovery (so a digest built by the caller and verified in a helper is seen whole);
* :func:`atoms` - what a digest is made of: state, parameters, ``this``, chain id,
  domain separators, calls - following locals and internal helpers a few levels deep.
"""

from __future__ import annotations

import re

from contract_analyzer.detectors.access_control._util import cache
from contract_analyzer.detectors.context import Context
from contract_analyzer.ir.declarations import Callable, Contract, Function, StateVariable
from contract_analyzer.ir.index import is_call_to
from contract_analyzer.ir.nodes import Assignment, Call, Expr, Identifier, Member, VarDecl, Variable
from contract_analyzer.ir.resolve import dotted_name

_RECOVER = re.compile(r"^(recover|tryRecover|isValidSignatureNow|recoverSigner)$")
_DOMAIN = re.compile(r"domain|typed_?data|eip712|chain_?id", re.IGNORECASE)
_MAX_DEPTH = 4


def is_raw_ecrecover(call: Call) -> bool:
    return call.kind == "builtin" and is_call_to(call, "ecrecover")


def recover_calls(ctx: Context, callable_: Callable) -> list[Call]:
    """Signature recoveries made in ``callable_`` itself (memoised)."""
    key = ("recover", id(callable_))
    store = cache(ctx)
    found = store.get(key)
    if isinstance(found, list):
        return found
    index = callable_.index
    out: list[Call] = []
    for call in index.calls if index is not None else []:
        callee = call.callee
        library = isinstance(callee, Member) and _RECOVER.match(callee.member) is not None
        if library or is_raw_ecrecover(call):
            out.append(call)
    store[key] = out
    return out


def first_recovery(ctx: Context, fn: Function) -> tuple[list[Call], Callable, Call] | None:
    """The nearest recovery reachable from ``fn``: the chain of internal calls in between
    (empty when ``fn`` recovers itself), the body that recovers, and the recovery call."""
    if not recover_calls(ctx, fn) and not any(recover_calls(ctx, c) for c in ctx.facts(fn).callees):
        return None
    seen: set[int] = {id(fn)}
    level: list[tuple[Callable, list[Call]]] = [(fn, [])]
    for _ in range(_MAX_DEPTH + 1):
        following: list[tuple[Callable, list[Call]]] = []
        for current, chain in level:
            calls = recover_calls(ctx, current)
            if calls:
                return chain, current, calls[0]
            for call, target in ctx.facts(current).internal_calls:
                if id(target) not in seen:
                    seen.add(id(target))
                    following.append((target, [*chain, call]))
        level = following
    return None


def atoms(ctx: Context, owner: Callable, expr: Expr | None, depth: int = 0) -> set[object]:
    """What ``expr`` is computed from: state variables, parameters (``Variable``), and the
    markers ``"this"``, ``"domain"`` (a domain separator), ``"chainid"`` and ``"writes"``
    (a call that changes state on the way, like ``_useNonce(owner)``)."""
    out: set[object] = set()
    if expr is None or depth > _MAX_DEPTH:
        return out
    for node in expr.walk():
        if isinstance(node, Identifier):
            _identifier(ctx, owner, node, depth, out)
        elif isinstance(node, Member):
            name = dotted_name(node)
            if name == "block.chainid":
                out.add("chainid")  # the chain, but not which contract on it
        elif isinstance(node, Call):
            _call(ctx, node, depth, out)
    return out


def _identifier(
    ctx: Context, owner: Callable, node: Identifier, depth: int, out: set[object]
) -> None:
    ref = node.ref
    if node.name == "this":
        out.add("this")
    elif isinstance(ref, StateVariable):
        out.add(ref)
        if _DOMAIN.search(ref.name):
            out.add("domain")
    elif isinstance(ref, Variable):
        out.add(ref)
        if ref.kind == "local":
            for definition in _definitions(owner, ref):
                out |= atoms(ctx, owner, definition, depth + 1)
        elif _DOMAIN.search(ref.name) and ref.kind == "param":
            pass  # a chain id the caller passes in proves nothing


def _call(ctx: Context, call: Call, depth: int, out: set[object]) -> None:
    callee = call.callee
    name = callee.member if isinstance(callee, Member) else getattr(callee, "name", "")
    if isinstance(name, str) and _DOMAIN.search(name):
        out.add("domain")
    target = call.target
    if call.kind in ("internal", "library") and isinstance(target, Function):
        if ctx.facts(target).writes_all:
            out.add("writes")
        index = target.index
        for ret in index.returns if index is not None else []:
            out |= atoms(ctx, target, ret.value, depth + 1)


def _definitions(owner: Callable, var: Variable) -> list[Expr]:
    out: list[Expr] = []
    parent = var.parent
    if isinstance(parent, VarDecl) and parent.value is not None and not parent.is_tuple:
        out.append(parent.value)
    index = owner.index
    for assignment in index.assignments if index is not None else []:
        if isinstance(assignment, Assignment) and isinstance(assignment.target, Identifier):
            if assignment.target.ref is var:
                out.append(assignment.value)
    return out


def digest_atoms(
    ctx: Context, fn: Function, chain: list[Call], owner: Callable, call: Call
) -> set[object]:
    """Atoms of the signed digest, plus those of every argument handed down the chain of
    internal calls from ``fn`` to the recovery (a helper's digest parameter stands for
    what the caller passed)."""
    found = atoms(ctx, owner, digest_of(call))
    caller: Callable = fn
    for link in chain:
        for arg in link.args:
            found |= atoms(ctx, caller, arg)
        if isinstance(link.target, Function):
            caller = link.target
    return found


def digest_of(call: Call) -> Expr | None:
    """The signed hash: ``ecrecover(h, ...)``, ``ECDSA.recover(h, sig)``,
    ``h.recover(sig)``, ``SignatureChecker.isValidSignatureNow(signer, h, sig)``."""
    callee = call.callee
    position = 0
    if isinstance(callee, Member):
        base = callee.base
        attached = not (isinstance(base, Identifier) and isinstance(base.ref, Contract))
        if callee.member == "isValidSignatureNow":
            position = 0 if attached else 1
        elif attached:
            return base
    return call.args[position] if position < len(call.args) else None
