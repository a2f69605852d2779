"""Loops whose iteration count others can grow without limit (SWC-128)."""

from __future__ import annotations

from collections.abc import Iterator

from contract_analyzer.detectors.base import SECURITY, Confidence, Detector, Issue, Severity
from contract_analyzer.detectors.context import Context
from contract_analyzer.detectors.dos._access import functions_of
from contract_analyzer.detectors.dos._bounds import (
    COMPARE,
    atoms,
    body_effects,
    capped_by_break,
    clears,
    eligible,
    grown_by_others,
    grown_key,
    grows_storage,
    init_value,
    is_constant,
    loop_counters,
    param_capped,
    resolve_local,
)
from contract_analyzer.detectors.dos._exprs import PathKey, mentions, strip_length
from contract_analyzer.detectors.dos._state import StatePaths, state_paths
from contract_analyzer.ir.declarations import Contract, Function
from contract_analyzer.ir.nodes import (
    Binary,
    Expr,
    For,
    Identifier,
    Stmt,
    Variable,
)
from contract_analyzer.ir.render import render


class UnboundedLoop(Detector):
    id = "unbounded_loop"
    title = "Loop over data that anyone can grow (block gas limit DoS)"
    swc = "SWC-128"
    severity = Severity.MEDIUM
    confidence = Confidence.MEDIUM
    types = SECURITY
    description = (
        "The number of iterations of the loop is the length of a storage array or a counter "
        "that any caller can increase, or a number the caller passes in with no upper limit. "
        "Once it is large enough, the gas the loop needs exceeds the block gas limit and the "
        "function can no longer be executed, locking whatever depends on it."
    )
    recommendation = (
        "Do not iterate over collections that grow with user activity. Process them in bounded "
        "batches (a start index and a capped batch size), cap the collection's size when items "
        "are added, or let each user act on their own entry (pull pattern)."
    )
    references = (
        "https://swcregistry.io/docs/SWC-128",
        "https://consensys.github.io/smart-contract-best-practices/attacks/denial-of-service/",
    )

    def detect(self, ctx: Context) -> Iterator[Issue]:
        seen: set[int] = set()
        for contract in ctx.contracts:
            if contract.kind != "contract":
                continue
            paths: StatePaths | None = None
            for function in functions_of(ctx, contract):
                index = function.index
                if index is None or function.contract is None:
                    continue
                if function.contract.unit is not ctx.unit or not eligible(ctx, function):
                    continue
                if paths is None:
                    paths = state_paths(ctx, contract)
                for node, key in clears(ctx, function, paths):
                    if id(node) not in seen:
                        seen.add(id(node))
                        what = f"`{key[0].name}{'.' + key[1] if key[1] else ''}`"
                        message = (
                            f"`{function.name}` clears the whole array {what}, which costs gas "
                            "for every element, and anyone can keep adding elements; once it is "
                            "long enough this statement exceeds the block gas limit."
                        )
                        yield self.issue(node, message, function=function)
                for loop in index.loops:
                    if id(loop) in seen:
                        continue
                    seen.add(id(loop))
                    issue = self._check(ctx, contract, function, loop, paths)
                    if issue is not None:
                        yield issue

    def _check(
        self, ctx: Context, contract: Contract, function: Function, loop: Stmt, paths: StatePaths
    ) -> Issue | None:
        cond = getattr(loop, "cond", None)
        if not isinstance(cond, Expr):
            return None
        counters = loop_counters(loop)
        grown: tuple[Expr, PathKey] | None = None
        param: Variable | None = None
        for atom in atoms(cond):
            if not isinstance(atom, Binary) or atom.op not in COMPARE:
                continue
            kind, found = _classify(function, loop, atom, counters, paths)
            if kind == "capped":
                return None
            if kind == "grown" and isinstance(found, tuple):
                grown = found
            elif kind == "param" and isinstance(found, Variable):
                param = found
        if grown is not None and param is not None:
            return None  # i < n && i < list.length: the caller picks the batch size
        if (grown is None and param is None) or capped_by_break(loop):
            return None
        effects = body_effects(ctx, function, loop)
        if grown is not None:
            expr, key = grown
            writers = sorted({w.function.name for w in paths.anyone_writes(key, grows=True)})
            what = f"`{key[0].name}{'.' + key[1] if key[1] else ''}`"
            message = (
                f"The loop in `{function.name}` runs `{render(expr, max_len=50)}` times, and "
                f"{', '.join(f'`{w}`' for w in writers[:3])} (callable by anyone) grows {what}; "
                "once it is large enough the loop exceeds the block gas limit and "
                f"`{function.name}` can no longer complete."
            )
            confidence = Confidence.HIGH if effects else Confidence.MEDIUM
            return self.issue(loop, message, function=function, confidence=confidence)
        if param is not None and effects and ctx.facts(function).reachable_by_anyone:
            grows = grows_storage(ctx, function, loop)
            message = (
                f"The loop in `{function.name}` runs as many times as the caller-supplied "
                f"`{param.name}` with no upper limit, and its body "
                f"{'grows shared storage' if grows else 'writes storage or makes calls'}; "
                "a large value makes the transaction exceed the block gas limit"
                f"{' and inflates state that other code iterates' if grows else ''}."
            )
            return self.issue(
                loop,
                message,
                function=function,
                severity=Severity.MEDIUM if grows else Severity.LOW,
                confidence=Confidence.MEDIUM,
            )
        return None


def _classify(
    function: Function, loop: Stmt, atom: Binary, counters: set[object], paths: StatePaths
) -> tuple[str, tuple[Expr, PathKey] | Variable | None]:
    """``grown`` (a storage path others grow), ``param`` (an uncapped caller-supplied
    count) or ``capped`` (anything else) for one comparison of the loop condition."""
    sides = [s for s in (atom.left, atom.right) if not mentions(s, counters)]
    if len(sides) == 2:  # while (queue.length > 0) / while (head < tail): no counter
        sides = [s for s in sides if not is_constant(s)]
    elif len(sides) == 1 and is_constant(sides[0]) and isinstance(loop, For):
        start = init_value(loop)  # for (i = n; i > 0; i--)
        sides = [start] if start is not None else sides
    results = [_classify_side(function, loop, side, paths) for side in sides]
    for wanted in ("grown", "param"):
        for kind, found in results:
            if kind == wanted:
                return kind, found
    return "capped", None


def _classify_side(
    function: Function, loop: Stmt, bound: Expr, paths: StatePaths
) -> tuple[str, tuple[Expr, PathKey] | Variable | None]:
    side = resolve_local(function, bound)
    if isinstance(side, Identifier) and isinstance(side.ref, Variable):
        var = side.ref
        if var.kind == "param" and var.type_name is not None and var.type_name.is_integer:
            if not param_capped(loop, var):
                return "param", var
        return "capped", None
    key = grown_key(function, side)
    if key is None or not grown_by_others(paths, key, strip_length(side), function):
        return "capped", None
    return "grown", (bound, key)
