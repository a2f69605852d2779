"""Facts about time in a contract: state that records when something happened, state
that holds a deadline ``block.timestamp + K``, and the time window of a comparison."""

from __future__ import annotations

from contract_analyzer.detectors.arithmetic._keys import int_value, strip, unwrap_conversion
from contract_analyzer.detectors.context import Context
from contract_analyzer.detectors.randomness._entropy import Entropy
from contract_analyzer.ir.declarations import Callable, Contract, StateVariable
from contract_analyzer.ir.nodes import Binary, Expr, Identifier, TupleExpr

LONG = 3600  # windows of an hour or more are deadlines, not races


class Clock:
    """Per-contract time facts, memoised for one detector run."""

    def __init__(self, ctx: Context, entropy: Entropy) -> None:
        self.ctx = ctx
        self.entropy = entropy
        self._stamps: dict[int, set[str]] = {}
        self._deadlines: dict[int, dict[str, int]] = {}

    def stamps(self, contract: Contract | None) -> set[str]:
        """State assigned the current time as is: ``lastUpdated = block.timestamp``."""
        if contract is None:
            return set()
        found = self._stamps.get(id(contract))
        if found is None:
            found = set()
            for fn in contract.callable_functions():
                for write in self.ctx.facts(fn).state_writes:
                    value = unwrap_conversion(getattr(write.node, "value", None))
                    if isinstance(value, Expr) and not isinstance(value, Binary):
                        if self.ctx.sources(fn, value) == {"block", "block.timestamp"}:
                            found.add(write.var.name)
            self._stamps[id(contract)] = found
        return found

    def deadlines(self, contract: Contract | None) -> dict[str, int]:
        """State set as ``block.timestamp + K``: the smallest ``K`` of each."""
        if contract is None:
            return {}
        found = self._deadlines.get(id(contract))
        if found is None:
            found = {}
            for fn in contract.callable_functions():
                for write in self.ctx.facts(fn).state_writes:
                    value = strip(getattr(write.node, "value", None))
                    if not isinstance(value, Binary) or value.op != "+":
                        continue
                    for now, extra in ((value.left, value.right), (value.right, value.left)):
                        k = int_value(extra)
                        if k is not None and self.entropy.of(fn, now).direct == {"block.timestamp"}:
                            found[write.var.name] = min(k, found.get(write.var.name, k))
            self._deadlines[id(contract)] = found
        return found

    def only_stamps(self, fn: Callable, expr: Expr) -> bool:
        """``expr`` reads only state that records when something happened (not a
        deadline computed from the time)."""
        labels = self.ctx.sources(fn, expr)
        states = {lb[6:] for lb in labels if lb.startswith("state:")}
        if not states or labels - {"state"} - {f"state:{s}" for s in states}:
            return False
        return states <= self.stamps(fn.contract)


def window(expr: Expr, deadlines: dict[str, int]) -> int | None:
    """The smallest time constant added, subtracted or compared directly
    (``now < t + 30``, ``now - t >= 60``), or hidden in a stored deadline, ignoring
    scale factors; ``None`` when there is none or the time is counted in hours/days."""
    found = window_source(expr, deadlines)
    return found[0] if found is not None else None


def window_source(expr: Expr, deadlines: dict[str, int]) -> tuple[int, str] | None:
    """Like :func:`window`, with the stored deadline it comes from (``""`` if none)."""
    best: tuple[int, str] | None = None
    stack: list[Expr | None] = [expr]
    while stack:
        e = strip(stack.pop())
        if e is None:
            continue
        value = int_value(e)
        if value is not None:
            if value > 1 and (best is None or value < best[0]):
                best = (value, "")
        elif isinstance(e, Binary) and (e.op in ("+", "-") or e is expr):
            stack.extend((e.left, e.right))
        elif isinstance(e, Binary) and e.op in ("/", "*"):
            scale = int_value(e.right)
            if scale is not None and scale >= LONG:
                return None
        elif isinstance(e, TupleExpr):
            stack.extend(e.elements)
        elif isinstance(e, Identifier) and isinstance(e.ref, StateVariable):
            stored = deadlines.get(e.ref.name)
            if stored is not None and (best is None or stored < best[0]):
                best = (stored, e.ref.name)
    return best


def modulo_of_time(side: Expr) -> Binary | None:
    """A ``%`` applied to the time itself (not to a day or hour count)."""
    for node in side.walk():
        if isinstance(node, Binary) and node.op == "%":
            left = strip(node.left)
            if left is not None and not any(
                isinstance(n, Binary) and n.op == "/" for n in left.walk()
            ):
                return node
    return None
