"""A price read from a pool's current state - the ratio of two `getReserves()` outputs or
of two `balanceOf(pool)` reads - that a state-changing function uses: anyone can move the
pool inside one transaction (a flash loan), so the price, and the amount it sets, is theirs.

Deliberately conservative: the ratio must be written as one division whose numerator and
denominator each read the pool directly (no data flow across statements), and the function
computing it must be state-changing or be called from a state-changing function. Quotes
in view helpers that nothing state-changing calls, and the pool's own bookkeeping on its
`address(this)` balances, are not reported.
"""

from __future__ import annotations

from collections.abc import Iterator

from contract_analyzer.detectors.base import SECURITY, Confidence, Detector, Issue, Severity
from contract_analyzer.detectors.context import Context
from contract_analyzer.ir.declarations import Function
from contract_analyzer.ir.nodes import (
    Binary,
    Call,
    Identifier,
    Member,
    Node,
    Stmt,
    VarDecl,
    Variable,
)
from contract_analyzer.ir.render import render

_RESERVE_CALLS = frozenset({"getReserves"})
_SELF = frozenset({"this", "address(this)", "msg.sender"})


class SpotPriceOracle(Detector):
    id = "spot_price_oracle"
    title = "Price from a pool's spot reserves (manipulable in one transaction)"
    swc = None
    severity = Severity.HIGH
    confidence = Confidence.MEDIUM
    types = SECURITY
    description = (
        "The contract prices an asset as the ratio of a pool's current reserves or token "
        "balances and uses it in a state-changing path. Anyone can skew those reserves for "
        "the length of one transaction (a flash loan or a large swap), borrow or mint at the "
        "false price, and swap back."
    )
    recommendation = (
        "Use a manipulation-resistant price: a time-weighted average (TWAP) over a window, or "
        "an external oracle feed with staleness checks, and bound deviations between sources."
    )
    references = ("https://docs.uniswap.org/contracts/v2/concepts/core-concepts/oracles",)

    def detect(self, ctx: Context) -> Iterator[Issue]:
        for function in ctx.functions():
            index = function.index
            if index is None:
                continue
            reserves = _reserve_locals(index.statements)
            has_balance = any(m.member == "balanceOf" for m in index.members)
            if not reserves and not has_balance:
                continue
            for binary in index.binaries:
                if binary.op != "/" or not _pool_ratio(binary, reserves):
                    continue
                if not _feeds_state_change(ctx, function):
                    continue
                yield self.issue(
                    binary,
                    f"`{function.name}` computes a price from a pool's current reserves "
                    f"(`{render(binary, max_len=80)}`) and a state-changing path uses it: a "
                    "flash loan can move the pool within the same transaction.",
                    function=function,
                )


def _reserve_locals(statements: list[Stmt]) -> set[Variable]:
    out: set[Variable] = set()
    for stmt in statements:
        if isinstance(stmt, VarDecl) and stmt.is_tuple and isinstance(stmt.value, Call):
            callee = stmt.value.callee
            if isinstance(callee, Member) and callee.member in _RESERVE_CALLS:
                out.update(v for v in stmt.variables if v is not None)
    return out


def _reads(expr: Node, reserves: set[Variable]) -> tuple[set[int], set[str]]:
    """Reserve variables (by id) and `balanceOf` holders read in ``expr``."""
    rvars: set[int] = set()
    holders: set[str] = set()
    for node in expr.walk():
        if isinstance(node, Identifier) and node.ref in reserves:
            rvars.add(id(node.ref))
        elif (
            isinstance(node, Call)
            and isinstance(node.callee, Member)
            and node.callee.member == "balanceOf"
            and len(node.args) == 1
        ):
            holder = render(node.args[0])
            if holder not in _SELF:
                holders.add(holder)
    return rvars, holders


def _pool_ratio(binary: Binary, reserves: set[Variable]) -> bool:
    left_r, left_h = _reads(binary.left, reserves)
    right_r, right_h = _reads(binary.right, reserves)
    if left_r and right_r and left_r != right_r:
        return True
    return bool(left_h & right_h)


def _feeds_state_change(ctx: Context, function: Function) -> bool:
    """The function changes state itself, or a (transitive) caller does."""
    seen: set[int] = set()
    todo = [function]
    while todo:
        fn = todo.pop()
        if id(fn) in seen or len(seen) > 50:
            continue
        seen.add(id(fn))
        if fn.kind == "constructor":
            continue
        if fn.mutability not in ("view", "pure"):
            return True
        todo.extend(ctx.facts(fn).callers)
    return False
