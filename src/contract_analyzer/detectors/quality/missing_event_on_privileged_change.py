"""Privileged functions that change state without emitting an event."""

from __future__ import annotations

from collections.abc import Iterator

from contract_analyzer.detectors.base import QUALITY, Confidence, Detector, Issue, Severity
from contract_analyzer.detectors.context import Context
from contract_analyzer.ir.declarations import Callable, Function, StateVariable


class MissingEventOnPrivilegedChange(Detector):
    id = "missing_event_on_privileged_change"
    title = "Privileged state change without an event"
    severity = Severity.LOW
    confidence = Confidence.MEDIUM
    types = QUALITY
    description = (
        "An owner- or admin-only function changes contract state (owner, fees, addresses, "
        "pause flags...) but emits no event. Users and monitoring tools watching the logs "
        "cannot see that a privileged parameter changed."
    )
    recommendation = (
        "Emit an event with the old and new values in every privileged setter, e.g. "
        "`emit FeeUpdated(oldFee, newFee);`."
    )

    def detect(self, ctx: Context) -> Iterator[Issue]:
        for function in ctx.functions():
            if not function.is_public or function.is_view:
                continue
            facts = ctx.facts(function)
            if not facts.is_protected:
                continue
            bodies: list[Callable] = [function, *facts.callees]
            if any(_emits(body) for body in bodies):
                continue
            written = _written(function)
            if not written:
                continue
            names = ", ".join(f"`{v.name}`" for v in written[:4])
            yield self.issue(
                None,
                f"`{function.name}` is restricted to privileged callers and changes {names} but "
                "emits no event, so the change is invisible to anyone watching the logs.",
                line=function.line,
                function=function,
            )


def _emits(body: Callable) -> bool:
    index = body.index
    return index is not None and any(call.kind == "event" for call in index.calls)


def _written(function: Function) -> list[StateVariable]:
    """State written by the function and the functions its body calls (not by its
    modifiers: a reentrancy lock is not a change worth an event)."""
    seen: dict[int, StateVariable] = {}
    visited: set[int] = set()
    stack: list[Function] = [function]
    while stack:
        body = stack.pop()
        if id(body) in visited:
            continue
        visited.add(id(body))
        facts = body.facts
        if facts is None:
            continue
        for access in facts.state_writes:
            seen.setdefault(id(access.var), access.var)
        stack.extend(callee for _, callee in facts.internal_calls)
    return list(seen.values())
