"""Storage slots computed in inline assembly: which arguments choose them."""

from __future__ import annotations

import re

from contract_analyzer.ir.declarations import Function
from contract_analyzer.ir.index import facts_of
from contract_analyzer.ir.nodes import Binary, Identifier, Stmt

_ORDERING = frozenset({"<", "<=", ">", ">="})


_YUL_NAME = re.compile(r"[A-Za-z_$][\w$]*")


def offset_params(function: Function, slot: str, asm: Stmt) -> set[int]:
    """Parameters used unbounded in a computed slot (``add(base, index)``); a hashed slot
    (``keccak256(...)``) is a mapping-style key, not a free choice of slot."""
    if "keccak256" in slot:
        return set()
    names = set(_YUL_NAME.findall(slot))
    bounded: set[str] = set()
    for expr, _truth in facts_of(asm.conditions):
        if isinstance(expr, Binary) and expr.op in _ORDERING:
            bounded.update(
                n.name for n in expr.walk() if isinstance(n, Identifier) and n.name in names
            )
    return {i for i, p in enumerate(function.params) if p.name in names - bounded}
