"""A call inside a loop whose single failure reverts the whole loop (SWC-113)."""

from __future__ import annotations

from collections.abc import Iterator

from contract_analyzer.detectors.base import SECURITY, Confidence, Detector, Issue, Severity
from contract_analyzer.detectors.context import Context
from contract_analyzer.detectors.dos._access import functions_of
from contract_analyzer.detectors.dos._calls import Reached, failure_reverts, reached_calls
from contract_analyzer.detectors.dos._exprs import (
    is_sender,
    local_definition,
    mentions,
    path_key,
    unwrap_conversion,
)
from contract_analyzer.detectors.dos._loops import enclosing_loop, loop_varying
from contract_analyzer.detectors.dos._state import StatePaths, Write, state_paths
from contract_analyzer.ir.declarations import Contract, Function, StateVariable
from contract_analyzer.ir.nodes import Assignment, Expr, Identifier, Variable
from contract_analyzer.ir.render import render

_HOOKED_CALLS = ("safeTransfer", "safeMint", "safeBatchTransfer")


class ExternalCallInLoop(Detector):
    id = "external_call_in_loop"
    title = "External call in a loop: one failure blocks everyone"
    swc = "SWC-113"
    severity = Severity.MEDIUM
    confidence = Confidence.MEDIUM
    types = SECURITY
    description = (
        "A loop pays or calls a list of stored addresses, and a failure of any single call "
        "(a `transfer`, a required `send`/`call`, or a reverting high-level call) reverts the "
        "whole transaction. One recipient that rejects ether - a contract without a payable "
        "fallback, or one that reverts on purpose - blocks the payout for everyone."
    )
    recommendation = (
        "Favour pull over push payments: record what each address is owed and let it withdraw "
        "on its own. If you must push, tolerate failures (check the result of `send`/`call` and "
        "record the debt instead of reverting, or use try/catch) and process the list in "
        "bounded batches."
    )
    references = (
        "https://swcregistry.io/docs/SWC-113",
        "https://consensys.github.io/smart-contract-best-practices/attacks/denial-of-service/",
    )

    def detect(self, ctx: Context) -> Iterator[Issue]:
        seen: set[int] = set()
        self._varying: dict[int, set[object]] = {}
        for contract in ctx.contracts:
            if contract.kind != "contract":
                continue
            paths: StatePaths | None = None
            for function in functions_of(ctx, contract):
                index = function.index
                if index is None or not index.loops or function.is_constructor:
                    continue
                if function.contract is None or function.contract.unit is not ctx.unit:
                    continue
                in_loops = [
                    c
                    for c in index.calls
                    if c.stmt is not None and c.stmt.loop_depth and enclosing_loop(c) is not None
                ]
                for reached in reached_calls(ctx, function, in_loops):
                    if id(reached.site) in seen:
                        continue
                    if paths is None:
                        paths = state_paths(ctx, contract)
                    issue = self._check(ctx, contract, function, reached, paths)
                    if issue is not None:
                        seen.add(id(reached.site))
                        yield issue

    def _check(
        self,
        ctx: Context,
        contract: Contract,
        function: Function,
        reached: Reached,
        paths: StatePaths,
    ) -> Issue | None:
        ext = reached.ext
        inner_stmt = ext.call.stmt
        if reached.site is not ext.call and inner_stmt is not None and inner_stmt.loop_depth:
            return None  # the callee's own loop is reported where it is
        if not failure_reverts(ext) or reached.target_owner is not function:
            return None
        loop = enclosing_loop(reached.site)
        if loop is None:
            return None
        varying = self._varying.get(id(loop))
        if varying is None:
            varying = self._varying[id(loop)] = loop_varying(loop)
        target = reached.target
        subject: Expr | None = None
        by_argument = False
        if target is not None and not is_sender(target) and mentions(target, varying):
            subject = target
        elif ext.kind == "high_level" and reached.site is ext.call:
            # token.transfer(holders[i], x): the token may refuse one recipient
            subject = next((a for a in ext.call.args if mentions(a, varying)), None)
            by_argument = True
        if subject is None:
            return None
        stored = _stored_sources(ctx, contract, function, subject)
        if not stored:
            return None  # a list the caller passed in: only the caller is affected
        kinds = _kinds(ctx, function, paths, subject, stored)
        shared = "shared" in kinds
        if not shared and "caller" in kinds:
            return None  # one caller supplied the whole list (a proposal's targets)
        hooked = (ext.function_name or "").startswith(_HOOKED_CALLS)
        if ext.sends_ether and not by_argument:
            confidence = Confidence.HIGH if shared else Confidence.MEDIUM
            what = "pays"
        elif shared or (by_argument and hooked):
            confidence = Confidence.MEDIUM if shared else Confidence.LOW
            what = "calls" if not by_argument else "sends to"
        else:
            return None
        names = ", ".join(f"`{v.name}`" for v in stored[:2])
        message = (
            f"`{render(reached.site, max_len=60)}` {what} each address taken from {names} inside "
            f"the loop in `{function.name}`; if a single call fails the whole loop reverts, so one "
            "recipient that rejects it blocks the operation for everyone."
        )
        return self.issue(reached.site, message, function=function, confidence=confidence)


def _stored_sources(
    ctx: Context, contract: Contract, function: Function, expr: Expr
) -> list[StateVariable]:
    out: list[StateVariable] = []
    for label in sorted(ctx.sources(function, expr)):
        if label.startswith("state:"):
            var = contract.find_state_variable(label[6:])
            if var is not None and var.type_name.kind in ("array", "mapping"):
                out.append(var)
    return out


def _kinds(
    ctx: Context,
    function: Function,
    paths: StatePaths,
    subject: Expr,
    stored: list[StateVariable],
) -> set[str]:
    """How the list the subject comes from is filled (see :func:`_list_kind`)."""
    expr: Expr | None = unwrap_conversion(subject)
    if isinstance(expr, Identifier) and isinstance(expr.ref, Variable):
        if expr.ref.kind == "local":
            expr = unwrap_conversion(local_definition(function, expr.ref))
    key = path_key(function, expr)
    if key is not None:
        writes = paths.writes.get(key, [])
        if key[1] is not None:  # list.push(Entry(msg.sender, ...)) fills list[i].who too
            writes = writes + paths.writes.get((key[0], None), [])
        return {_list_kind(ctx, writes)}
    return {
        _list_kind(ctx, [w for k, ws in paths.writes.items() if k[0] is var for w in ws])
        for var in stored
    }


def _list_kind(ctx: Context, all_writes: list[Write]) -> str:
    """``shared`` when callers add themselves (``push``, ``list[n++] = msg.sender``),
    ``caller`` when one caller sets it wholesale, ``owner`` when only privileged code
    (or the constructor) writes it."""
    writes = [w for w in all_writes if w.anyone]
    if not writes:
        return "owner"
    for write in writes:
        if write.grows:
            return "shared"
        node = write.node
        if isinstance(node, Assignment) and "msg.sender" in ctx.sources(write.function, node.value):
            return "shared"
    return "caller"
