"""Integer overflow and underflow on caller-influenced values (SWC-101).

Arithmetic wraps around before Solidity 0.8 and inside ``unchecked {}`` (a pragma
that allows both gives findings with low confidence). An operation is reported when a
caller can push it past the limit (see ``_influence``: parameters, call results, state
set from them; ``msg.value`` and block values only matter for subtraction) and nothing
checks it: no dominating ``require``/``if`` bound, no check of the result afterwards
(``c = a + b; require(c >= a)``), no earlier safe operation on the same amount
(``balances[from] -= v; balances[to] += v``). A cap check that itself wraps
(``require(a + b <= cap); a += b;``) is one finding, at the check. SafeMath-style
helpers are safe when they check; a SafeMath-named helper that does not check is
reported in its own body. Severity: high when the result lands in state or an ether
amount, critical for the BEC batch-transfer multiplication, low when only privileged
callers control the value. Comments declaring the wrap-around intended
(``// overflow is desired``) silence the lines they cover.
"""

from __future__ import annotations

from collections.abc import Iterator

from contract_analyzer.detectors.arithmetic._feasibility import (
    computation,
    dominates,
    feasibility,
    is_batch,
    operand_keys,
    unchecked,
)
from contract_analyzer.detectors.arithmetic._inflow import bounded_by_pull, pulled_amounts
from contract_analyzer.detectors.arithmetic._influence import (
    ANYONE,
    NONE,
    PRIVILEGED,
    Influence,
)
from contract_analyzer.detectors.arithmetic._keys import Keys, int_value
from contract_analyzer.detectors.arithmetic._ledger import token_ledger
from contract_analyzer.detectors.arithmetic._messages import (
    VERB,
    describe,
    escalate,
    mode_phrase,
)
from contract_analyzer.detectors.arithmetic._ops import Checks, Op, collect_ops
from contract_analyzer.detectors.arithmetic._util import (
    account_entry,
    covered_by_intent,
    ether_value_nodes,
    feeding_locals,
    intent_comment_lines,
    result_sink,
    root_state,
)
from contract_analyzer.detectors.base import SECURITY, Confidence, Detector, Issue, Severity
from contract_analyzer.detectors.context import Context
from contract_analyzer.ir.declarations import Function
from contract_analyzer.ir.render import render

_SAFE_NAMES = frozenset(
    {"add", "sub", "mul", "safeadd", "safesub", "safemul", "plus", "minus", "times", "tryadd"}
)


class IntegerOverflow(Detector):
    id = "integer_overflow"
    title = "Integer overflow / underflow"
    swc = "SWC-101"
    severity = Severity.HIGH
    confidence = Confidence.HIGH
    types = SECURITY
    description = (
        "Arithmetic on a value the caller controls is not checked: before Solidity 0.8, and "
        "inside `unchecked` blocks, integers silently wrap around, so a subtraction below zero "
        "gives a huge number and a large addition or multiplication gives a small one."
    )
    recommendation = (
        "Compile with Solidity 0.8 or later (checked arithmetic) and keep `unchecked` for "
        "provably safe operations, or check bounds first (`require(balance >= amount)`), or use "
        "a SafeMath library whose functions revert on overflow."
    )
    references = (
        "https://swcregistry.io/docs/SWC-101",
        "https://docs.soliditylang.org/en/latest/control-structures.html#checked-or-unchecked-arithmetic",
    )

    def detect(self, ctx: Context) -> Iterator[Issue]:
        mode = ctx.arithmetic_checked()
        quiet = intent_comment_lines(ctx.unit)
        keys = Keys()
        influence = Influence(ctx)
        for fn in ctx.functions():
            safemath = _is_safemath_helper(fn)
            if not safemath and (fn.contract is None or fn.contract.is_library):
                continue
            ops = collect_ops(fn, keys)
            if any(mode is not True or unchecked(op) for op in ops):
                yield from self._function(ctx, fn, ops, mode, quiet, keys, influence, safemath)

    def _function(
        self,
        ctx: Context,
        fn: Function,
        ops: list[Op],
        mode: bool | None,
        quiet: list[int],
        keys: Keys,
        influence: Influence,
        safemath: bool,
    ) -> list[Issue]:
        defs = influence.defs(fn)
        checks = Checks(fn, keys, defs)
        feeding = feeding_locals(ctx, fn, defs)
        ether = ether_value_nodes(ctx, fn)
        pulls = pulled_amounts(ctx, fn, keys)
        safe: set[str] = set()  # amounts already applied safely
        # one account's entry bounds only itself: `balances[from] -= v` checked says
        # nothing about `allowed[from][msg.sender] -= v`
        safe_entries: dict[str, set[str]] = {}
        reported: dict[str, list[Op]] = {}  # amount or computation -> operations reported
        issues: dict[int, Issue] = {}
        for op in ops:
            amount = keys.key(op.amount) if int_value(op.amount) is None else ""
            same = computation(keys, op)
            first = next((r for r in reported.get(same, ()) if dominates(r, op)), None)
            if first is not None:
                # `require(a + b <= cap); a += b;`: one finding, at the check
                if op.target is not None and root_state(fn, ctx, op.target) is not None:
                    escalate(issues[id(first)], op)
                if amount and op.target is not None:
                    reported.setdefault(amount, []).append(op)  # part of that finding
                continue
            own = account_entry(ctx, fn, op.target) if op.kind == "sub" else ""
            if op.target is not None and amount:
                covered = amount in safe and (not own or own in safe_entries.get(amount, ()))
                if covered or any(
                    r.kind == op.kind and dominates(r, op) for r in reported.get(amount, ())
                ):
                    continue  # the same amount moved again: bounded by (or part of) the first
            pulled = op.kind == "add" and bounded_by_pull(pulls, amount, op.node)
            if mode is True and unchecked(op) and token_ledger(ctx, fn.contract, op):
                continue  # units of a token the contract holds and pays out: below its supply
            if pulled or (mode is True and not unchecked(op)):
                safe.update(k for k in operand_keys(keys, op) if k)
                continue
            level, narrow, deadline = (
                (ANYONE, 0, False) if safemath else feasibility(ctx, influence, fn, op)
            )
            if level == NONE or checks.is_checked(op):
                safe.update(k for k in operand_keys(keys, op) if k)
                if own and amount:
                    safe_entries.setdefault(amount, set()).add(own)
                continue
            if covered_by_intent(op.node, quiet):
                continue
            if safemath:
                issues[id(op)] = self._safemath_issue(fn, op, mode)
                continue
            if amount and op.target is not None:
                reported.setdefault(amount, []).append(op)
            reported.setdefault(same, []).append(op)
            sink = (
                "contract state"
                if op.target is not None and root_state(fn, ctx, op.target) is not None
                else result_sink(ctx, fn, op.node, feeding, ether)
            )
            issue = self._issue(fn, op, mode, level, narrow, sink, is_batch(op, defs))
            if deadline:
                issue.severity = Severity.LOW
            issues[id(op)] = issue
        return list(issues.values())

    # ------------------------------------------------------------------ issues
    def _issue(
        self,
        fn: Function,
        op: Op,
        mode: bool | None,
        level: int,
        narrow: int,
        sink: str,
        batch: bool,
    ) -> Issue:
        if batch and op.kind == "mul":
            severity = Severity.CRITICAL if sink and level == ANYONE else Severity.HIGH
        else:
            severity = Severity.HIGH if sink and not narrow else Severity.MEDIUM
        message = describe(op, mode_phrase(mode), narrow, sink, batch)
        if level == PRIVILEGED:
            severity = Severity.LOW
            message += " Only privileged callers control the value."
        confidence = Confidence.LOW if mode is None else Confidence.HIGH
        return self.issue(op.node, message, function=fn, severity=severity, confidence=confidence)

    def _safemath_issue(self, fn: Function, op: Op, mode: bool | None) -> Issue:
        owner = fn.contract.name if fn.contract is not None else "file"
        message = (
            f"`{owner}.{fn.name}` is written as a SafeMath helper but computes "
            f"`{render(op.node, max_len=50)}` without an {VERB[op.kind]} check "
            f"({mode_phrase(mode)} it wraps around): every caller that relies on it is unprotected."
        )
        confidence = Confidence.LOW if mode is None else Confidence.HIGH
        return self.issue(op.node, message, function=fn, confidence=confidence)


def _is_safemath_helper(fn: Function) -> bool:
    name = fn.name.lower()
    if name not in _SAFE_NAMES:
        return False
    contract = fn.contract
    return (
        contract is None
        or contract.is_library
        or "math" in contract.name.lower()
        or name.startswith("safe")
    )
