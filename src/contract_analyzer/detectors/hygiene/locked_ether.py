"""A contract accepts ether but has no way to send it out."""

from __future__ import annotations

from collections.abc import Iterator

from contract_analyzer.detectors.base import SECURITY, Confidence, Detector, Issue, Severity
from contract_analyzer.detectors.context import Context
from contract_analyzer.ir.declarations import Callable, Contract, Function

_OUT_KINDS = frozenset({"delegatecall", "callcode"})
_YUL_OUT = frozenset({"call", "callcode", "delegatecall", "selfdestruct", "create", "create2"})


class LockedEther(Detector):
    id = "locked_ether"
    title = "Contract locks ether"
    swc = None
    severity = Severity.MEDIUM
    confidence = Confidence.HIGH
    types = SECURITY
    description = (
        "The contract can receive ether (it has payable functions) but no code in it or its "
        "bases can send ether out: no `transfer`, `send`, `call` with value, `selfdestruct` "
        "or `delegatecall`. Every wei sent to it is locked forever."
    )
    recommendation = (
        "Add a (suitably protected) withdrawal function, or remove `payable` from functions "
        "that should not accept ether."
    )
    references = ("https://swcregistry.io/docs/SWC-132",)

    def detect(self, ctx: Context) -> Iterator[Issue]:
        memo: dict[int, bool] = {}
        for contract in ctx.contracts:
            if contract.kind != "contract" or contract.abstract or contract.has_unknown_bases:
                continue
            payable = [f for f in contract.callable_functions() if f.is_payable]
            if not payable:
                continue
            if any(_can_send(ctx, c, memo) for c in _bodies(contract)):
                continue
            names = ", ".join(f"`{_label(f)}`" for f in payable[:4])
            yield self.issue(
                None,
                f"`{contract.name}` accepts ether through {names} but nothing in it or its "
                "bases can send ether out: deposits are locked forever.",
                line=contract.line,
                contract=contract,
            )


def _bodies(contract: Contract) -> Iterator[Callable]:
    for owner in contract.linearization or [contract]:
        yield from owner.functions
        yield from owner.modifiers


def _can_send(ctx: Context, callable_: Callable, memo: dict[int, bool]) -> bool:
    """The body, or anything it calls internally, can move ether out (or might: calls
    whose target we cannot see count as possible)."""
    cached = memo.get(id(callable_))
    if cached is not None:
        return cached
    facts = ctx.facts(callable_)
    result = _sends_directly(ctx, callable_) or any(
        _sends_directly(ctx, callee) for callee in facts.callees
    )
    memo[id(callable_)] = result
    return result


def _sends_directly(ctx: Context, callable_: Callable) -> bool:
    if callable_.body is None:
        return False
    facts = ctx.facts(callable_)
    if facts.ether_out:
        return True
    for ext in facts.external_calls:
        if ext.kind in _OUT_KINDS:
            return True
        if ext.kind == "high_level" and ext.callee is None:
            # `to.sendValue(v)` or `Address.sendValue(to, v)` from a library we cannot see
            target_type = ctx.type_of(callable_, ext.target)
            if target_type is None or target_type.is_address:
                return True
    index = callable_.index
    if index is not None:
        for assembly in index.assemblies:
            if any(call.name in _YUL_OUT for call in assembly.calls):
                return True
    return False


def _label(function: Function) -> str:
    if function.kind in ("receive", "fallback", "constructor"):
        return function.kind
    return function.name
