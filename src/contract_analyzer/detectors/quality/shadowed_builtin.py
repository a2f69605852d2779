"""Declarations that reuse the name of a built-in symbol."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from contract_analyzer.detectors.base import QUALITY, Confidence, Detector, Issue, Severity
from contract_analyzer.detectors.context import Context
from contract_analyzer.ir.nodes import Variable

BUILTIN_NAMES = frozenset(
    {
        "now", "assert", "require", "revert", "sha3", "keccak256", "sha256", "ripemd160",
        "ecrecover", "addmod", "mulmod", "block", "msg", "tx", "this", "super", "abi",
        "selfdestruct", "suicide", "gasleft", "blockhash",
    }
)  # fmt: skip


class ShadowedBuiltin(Detector):
    id = "shadowed_builtin"
    title = "Declaration shadows a built-in symbol"
    severity = Severity.LOW
    confidence = Confidence.HIGH
    types = QUALITY
    description = (
        "A variable, function, modifier, event or type is named like a built-in (`now`, "
        "`require`, `msg`, `keccak256`...). Inside its scope the name no longer means the "
        "built-in: a shadowed `require` or `assert` may silently stop reverting."
    )
    recommendation = "Rename the declaration."

    def detect(self, ctx: Context) -> Iterator[Issue]:
        unit = ctx.unit
        found: list[tuple[str, str, int]] = []
        for contract in unit.contracts:
            found.append(("contract", contract.name, contract.line))
            found.extend(("state variable", v.name, v.line) for v in contract.state_variables)
            found.extend(("modifier", m.name, m.line) for m in contract.modifiers)
            found.extend(("event", e.name, e.line) for e in contract.events)
            found.extend(("error", e.name, e.line) for e in contract.errors)
            found.extend(("struct", s.name, s.line) for s in contract.structs)
            found.extend(("enum", e.name, e.line) for e in contract.enums)
            for modifier in contract.modifiers:
                found.extend(_variables(modifier.params))
        found.extend(("constant", c.name, c.line) for c in unit.constants)
        for function in ctx.functions(with_body=False):
            if function.kind == "function":
                found.append(("function", function.name, function.line))
            found.extend(_variables(function.params))
            found.extend(_variables(function.returns))
            if function.index is not None:
                found.extend(_variables(function.index.locals))
        for kind, name, line in found:
            if name in BUILTIN_NAMES:
                yield self.issue(
                    None,
                    f"The {kind} `{name}` shadows the built-in `{name}`.",
                    line=line,
                )


def _variables(variables: Iterable[Variable]) -> Iterator[tuple[str, str, int]]:
    for var in variables:
        if var.name:
            yield ("variable", var.name, var.line)
