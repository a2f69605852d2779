"""Names that break the Solidity style guide's conventions."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from contract_analyzer.detectors.base import QUALITY, Confidence, Detector, Issue, Severity
from contract_analyzer.detectors.context import Context
from contract_analyzer.ir.declarations import Function, StateVariable
from contract_analyzer.ir.nodes import Variable

_CAP_WORDS = re.compile(r"^[A-Z][A-Za-z0-9]*$")
_MIXED_CASE = re.compile(r"^[a-z][A-Za-z0-9]*$")
_UPPER_CASE = re.compile(r"^[A-Z][A-Z0-9_]*$")
_KINDS = {
    "cap": ("CapWords", _CAP_WORDS),
    "mixed": ("mixedCase", _MIXED_CASE),
    "upper": ("UPPER_CASE", _UPPER_CASE),
}


# Names fixed by widely used standards (EIP-2612, Uniswap V2 pairs): keep them as they are.
_MANDATED = frozenset(
    {"DOMAIN_SEPARATOR", "PERMIT_TYPEHASH", "DELEGATION_TYPEHASH", "MINIMUM_LIQUIDITY", "WETH"}
)

# Public constants and immutables whose getters standards name in mixedCase.
_ABI_GETTERS = frozenset({"name", "symbol", "decimals", "version", "totalSupply"})


def _ok(name: str, style: str) -> bool:
    if name in _MANDATED or name.startswith("__"):
        return True  # standard names; `__Base_init` style initialisers
    core = name.strip("_")
    return not core or bool(_KINDS[style][1].match(core))


class NamingConvention(Detector):
    id = "naming_convention"
    title = "Name does not follow the Solidity naming conventions"
    severity = Severity.INFO
    confidence = Confidence.HIGH
    types = QUALITY
    description = (
        "The Solidity style guide names contracts, structs, events, errors and enums in "
        "CapWords, functions, modifiers, variables and parameters in mixedCase, and constants "
        "in UPPER_CASE. Consistent names tell readers what kind of thing they are looking at."
    )
    recommendation = "Rename the declaration to follow the convention named in the message."
    references = ("https://docs.soliditylang.org/en/latest/style-guide.html#naming-conventions",)

    def detect(self, ctx: Context) -> Iterator[Issue]:
        unit = ctx.unit
        for contract in ctx.contracts:
            yield from self._check(contract.kind, contract.name, "cap", contract.line)
            for struct in contract.structs:
                yield from self._check("struct", struct.name, "cap", struct.line)
            for enum in contract.enums:
                yield from self._check("enum", enum.name, "cap", enum.line)
            for event in contract.events:
                yield from self._check("event", event.name, "cap", event.line)
            for error in contract.errors:
                yield from self._check("error", error.name, "cap", error.line)
            for var in contract.state_variables:
                yield from self._state(var)
            for modifier in contract.modifiers:
                yield from self._check("modifier", modifier.name, "mixed", modifier.line)
                yield from self._params(modifier.params)
        for struct in unit.structs:
            yield from self._check("struct", struct.name, "cap", struct.line)
        for enum in unit.enums:
            yield from self._check("enum", enum.name, "cap", enum.line)
        for error in unit.errors:
            yield from self._check("error", error.name, "cap", error.line)
        for const in unit.constants:
            yield from self._state(const)
        for function in ctx.functions(with_body=False):
            yield from self._function(function)

    def _function(self, function: Function) -> Iterator[Issue]:
        if function.kind == "function" and not function.is_override:
            getter_like = function.is_view and function.is_public and not function.params
            if not (getter_like and _ok(function.name, "upper")):
                yield from self._check("function", function.name, "mixed", function.line)
        if not function.is_override:
            yield from self._params(function.params)
        index = function.index
        if index is not None:
            yield from self._params(index.locals)

    def _params(self, variables: Sequence[Variable | None]) -> Iterator[Issue]:
        for var in variables:
            if var is not None and var.name:
                yield from self._check("variable", var.name, "mixed", var.line)

    def _state(self, var: StateVariable) -> Iterator[Issue]:
        if var.name in _ABI_GETTERS and var.effective_visibility == "public":
            return  # `string public constant name`: the getter's name is fixed by ERC-20
        if var.constant:
            yield from self._check("constant", var.name, "upper", var.line)
        elif var.immutable:
            if not _ok(var.name, "upper"):
                yield from self._check("immutable", var.name, "mixed", var.line)
        elif not var.is_override:
            yield from self._check("state variable", var.name, "mixed", var.line)

    def _check(self, kind: str, name: str, style: str, line: int) -> Iterator[Issue]:
        if _ok(name, style):
            return
        yield self.issue(
            None,
            f"The {kind} name `{name}` is not in {_KINDS[style][0]}.",
            line=line,
        )
