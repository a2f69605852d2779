"""Signatures that can be used more than once (SWC-121)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from contract_analyzer.detectors.access_control._flows import closure_union
from contract_analyzer.detectors.access_control._signatures import (
    digest_atoms,
    first_recovery,
)
from contract_analyzer.detectors.access_control._util import cache, lowered, root_state
from contract_analyzer.detectors.base import SECURITY, Confidence, Detector, Issue, Severity
from contract_analyzer.detectors.context import Context
from contract_analyzer.ir.access import root_identifier
from contract_analyzer.ir.declarations import Callable, Function, StateVariable
from contract_analyzer.ir.index import facts_of
from contract_analyzer.ir.nodes import (
    Assignment,
    Expr,
    Identifier,
    Literal,
    Node,
    VarDecl,
    Variable,
)

_NONCE = re.compile(r"nonce", re.IGNORECASE)
_AMOUNTS = re.compile(r"balance|supply|allowance|allowed|deposit|stake", re.IGNORECASE)


class SignatureReplay(Detector):
    id = "signature_replay"
    title = "Signature replay"
    swc = "SWC-121"
    severity = Severity.HIGH
    confidence = Confidence.MEDIUM
    types = SECURITY
    description = (
        "The function accepts a signature as authorisation, but nothing makes the signature "
        "single-use: the signed message contains no nonce that is consumed, and no record of "
        "used messages is kept. Anyone who has seen one valid signature can submit it again "
        "(and, without the chain id and this contract's address in the message, on other "
        "chains or other deployments)."
    )
    recommendation = (
        "Sign an EIP-712 message that includes a per-signer nonce, consumed on use "
        "(`nonces[signer]++`), or record used digests (`require(!used[digest]); used[digest] "
        "= true;`); include `block.chainid` and `address(this)` through the EIP-712 domain "
        "separator."
    )
    references = ("https://swcregistry.io/docs/SWC-121", "https://eips.ethereum.org/EIPS/eip-712")

    def detect(self, ctx: Context) -> Iterator[Issue]:
        for function in ctx.functions():
            facts = ctx.facts(function)
            if not function.is_public or function.is_view or not facts.reachable_by_anyone:
                continue
            found = first_recovery(ctx, function)
            if found is None:
                continue
            chain, owner, call = found
            digest = digest_atoms(ctx, function, chain, owner, call)
            node = chain[0] if chain else call
            if not _single_use(ctx, function, digest):
                severity, confidence, note = lowered([function], self.severity, self.confidence)
                yield self.issue(
                    node,
                    f"`{function.name}` accepts a signature, but the signed message has no "
                    "consumed nonce and used signatures are not recorded: the same signature "
                    f"can be submitted again{note}.",
                    function=function,
                    severity=severity,
                    confidence=confidence,
                )
            elif "this" not in digest and "domain" not in digest:
                what = (
                    "includes the chain id but not this contract's address: a signature "
                    "made for another deployment on the same chain is accepted here too."
                    if "chainid" in digest
                    else "includes neither this contract's address nor the chain id: a "
                    "signature made for another deployment or chain is accepted here too."
                )
                yield self.issue(
                    node,
                    f"The message signed for `{function.name}` {what}",
                    function=function,
                    severity=Severity.LOW,
                    confidence=Confidence.MEDIUM,
                )


def _single_use(ctx: Context, function: Function, digest: set[object]) -> bool:
    """The signature can be used once: a nonce in the digest that the function consumes
    (``_useNonce(owner)`` inside the digest, ``nonces[owner]`` read and bumped, a helper
    named like a nonce that writes state), or a used-marker - state the function writes
    and also tests (``require(!used[h]); used[h] = true``, ``nonces[from] == req.nonce``)."""
    facts = ctx.facts(function)
    if "writes" in digest:
        return True
    if any(isinstance(a, StateVariable) and a in facts.writes_all for a in digest):
        return True
    if any(
        _NONCE.search(b.name) and (ctx.facts(b).writes_all or _writes_through_pointer(b))
        for b in facts.callees
    ):
        return True  # `_useCheckedNonce(signer, nonce)`, also on namespaced storage
    if any(isinstance(b, Function) and b.body is None for b in facts.callees):
        return True  # the marking may live in an override we cannot see (`_countVote`)
    markers = closure_union(ctx, function, "marks", lambda b: _body_sets(ctx, b)[0])
    if not markers:
        return False
    return bool(closure_union(ctx, function, "tested", lambda b: _body_sets(ctx, b)[1]) & markers)


def _body_sets(
    ctx: Context, body: Callable
) -> tuple[frozenset[StateVariable], frozenset[StateVariable]]:
    """State a body marks (any write but an amount added) and state it tests (in
    conditions or ``==``/``!=`` comparisons, storage pointers included)."""
    key = ("replay_sets", id(body))
    store = cache(ctx)
    found = store.get(key)
    if isinstance(found, tuple):
        return found
    facts = ctx.facts(body)
    marks = {
        access.var
        for access in facts.state_writes
        if _marks(access.node) and not _AMOUNTS.search(access.var.name)
    }
    tested: list[Expr] = []
    index = body.index
    seen: set[int] = set()
    for stmt in index.statements if index is not None else []:
        for expr, _truth in facts_of(stmt.conditions):
            if id(expr) not in seen:
                seen.add(id(expr))
                tested.append(expr)
    tested.extend(b for b in (index.binaries if index is not None else []) if b.op in ("==", "!="))
    copies = _state_copies(body)
    checked: set[StateVariable] = set()
    for expr in tested:
        for node in expr.walk():
            if isinstance(node, Identifier):
                ref = node.ref
                if isinstance(ref, StateVariable):
                    checked.add(ref)
                elif isinstance(ref, Variable) and ref in facts.aliases:
                    checked.add(facts.aliases[ref])
                elif isinstance(ref, Variable) and ref in copies:
                    checked.add(copies[ref])
    result = (frozenset(marks), frozenset(checked))
    store[key] = result
    return result


def _state_copies(body: Callable) -> dict[Variable, StateVariable]:
    """Locals and named returns holding a memory copy of a stored record
    (``Request memory r = requests[id]``, ``req = requests[id]``): testing the copy
    (``require(r.client != address(0))``) tests the record."""
    out: dict[Variable, StateVariable] = {}
    index = body.index
    for local in index.locals if index is not None else []:
        decl = local.parent
        root = root_state(decl.value) if isinstance(decl, VarDecl) and not decl.is_tuple else None
        if root is not None:
            out[local] = root
    for assignment in index.assignments if index is not None else []:
        target, root = assignment.target, root_state(assignment.value)
        if isinstance(target, Identifier) and isinstance(target.ref, Variable) and root:
            out[target.ref] = root
    return out


def _marks(node: Node) -> bool:
    """Not an amount added: ``used[h] = true``, ``nonce++``, ``nonces[a] = n + 1``."""
    if isinstance(node, Assignment) and node.op in ("+=", "-="):
        return isinstance(node.value, Literal)
    return True


def _writes_through_pointer(body: Callable) -> bool:
    """The body writes storage through a local storage pointer (``$._nonces[o]++`` on
    the struct an ERC-7201 getter returns, as upgradeable bases keep their state)."""
    index = body.index
    if index is None:
        return False
    targets = [a.target for a in index.assignments] + [u.operand for u in index.updates]
    for target in targets:
        root = root_identifier(target)
        ref = root.ref if root is not None else None
        if isinstance(ref, Variable) and ref.location == "storage" and ref.kind != "state":
            return True
    return False
