"""Authorisation through ``tx.origin`` (SWC-115)."""

from __future__ import annotations

from collections.abc import Iterator

from contract_analyzer.detectors.access_control._util import (
    in_condition,
    is_sender,
    is_zero,
    state_roots,
)
from contract_analyzer.detectors.base import SECURITY, Confidence, Detector, Issue, Severity
from contract_analyzer.detectors.context import Context
from contract_analyzer.ir.declarations import Callable, Function, Modifier
from contract_analyzer.ir.nodes import Binary, Call, Emit, Expr, Identifier, Index, Node, Return
from contract_analyzer.ir.render import render
from contract_analyzer.ir.resolve import dotted_name


def _is_origin(expr: Expr | None) -> bool:
    if isinstance(expr, Call) and expr.kind == "conversion" and len(expr.args) == 1:
        return _is_origin(expr.args[0])
    return dotted_name(expr) == "tx.origin"


class TxOrigin(Detector):
    id = "tx_origin"
    title = "Authorization through tx.origin"
    swc = "SWC-115"
    severity = Severity.HIGH
    confidence = Confidence.HIGH
    types = SECURITY
    description = (
        "`tx.origin` is the account that started the transaction, not the immediate caller. "
        "A check such as `require(tx.origin == owner)` passes when the owner is tricked into "
        "calling a malicious contract, which then calls this one on the owner's behalf."
    )
    recommendation = (
        "Authorise with `msg.sender` instead (`require(msg.sender == owner)`, or OpenZeppelin "
        "`Ownable`/`AccessControl`). `tx.origin == msg.sender` is only acceptable to tell "
        "externally owned accounts from contracts, never to grant rights."
    )
    references = ("https://swcregistry.io/docs/SWC-115",)

    def detect(self, ctx: Context) -> Iterator[Issue]:
        for callable_ in ctx.callables():
            index = callable_.index
            if index is None:
                continue
            for binary in index.binaries:
                issue = self._comparison(ctx, callable_, binary)
                if issue is not None:
                    yield issue
            for node in index.indexes:
                if _is_origin(node.index) and in_condition(node) and _is_flag(ctx, callable_, node):
                    name = render(node, max_len=50)
                    yield self.issue(
                        node,
                        f"`{name}` grants rights to whoever started the transaction: any "
                        "contract that user calls can act with their permission.",
                        function=callable_,
                        confidence=Confidence.MEDIUM,
                    )

    def _comparison(self, ctx: Context, callable_: Callable, binary: Binary) -> Issue | None:
        if binary.op not in ("==", "!="):
            return None
        for mine, other in ((binary.left, binary.right), (binary.right, binary.left)):
            if not _is_origin(mine):
                continue
            if is_sender(other) or is_zero(other) or _is_origin(other) or _logged(binary):
                return None
            if _asks_about_caller(ctx, callable_, binary, other):
                return None
            where = "modifier" if isinstance(callable_, Modifier) else "function"
            if state_roots(other) or _getter(other):
                confidence = Confidence.HIGH
                whom = f"`{render(other, max_len=40)}`"
            else:
                confidence = Confidence.MEDIUM
                whom = f"the address `{render(other, max_len=40)}`"
            return self.issue(
                binary,
                f"The {where} `{callable_.name}` authorises by comparing `tx.origin` with "
                f"{whom}: a malicious contract the user interacts with passes this check.",
                function=callable_,
                confidence=confidence,
            )
        return None


def _asks_about_caller(ctx: Context, callable_: Callable, binary: Binary, other: Expr) -> bool:
    """A view answers whether the address it was handed started the transaction
    in what it returns (``hasAccess(user) returns (... || user == tx.origin)``), and every
    caller we can see hands it ``msg.sender``: that tells a direct call from an account (an off-chain
    read) from a contract's; no stored identity is trusted through ``tx.origin``."""
    if not isinstance(callable_, Function) or not callable_.is_view:
        return False
    if not isinstance(other, Identifier) or other.ref not in callable_.params:
        return False
    if not isinstance(getattr(binary, "stmt", None), Return):
        return False  # `require(tx.origin == from)` inside the view authorises
    position = callable_.params.index(other.ref)
    for caller in ctx.facts(callable_).callers:
        for call, target in ctx.facts(caller).internal_calls:
            if target is callable_ and not (
                position < len(call.args) and is_sender(call.args[position])
            ):
                return False
    return True


def _getter(expr: Expr) -> bool:
    return isinstance(expr, Call) and expr.kind in ("internal", "external") and not expr.args


def _is_flag(ctx: Context, callable_: Callable, node: Index) -> bool:
    value_type = ctx.type_of(callable_, node)
    return value_type is None or value_type.is_bool


def _logged(node: Node) -> bool:
    """The value only ends up in an event."""
    stmt = getattr(node, "stmt", None)
    return isinstance(stmt, Emit)
