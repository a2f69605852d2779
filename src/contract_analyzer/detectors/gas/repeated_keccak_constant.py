"""Hashes of constant values computed at run time inside functions."""

from __future__ import annotations

from collections.abc import Iterator

from contract_analyzer.detectors.base import GAS, Confidence, Detector, Issue, Severity
from contract_analyzer.detectors.context import Context
from contract_analyzer.detectors.gas import _costs
from contract_analyzer.detectors.gas._util import is_constant_expression
from contract_analyzer.ir.builtins import Builtin
from contract_analyzer.ir.declarations import Function
from contract_analyzer.ir.nodes import Identifier
from contract_analyzer.ir.render import render

_HASHES = frozenset({"keccak256", "sha3"})


class RepeatedKeccakConstant(Detector):
    id = "repeated_keccak_constant"
    title = "Hash of a constant computed at run time"
    severity = Severity.INFO
    confidence = Confidence.HIGH
    types = GAS
    description = (
        "`keccak256` of a literal or of other constants is computed every time the function "
        "runs (and on every iteration inside a loop), although its value never changes."
    )
    recommendation = (
        'Hoist it into a constant: `bytes32 private constant ROLE = keccak256("ROLE");`.'
    )

    def detect(self, ctx: Context) -> Iterator[Issue]:
        for callable_ in ctx.callables():
            index = callable_.index
            if index is None or getattr(callable_, "kind", "") == "constructor":
                continue  # a constructor runs once: hashing there costs nothing per call
            for call in index.calls:
                callee = call.callee
                if (
                    not isinstance(callee, Identifier)
                    or callee.name not in _HASHES
                    or not isinstance(callee.ref, Builtin)
                    or not call.args
                    or not all(is_constant_expression(a, allow_hash=False) for a in call.args)
                ):
                    continue
                in_loop = call.stmt is not None and call.stmt.loop_depth > 0
                yield self.issue(
                    call,
                    f"`{render(call, max_len=50)}` in `{callable_.name}` hashes a constant "
                    f"{'on every loop iteration' if in_loop else 'on every call'}: compute it "
                    "once in a `constant`.",
                    function=callable_ if isinstance(callable_, Function) else None,
                    contract=callable_.contract,
                    confidence=Confidence.HIGH if in_loop else Confidence.MEDIUM,
                    gas_saved=_costs.KECCAK_ONE_WORD,
                )
