"""Raw ``ecrecover`` signatures treated as unique (SWC-117)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from contract_analyzer.detectors.access_control._signatures import is_raw_ecrecover
from contract_analyzer.detectors.base import SECURITY, Confidence, Detector, Issue, Severity
from contract_analyzer.detectors.context import Context
from contract_analyzer.ir.declarations import Callable, Function, StateVariable
from contract_analyzer.ir.nodes import Assignment, Call, Expr, Identifier, Index, Literal
from contract_analyzer.ir.render import render

_SIG_PARAM = re.compile(r"^_?(sig|signature|sigs|signatures|v|r|s)$|sig", re.IGNORECASE)


class SignatureMalleability(Detector):
    id = "signature_malleability"
    title = "Signature malleability"
    swc = "SWC-117"
    severity = Severity.MEDIUM
    confidence = Confidence.MEDIUM
    types = SECURITY
    description = (
        "For every valid ECDSA signature `(v, r, s)` a second one, `(v', r, n - s)`, recovers "
        "the same signer, and raw `ecrecover` accepts both. Code that treats the signature "
        "bytes as unique - marking signatures as used, or keying anything by them - can be "
        "bypassed by submitting the twin signature."
    )
    recommendation = (
        "Use a vetted library (OpenZeppelin `ECDSA.recover`) that rejects `s` in the upper "
        "half of the curve order, and mark the signed digest (or a nonce) as used - never the "
        "signature bytes."
    )
    references = ("https://swcregistry.io/docs/SWC-117",)

    def detect(self, ctx: Context) -> Iterator[Issue]:
        for owner in ctx.functions():
            index = owner.index
            for call in index.calls if index is not None else []:
                if not is_raw_ecrecover(call) or len(call.args) < 4:
                    continue
                if _s_checked(owner, call.args[3]):
                    continue
                keys = _signature_keys(ctx, owner)
                if keys:
                    function, node = keys[0]
                    yield self.issue(
                        call,
                        f"`{function.name}` records signatures by their bytes (line {node.line}: "
                        f"`{render(node.target, max_len=40)}`), but this raw `ecrecover` also "
                        "accepts the twin signature with `s` mirrored: the same authorisation "
                        "can be used twice.",
                        function=owner,
                    )
                elif _authorises(ctx, owner):
                    yield self.issue(
                        call,
                        f"`{owner.name}` calls `ecrecover` without rejecting `s` in the upper "
                        "half of the curve order: every signature has a second valid form. "
                        "Harmless only while nothing treats signatures as unique.",
                        function=owner,
                        severity=Severity.LOW,
                    )


def _authorises(ctx: Context, owner: Function) -> bool:
    """The recovery decides a state change: in, or called from, a non-view public function."""
    return any(f.is_public and not f.is_view for f in (owner, *ctx.facts(owner).callers))


def _s_checked(owner: Callable, s: Expr) -> bool:
    """``s`` is compared with a constant bound (``uint256(s) <= HALF_ORDER``)."""
    if isinstance(s, Call) and s.kind == "conversion" and s.args:
        s = s.args[0]
    ref = s.ref if isinstance(s, Identifier) else None
    index = owner.index
    for binary in index.binaries if index is not None else []:
        if binary.op not in ("<", ">", "<=", ">="):
            continue
        for mine, other in ((binary.left, binary.right), (binary.right, binary.left)):
            mentions = any(
                isinstance(n, Identifier) and ref is not None and n.ref is ref for n in mine.walk()
            )
            if mentions and _constant(other):
                return True
    return False


def _constant(expr: Expr) -> bool:
    if isinstance(expr, Call) and expr.kind == "conversion" and len(expr.args) == 1:
        return _constant(expr.args[0])
    if isinstance(expr, Literal):
        return (expr.int_value() or 0) > 0
    return (
        isinstance(expr, Identifier) and isinstance(expr.ref, StateVariable) and (expr.ref.constant)
    )


def _signature_keys(ctx: Context, owner: Function) -> list[tuple[Function, Assignment]]:
    """Writes keyed by a signature parameter in the public functions that reach ``owner``."""
    out: list[tuple[Function, Assignment]] = []
    candidates = [owner, *ctx.facts(owner).callers]
    for function in candidates:
        if not function.is_public or function.is_view:
            continue
        params = {
            f"param:{p.name}"
            for p in function.params
            if _SIG_PARAM.search(p.name) and p.type_name is not None
        }
        if not params:
            continue
        for access in ctx.facts(function).state_writes:
            node = access.node
            if isinstance(node, Assignment) and isinstance(node.target, Index):
                if ctx.sources(function, node.target.index) & params:
                    out.append((function, node))
    return out
