"""Inheritance lists whose order breaks linearization or silently picks one of two
unrelated implementations (SWC-125)."""

from __future__ import annotations

from collections.abc import Iterator

from contract_analyzer.detectors.base import SECURITY, Confidence, Detector, Issue, Severity
from contract_analyzer.detectors.context import Context
from contract_analyzer.ir.declarations import Contract, Function
from contract_analyzer.ir.nodes import Identifier, Member


class IncorrectInheritanceOrder(Detector):
    id = "incorrect_inheritance_order"
    title = "Incorrect inheritance order"
    swc = "SWC-125"
    severity = Severity.MEDIUM
    confidence = Confidence.MEDIUM
    types = SECURITY
    description = (
        "Solidity linearizes multiple inheritance from right to left: the base listed last is "
        "the most derived. Listing a contract before its own base makes linearization fail, "
        "and when two unrelated bases implement the same function (or declare the same state "
        "variable), the one listed last silently wins - often not the one the author meant."
    )
    recommendation = (
        "List bases from the most basic to the most derived (`contract C is Base, Derived`), "
        "and override functions defined by several bases explicitly in the derived contract, "
        "calling the intended implementation (or `super`)."
    )
    references = ("https://swcregistry.io/docs/SWC-125",)

    def detect(self, ctx: Context) -> Iterator[Issue]:
        for contract in ctx.contracts:
            if contract.kind == "interface" or len(contract.bases) < 2:
                continue
            if contract.linearization_failed:
                yield from self._misordered(contract)
                continue
            yield from self._ambiguous(contract)

    def _misordered(self, contract: Contract) -> Iterator[Issue]:
        listed = [_find(contract, b.name) for b in contract.bases]
        for i, earlier in enumerate(listed):
            for later in listed[i + 1 :]:
                if earlier is not None and later is not None and later in earlier.ancestors:
                    yield self.issue(
                        None,
                        f"`{contract.name}` lists `{earlier.name}` before its own base "
                        f"`{later.name}`: the inheritance cannot be linearized (the compiler "
                        f"rejects it). Write `is {later.name}, {earlier.name}`.",
                        line=contract.line,
                        contract=contract,
                        severity=Severity.LOW,
                        confidence=Confidence.HIGH,
                    )
                    return

    def _ambiguous(self, contract: Contract) -> Iterator[Issue]:
        own = {_key(f) for f in contract.functions}
        own_vars = {v.name for v in contract.state_variables}
        definers: dict[str, list[Function]] = {}
        for base in contract.ancestors:
            for function in base.functions:
                if (
                    function.kind == "function"
                    and function.body is not None
                    and function.visibility != "private"
                ):
                    key = _key(function)
                    if key not in own:
                        definers.setdefault(key, []).append(function)
        for key, functions in definers.items():
            heads = _unrelated(functions)
            if len(heads) < 2 or _calls_super(heads[0]):
                continue
            winner, loser = heads[0], heads[1]
            yield self.issue(
                None,
                f"`{contract.name}` inherits `{key}` from both `{_owner(winner)}` and "
                f"`{_owner(loser)}`, which are unrelated; the order of the `is` list makes "
                f"`{_owner(winner)}.{winner.name}` win silently. Override it in "
                f"`{contract.name}` and choose explicitly.",
                line=contract.line,
                contract=contract,
            )
        seen: dict[str, Contract] = {}
        for base in contract.ancestors:
            for var in base.state_variables:
                if var.effective_visibility == "private":
                    continue  # each base's private storage is its own business
                first = seen.get(var.name)
                if first is None:
                    seen[var.name] = base
                elif var.name not in own_vars and not _related(first, base):
                    yield self.issue(
                        None,
                        f"`{contract.name}` inherits two state variables named `{var.name}`, "
                        f"from the unrelated bases `{first.name}` and `{base.name}`; each "
                        "base's functions use their own copy.",
                        line=contract.line,
                        contract=contract,
                    )


def _key(function: Function) -> str:
    return function.signature


def _owner(function: Function) -> str:
    return function.contract.name if function.contract is not None else "?"


def _related(a: Contract, b: Contract) -> bool:
    return a in b.linearization or b in a.linearization


def _unrelated(functions: list[Function]) -> list[Function]:
    """Implementations not overridden by another one in the list, most derived first."""
    heads: list[Function] = []
    for function in functions:
        owner = function.contract
        if owner is None:
            continue
        if any(h.contract is not None and owner in h.contract.linearization for h in heads):
            continue  # a more derived implementation in the list overrides this one
        heads.append(function)
    return heads


def _calls_super(function: Function) -> bool:
    """``super.f(...)`` inside ``f``: cooperative inheritance runs every implementation."""
    index = function.index
    if index is None:
        return False
    return any(
        isinstance(m.base, Identifier) and m.base.name == "super" and m.member == function.name
        for m in index.members
        if isinstance(m, Member)
    )


def _find(contract: Contract, name: str) -> Contract | None:
    for base in contract.ancestors:
        if base.name == name:
            return base
    return None
