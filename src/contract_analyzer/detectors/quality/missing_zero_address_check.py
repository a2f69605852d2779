"""Address parameters stored or paid to without a check against ``address(0)``."""

from __future__ import annotations

from collections.abc import Iterator

from contract_analyzer.detectors.base import QUALITY, Confidence, Detector, Issue, Severity
from contract_analyzer.detectors.context import Context
from contract_analyzer.detectors.gas._util import is_zero_value
from contract_analyzer.ir.access import root_state_variable
from contract_analyzer.ir.declarations import Contract, Function
from contract_analyzer.ir.nodes import (
    Call,
    Expr,
    Identifier,
    Index,
    Member,
    Node,
    TupleExpr,
    Variable,
)
from contract_analyzer.ir.resolve import dotted_name

_ETHER_KINDS = frozenset({"transfer", "send", "call"})
_CONTRACT_CHECKS = frozenset({"isContract", "code"})


class MissingZeroAddressCheck(Detector):
    id = "missing_zero_address_check"
    title = "Missing zero-address check"
    severity = Severity.LOW
    confidence = Confidence.MEDIUM
    types = QUALITY
    description = (
        "An address parameter is written to state (owner, treasury, token...) or receives "
        "ether without being compared with `address(0)`. A mistaken empty argument then "
        "locks the role or burns the funds."
    )
    recommendation = (
        "Check the argument first: `if (account == address(0)) revert ZeroAddress();` or "
        '`require(account != address(0), "zero address");`.'
    )

    def detect(self, ctx: Context) -> Iterator[Issue]:
        for function in ctx.functions():
            if not (function.is_public or function.is_constructor) or function.index is None:
                continue
            params = [p for p in function.params if _is_address(function, p)]
            if not params:
                continue
            sinks = _sinks(ctx, function, params)
            if not sinks:
                continue
            checked = _checked(function, params)
            by_line: dict[int, list[tuple[Variable, Node, str]]] = {}
            for param, (node, what) in sinks.items():
                if id(param) not in checked:
                    by_line.setdefault(node.line, []).append((param, node, what))
            for hits in by_line.values():
                text = "; ".join(f"`{p.name}` {what}" for p, _, what in hits)
                yield self.issue(
                    hits[0][1],
                    f"In `{function.name}`, {text} without a check that "
                    f"{'they are' if len(hits) > 1 else 'it is'} not address(0).",
                    function=function,
                    # a bad constructor argument shows at deployment, before anyone relies on it
                    severity=Severity.INFO if function.is_constructor else None,
                    confidence=Confidence.LOW if function.is_constructor else None,
                )


def _is_address(function: Function, param: Variable) -> bool:
    t = param.type_name
    if t is None or not param.name:
        return False
    if t.is_address:
        return True
    scope = function.scope
    if t.kind != "user" or scope is None:
        return False
    target = scope.resolve_user_type(t)
    return isinstance(target, Contract) and not target.is_library


def _param_of(expr: Expr | None, params: list[Variable]) -> Variable | None:
    """The parameter ``expr`` is, through conversions like ``payable(p)``/``IERC20(p)``."""
    while True:
        if isinstance(expr, TupleExpr) and len(expr.elements) == 1:
            expr = expr.elements[0]
        elif isinstance(expr, Call) and expr.kind == "conversion" and len(expr.args) == 1:
            expr = expr.args[0]
        else:
            break
    if isinstance(expr, Identifier) and isinstance(expr.ref, Variable) and expr.ref in params:
        return expr.ref
    return None


def _sinks(
    ctx: Context, function: Function, params: list[Variable]
) -> dict[Variable, tuple[Node, str]]:
    index = function.index
    assert index is not None
    facts = ctx.facts(function)
    sinks: dict[Variable, tuple[Node, str]] = {}
    for assignment in index.assignments:
        if assignment.op != "=":
            continue
        param = _param_of(assignment.value, params)
        if param is None or param in sinks or _has_index(assignment.target):
            continue
        var = root_state_variable(assignment.target, facts.aliases)
        if var is not None and "pending" not in var.name.lower():
            # a zero `pendingOwner` cancels a two-step transfer: that is a feature
            sinks[param] = (assignment, f"is stored in `{var.name}`")
    for ext in facts.external_calls:
        param = _param_of(ext.target, params)
        if param is not None and ext.kind in _ETHER_KINDS and ext.sends_ether:
            sinks.setdefault(param, (ext.call, "receives ether"))
    return sinks


def _has_index(target: Expr) -> bool:
    while isinstance(target, Member | Index):
        if isinstance(target, Index):
            return True
        target = target.base
    return False


def _checked(function: Function, params: list[Variable]) -> set[int]:
    """Parameters compared with zero (or with ``msg.sender``, or tested for code), in the
    body, in a modifier argument, or in an internal function they are passed to."""
    index = function.index
    assert index is not None
    checked: set[int] = set()
    names = {p.name: p for p in params}
    for invocation in function.modifiers:
        for arg in invocation.args or ():
            for node in arg.walk():
                if isinstance(node, Identifier) and node.name in names:
                    checked.add(id(names[node.name]))
    for binary in index.binaries:
        if binary.op not in ("==", "!="):
            continue
        for side, other in ((binary.left, binary.right), (binary.right, binary.left)):
            param = _param_of(side, params)
            if param is not None and (is_zero_value(other) or dotted_name(other) == "msg.sender"):
                checked.add(id(param))
    for member in index.members:
        param = _param_of(member.base, params)
        if param is not None and member.member in _CONTRACT_CHECKS:
            checked.add(id(param))
    for call in index.calls:
        target = call.target
        name = call.callee.member if isinstance(call.callee, Member) else dotted_name(call.callee)
        for arg in call.args:
            param = _param_of(arg, params)
            if param is None:
                continue
            if name == "isContract" or (
                isinstance(target, Function) and call.kind == "internal" and _compares_zero(target)
            ):
                checked.add(id(param))
    return checked


def _compares_zero(function: Function) -> bool:
    index = function.index
    return index is not None and any(
        b.op in ("==", "!=") and (is_zero_value(b.left) or is_zero_value(b.right))
        for b in index.binaries
    )
