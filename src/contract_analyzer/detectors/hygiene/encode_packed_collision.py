"""``abi.encodePacked`` of adjacent dynamic values used as a hash or identity (SWC-133)."""

from __future__ import annotations

from collections.abc import Iterator

from contract_analyzer.detectors.base import SECURITY, Confidence, Detector, Issue, Severity
from contract_analyzer.detectors.context import Context
from contract_analyzer.ir.declarations import Callable, StateVariable
from contract_analyzer.ir.index import is_call_to
from contract_analyzer.ir.nodes import (
    Assignment,
    Binary,
    Call,
    Expr,
    Identifier,
    Index,
    Literal,
    Member,
    Node,
    TupleExpr,
    VarDecl,
    Variable,
)
from contract_analyzer.ir.render import render
from contract_analyzer.ir.resolve import dotted_name

_HASHES = ("keccak256", "sha256", "sha3", "ripemd160", "ecrecover")
_IDENTITY_WORDS = ("hash", "verify", "recover", "signature", "signed")


class EncodePackedCollision(Detector):
    id = "encode_packed_collision"
    title = "Hash collision with abi.encodePacked and dynamic types"
    swc = "SWC-133"
    severity = Severity.MEDIUM
    confidence = Confidence.MEDIUM
    types = SECURITY
    description = (
        "`abi.encodePacked` concatenates dynamic values (strings, bytes, dynamic arrays) "
        "without their lengths, so two adjacent dynamic arguments can be split differently and "
        'give the same bytes: `("ab", "c")` and `("a", "bc")` hash alike. When the hash '
        "is a signature message, an id or a mapping key, an attacker can reuse a signature or "
        "collide with another entry."
    )
    recommendation = (
        "Use `abi.encode` (which encodes lengths), or put a fixed-size value between the "
        "dynamic ones, or hash each dynamic value separately first."
    )
    references = ("https://swcregistry.io/docs/SWC-133",)

    def detect(self, ctx: Context) -> Iterator[Issue]:
        for callable_ in ctx.callables():
            index = callable_.index
            if index is None:
                continue
            for call in index.calls:
                if dotted_name(call.callee) != "abi.encodePacked" or len(call.args) < 2:
                    continue
                pair = _adjacent_dynamic(ctx, callable_, call.args)
                if pair is None:
                    continue
                use = _identity_use(callable_, call)
                if use is None:
                    continue
                first, second = (render(a, max_len=30) for a in pair)
                yield self.issue(
                    call,
                    f"`abi.encodePacked` puts the dynamic values `{first}` and `{second}` side "
                    f"by side and the result is {use}: different inputs can produce the same "
                    "bytes. Use `abi.encode`.",
                    function=callable_,
                )


def _adjacent_dynamic(
    ctx: Context, callable_: Callable, args: list[Expr]
) -> tuple[Expr, Expr] | None:
    previous: Expr | None = None
    for arg in args:
        if _is_dynamic(ctx, callable_, arg):
            if previous is not None and not _derived(previous, arg):
                return previous, arg
            previous = arg
        else:
            previous = None
    return None


def _is_dynamic(ctx: Context, callable_: Callable, arg: Expr) -> bool:
    if isinstance(arg, Literal):
        return False  # a constant's length is fixed by the code
    t = ctx.type_of(callable_, arg)
    return t is not None and (t.is_string_or_bytes or t.is_dynamic_array)


def _identity_use(callable_: Callable, call: Call) -> str | None:
    """How the packed bytes are used, when that use needs them to be unique."""
    use = _direct_use(call)
    if use is not None:
        return use
    var = _stored_in(call)
    if var is None or callable_.index is None:
        return None
    for ident in callable_.index.identifiers:
        if ident.ref is var:
            use = _direct_use(ident)
            if use is not None:
                return use
    return None


def _direct_use(expr: Expr) -> str | None:
    child: Node = expr
    parent = expr.parent
    while isinstance(parent, TupleExpr):
        child, parent = parent, parent.parent
    if isinstance(parent, Call) and child is not parent.callee:
        if is_call_to(parent, *_HASHES):
            name = dotted_name(parent.callee)
            return f"hashed with `{name}`" if name != "ecrecover" else "used to recover a signer"
        name = _callee_name(parent)
        if any(word in name.lower() for word in _IDENTITY_WORDS):
            return f"passed to `{name}`"
    if isinstance(parent, Index) and parent.index is child:
        return "used as a mapping key"
    if isinstance(parent, Binary) and parent.op in ("==", "!="):
        return "compared for identity"
    return None


def _stored_in(call: Call) -> Variable | None:
    """The local that receives the packed bytes (``bytes memory m = abi.encodePacked(..)``)."""
    parent = call.parent
    if isinstance(parent, VarDecl) and not parent.is_tuple and parent.variables:
        return parent.variables[0]
    if isinstance(parent, Assignment) and parent.value is call:
        target = parent.target
        if isinstance(target, Identifier) and isinstance(target.ref, Variable):
            return target.ref
    return None


def _callee_name(call: Call) -> str:
    callee = call.callee
    if isinstance(callee, Member):
        return callee.member
    if isinstance(callee, Identifier):
        return callee.name
    return ""


def _derived(a: Expr, b: Expr) -> bool:
    """One value is computed from the other (``toString(s.length), s``): the first
    fixes where the second starts, so the split is unambiguous."""
    for computed, other in ((a, b), (b, a)):
        if isinstance(computed, Call) and _refs(computed) & _refs(other):
            return True
    return False


def _refs(expr: Expr) -> set[int]:
    """The variables (locals, parameters, state) an expression mentions."""
    return {
        id(n.ref)
        for n in expr.walk()
        if isinstance(n, Identifier) and isinstance(n.ref, Variable | StateVariable)
    }
