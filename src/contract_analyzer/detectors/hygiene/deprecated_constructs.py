"""Deprecated or removed language constructs (SWC-111)."""

from __future__ import annotations

from collections.abc import Iterator

from contract_analyzer.detectors.base import (
    QUALITY,
    SECURITY,
    Confidence,
    Detector,
    Issue,
    Severity,
)
from contract_analyzer.detectors.context import Context
from contract_analyzer.ir.builtins import Builtin
from contract_analyzer.ir.declarations import Callable, Contract, Function
from contract_analyzer.ir.nodes import (
    Call,
    Emit,
    Identifier,
    Literal,
    Member,
    Node,
    Throw,
    Variable,
)
from contract_analyzer.ir.resolve import dotted_name

_IDENTIFIERS = {
    "suicide": "`suicide` is deprecated: use `selfdestruct`",
    "sha3": "`sha3` is deprecated: use `keccak256`",
}
_MEMBER_NAMES = frozenset({"gas", "blockhash", "callcode"})
_MEMBERS = {
    "msg.gas": "`msg.gas` is deprecated: use `gasleft()`",
    "block.blockhash": "`block.blockhash` is deprecated: use `blockhash()`",
}


class DeprecatedConstructs(Detector):
    id = "deprecated_constructs"
    title = "Use of deprecated Solidity constructs"
    swc = "SWC-111"
    severity = Severity.LOW
    confidence = Confidence.HIGH
    types = SECURITY | QUALITY
    description = (
        "The code uses constructs that later compilers deprecated or removed (`throw`, "
        "`suicide`, `sha3`, `callcode`, `msg.gas`, `block.blockhash`, `constant` functions, "
        "`var`, `years`, visibility-less fallbacks, events without `emit`...). They pin the "
        "code to old compilers and some behave surprisingly (`throw` burns all gas, `var` "
        "infers the smallest integer type, `callcode` does not preserve `msg.sender`)."
    )
    recommendation = (
        "Use the current equivalents named in each finding and move to a recent compiler."
    )
    references = (
        "https://swcregistry.io/docs/SWC-111",
        "https://docs.soliditylang.org/en/latest/050-breaking-changes.html",
    )

    def detect(self, ctx: Context) -> Iterator[Issue]:
        for contract in ctx.contracts:
            yield from self._declarations(contract)
            for var in contract.state_variables:
                if var.value is not None:
                    for node in var.value.walk():
                        message = _expression_message(node)
                        if message:
                            yield self.issue(node, message, contract=contract)
        # legacy spellings only compile before 0.5 (the converter also flags files that
        # use them); modern files only need the cheap check for events without `emit`
        legacy = "legacy" in ctx.unit.syntax_hints or ctx.allows_legacy()
        for callable_ in ctx.callables():
            for node in _candidates(callable_, legacy):
                message = _node_message(node)
                if message:
                    yield self.issue(node, message, function=callable_)

    def _declarations(self, contract: Contract) -> Iterator[Issue]:
        for function in contract.functions:
            if function.legacy_constant:
                yield self.issue(
                    None,
                    f"Function `{function.name}` is declared `constant`, removed in 0.5.0: "
                    "declare it `view` (or `pure` if it reads no state).",
                    line=function.line,
                    function=function,
                )
            if function.legacy_constructor:
                yield self.issue(
                    None,
                    f"`function {function.name}` is a constructor only because it is named "
                    "like the contract (deprecated in 0.4.22): use the `constructor` keyword, "
                    "which cannot silently become a public function after a rename.",
                    line=function.line,
                    function=function,
                )
            if function.kind == "fallback" and function.visibility is None:
                if _is_legacy_fallback(contract, function):
                    yield self.issue(
                        None,
                        "The unnamed `function()` fallback has no visibility (required "
                        "`external` since 0.5.0): use `receive() external payable` for plain "
                        "ether and `fallback() external` for other calls.",
                        line=function.line,
                        function=function,
                    )


def _is_legacy_fallback(contract: Contract, function: Function) -> bool:
    """The fallback is spelled ``function()`` (the modern keywords are ``fallback``/``receive``)."""
    text = contract.unit.line_text(function.line)
    return text[function.span.col - 1 :].lstrip().startswith("function")


def _candidates(callable_: Callable, legacy: bool) -> Iterator[Node]:
    """The nodes that may spell something deprecated, from the body's index."""
    index = callable_.index
    if index is None:
        return
    yield from index.calls
    if not legacy:
        return
    yield from (s for s in index.statements if type(s) is Throw)
    yield from index.locals
    yield from (i for i in index.identifiers if i.name in _IDENTIFIERS)
    yield from (m for m in index.members if m.member in _MEMBER_NAMES)
    yield from (n for n in index.nodes if type(n) is Literal)


def _node_message(node: Node) -> str:
    if isinstance(node, Throw):
        return (
            "`throw` is deprecated (removed in 0.5.0) and consumes all remaining gas: "
            "use `revert()` or `require()`."
        )
    if isinstance(node, Variable):
        return _var_message(node) if node.type_name is None else ""
    if isinstance(node, Call) and node.kind == "event" and not isinstance(node.parent, Emit):
        return (
            f"Event `{dotted_name(node.callee) or 'event'}` is fired without `emit` "
            "(deprecated in 0.4.21): write `emit` before it."
        )
    return _expression_message(node)


def _expression_message(node: Node) -> str:
    if isinstance(node, Identifier):
        if node.name in _IDENTIFIERS and _is_global(node.ref):
            return _IDENTIFIERS[node.name] + "."
        return ""
    if isinstance(node, Member):
        name = dotted_name(node)
        if name in _MEMBERS and _is_global(getattr(node.base, "ref", None)):
            return _MEMBERS[name] + "."
        if node.member == "callcode":
            return (
                "`callcode` is deprecated (removed in 0.5.0) and does not preserve "
                "`msg.sender`/`msg.value`: use `delegatecall`."
            )
        return ""
    if isinstance(node, Literal) and node.subdenomination == "years":
        return (
            "The `years` unit is deprecated (removed in 0.5.0) and ignores leap years: "
            "write `365 days` explicitly."
        )
    return ""


def _var_message(var: Variable) -> str:
    return (
        f"`var {var.name}` is deprecated (removed in 0.5.0): its type is inferred from the "
        "initial value, often a too-small integer (`var i = 0` is `uint8`); declare the type."
    )


def _is_global(ref: object) -> bool:
    """The name means the language's global (not a user declaration that reuses it)."""
    return ref is None or isinstance(ref, Builtin)
