"""A call forwards a fixed, hard-coded amount of gas (SWC-134)."""

from __future__ import annotations

from collections.abc import Iterator

from contract_analyzer.detectors.base import SECURITY, Confidence, Detector, Issue, Severity
from contract_analyzer.detectors.context import Context
from contract_analyzer.ir.declarations import StateVariable
from contract_analyzer.ir.facts import ExternalCall
from contract_analyzer.ir.nodes import Call, Expr, Identifier, Literal
from contract_analyzer.ir.render import render

_PRECOMPILE_LIMIT = 0x100


class HardcodedGas(Detector):
    id = "hardcoded_gas"
    title = "Call with hard-coded gas amount"
    swc = "SWC-134"
    severity = Severity.LOW
    confidence = Confidence.HIGH
    types = SECURITY
    description = (
        "The call forwards a fixed amount of gas (`.gas(N)` or `{gas: N}`). Gas costs of "
        "opcodes change between hard forks (EIP-1884, EIP-2929), so a limit that works today "
        "can make the callee run out of gas tomorrow, and a recipient that is a contract "
        "wallet may need more than the fixed amount."
    )
    recommendation = (
        "Do not hard-code gas: forward all gas (and protect against reentrancy with "
        "checks-effects-interactions or a lock), or compute the limit from `gasleft()`."
    )
    references = ("https://swcregistry.io/docs/SWC-134",)

    def detect(self, ctx: Context) -> Iterator[Issue]:
        for callable_ in ctx.callables():
            for ext in ctx.facts(callable_).external_calls:
                amount = _fixed_gas(ext.gas)
                if amount is None or ext.kind == "staticcall" or _is_precompile(ext):
                    # a read-only probe with a gas cap (ERC-165 style) cannot lose funds
                    continue
                target = render(ext.target, max_len=40) or "?"
                name = ext.function_name or ext.kind
                yield self.issue(
                    ext.call,
                    f"`{target}.{name}(...)` forwards exactly {amount} gas; a repricing fork or "
                    "a contract recipient that needs more gas makes it fail.",
                    function=callable_,
                )


def _fixed_gas(expr: Expr | None) -> str | None:
    """The literal gas amount (directly or through a constant), as written."""
    if isinstance(expr, Literal) and expr.kind == "number":
        return render(expr)
    if isinstance(expr, Identifier) and isinstance(expr.ref, StateVariable):
        var = expr.ref
        if var.constant and isinstance(var.value, Literal) and var.value.kind == "number":
            return f"{render(var.value)} (`{var.name}`)"
    return None


def _is_precompile(ext: ExternalCall) -> bool:
    """Calls to precompiles (``address(0x01)``...) have known, fixed costs."""
    target = ext.target
    if isinstance(target, Call) and target.kind == "conversion" and len(target.args) == 1:
        arg = target.args[0]
        if isinstance(arg, Literal):
            value = arg.int_value()
            return value is not None and value < _PRECOMPILE_LIMIT
    return False
