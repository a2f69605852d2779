"""The value returned by a state-changing call is ignored."""

from __future__ import annotations

from collections.abc import Iterator

from contract_analyzer.detectors.base import SECURITY, Confidence, Detector, Issue, Severity
from contract_analyzer.detectors.calls.unchecked_erc20_transfer import ERC20_BOOL_FUNCTIONS
from contract_analyzer.detectors.context import Context
from contract_analyzer.ir.declarations import Function
from contract_analyzer.ir.nodes import Call, ExpressionStmt, Literal, Member
from contract_analyzer.ir.render import render

_KINDS = frozenset({"internal", "library", "external"})


class UnusedReturnValue(Detector):
    id = "unused_return_value"
    title = "Unused return value"
    swc = "SWC-104"
    severity = Severity.MEDIUM
    confidence = Confidence.MEDIUM
    types = SECURITY
    description = (
        "A function that changes state and returns a value is called as a statement and its "
        "result is thrown away. The value often reports whether the operation succeeded or "
        "how much it actually did (tokens received, shares minted), and ignoring it lets "
        "the contract continue on a wrong assumption."
    )
    recommendation = (
        "Use the returned value: check it, or use it instead of the amount you expected. "
        "If it truly does not matter, say so explicitly (assign it to a named variable with "
        "a comment)."
    )
    references = ("https://swcregistry.io/docs/SWC-104",)

    def detect(self, ctx: Context) -> Iterator[Issue]:
        for callable_ in ctx.callables():
            index = callable_.index
            if index is None:
                continue
            for call in index.calls:
                if call.kind not in _KINDS or not isinstance(call.parent, ExpressionStmt):
                    continue
                target = call.target
                if not isinstance(target, Function) or not _meaningful(call, target):
                    continue
                name = _called_name(call, target)
                returned = ", ".join(
                    str(r.type_name) + (f" {r.name}" if r.name else "") for r in target.returns
                )
                external = call.kind == "external"
                where = "external call" if external else "call"
                yield self.issue(
                    call,
                    f"The {where} `{render(call, max_len=60)}` returns ({returned}) but the "
                    f"result is ignored; check what `{name}` reports.",
                    function=callable_,
                    # our own helpers' flags are often "did anything change": less alarming
                    severity=None if external and not _informational(target) else Severity.LOW,
                    confidence=Confidence.HIGH if external else None,
                )


def _meaningful(call: Call, target: Function) -> bool:
    """The callee changes state and returns something worth looking at."""
    if not target.returns or target.is_view:
        return False
    types = [r.type_name for r in target.returns]
    if call.kind != "external" and not any(t is not None and t.is_bool for t in types):
        return False  # an internal helper's computed value: the side effect is the point
    if all(t is not None and str(t) == "bytes" for t in types):
        return False  # return data of a call helper that reverts on failure
    name = target.name
    if call.kind == "external" and ERC20_BOOL_FUNCTIONS.get(name) == len(call.args):
        return False  # unchecked_erc20_transfer reports these
    first = target.params[0] if target.params else None
    if (
        call.kind == "library"
        and first is not None
        and first.location == "storage"
        and len(target.returns) == 1
        and target.returns[0].type_name is not None
        and target.returns[0].type_name.is_bool
    ):
        return False  # `set.add(x)`: a was-it-new flag that callers commonly ignore
    index = target.index
    if index is not None and index.returns:
        values = [r.value.value if isinstance(r.value, Literal) else None for r in index.returns]
        if None not in values and len(set(values)) == 1:
            return False  # always returns the same constant (`return true;`)
    return True


def _informational(target: Function) -> bool:
    """Every value returned is a handle the callee hands out (a request id, a message
    id, a queued operation's hash), not a success flag or an amount: ignoring it loses
    nothing the call did, so it is worth a look but not a medium finding."""
    for ret in target.returns:
        kind = ret.type_name
        if kind is None or kind.is_bool:
            return False
        named_id = ret.name.lower().endswith("id") if ret.name else False
        handle = target.name.startswith(_HANDLE_PREFIXES) and kind.is_integer
        if not (named_id or handle or str(kind) == "bytes32"):
            return False
    return True


_HANDLE_PREFIXES = ("request", "create", "queue", "send", "register", "schedule")


def _called_name(call: Call, target: Function) -> str:
    callee = call.callee
    if isinstance(callee, Member):
        return callee.member
    return target.name
