"""``assert`` used to validate input or external state instead of an invariant (SWC-110)."""

from __future__ import annotations

from collections.abc import Iterator

from contract_analyzer.detectors.base import SECURITY, Confidence, Detector, Issue, Severity
from contract_analyzer.detectors.context import Context
from contract_analyzer.ir.declarations import Callable, Function
from contract_analyzer.ir.index import is_call_to
from contract_analyzer.ir.nodes import Binary, Expr, Identifier, Member, VarDecl, Variable
from contract_analyzer.ir.render import render

_ARITHMETIC = frozenset({"+", "-", "*", "/", "%", "**"})
_CALLER = ("msg.sender", "msg.value", "msg.data", "tx.origin")


class AssertViolation(Detector):
    id = "assert_violation"
    title = "assert used for input validation"
    swc = "SWC-110"
    severity = Severity.MEDIUM
    confidence = Confidence.MEDIUM
    types = SECURITY
    description = (
        "`assert` is meant for invariants that can never fail in correct code. This one checks "
        "a value that callers or other contracts control, so it can fail in normal use: before "
        "0.8.0 a failing `assert` consumes all remaining gas, and in any version it reports a "
        "panic (a bug) instead of a rejected input, misleading users, tools and fuzzers."
    )
    recommendation = (
        "Validate inputs, caller permissions, balances and call results with `require` (or "
        "`if (...) revert CustomError()`), and keep `assert` for internal invariants."
    )
    references = ("https://swcregistry.io/docs/SWC-110",)

    def detect(self, ctx: Context) -> Iterator[Issue]:
        burns_gas = ctx.arithmetic_checked() is not True
        for callable_ in ctx.callables():
            if isinstance(callable_, Function) and callable_.mutability == "pure":
                continue  # pure helpers (SafeMath) assert arithmetic facts about their arguments
            if callable_.contract is not None and callable_.contract.is_library:
                continue
            index = callable_.index
            if index is None:
                continue
            for call in index.calls:
                if not is_call_to(call, "assert") or not call.args:
                    continue
                cond = call.args[0]
                if _arithmetic_invariant(callable_, cond):
                    continue
                inputs = _inputs(ctx, callable_, cond)
                if not inputs:
                    continue
                message = (
                    f"`assert({render(cond, max_len=60)})` depends on {', '.join(inputs)}, "
                    "which can make it fail in normal use: use `require`."
                )
                if burns_gas:
                    message += " Before 0.8.0 the failure also burns all the caller's gas."
                yield self.issue(call, message, function=callable_)


def _inputs(ctx: Context, callable_: Callable, cond: Expr) -> list[str]:
    """Names of the caller inputs and external state the condition depends on."""
    labels = ctx.sources(callable_, cond)
    found = [f"`{label[6:]}`" for label in sorted(labels) if label.startswith("param:")]
    found.extend(f"`{label}`" for label in _CALLER if label in labels)
    if "call_return" in labels:
        found.append("the result of an external call")
    if any(isinstance(n, Member) and n.member == "balance" for n in cond.walk()):
        found.append("an ether balance")
    return found


def _arithmetic_invariant(callable_: Callable, cond: Expr) -> bool:
    """The condition checks the result of arithmetic (``c >= a`` after ``c = a + b``,
    ``a + b == total``): an overflow or conservation check, which is what assert is for."""
    locals_seen: set[int] = set()
    for node in cond.walk():
        if isinstance(node, Binary) and node.op in _ARITHMETIC:
            return True
        if isinstance(node, Identifier) and isinstance(node.ref, Variable):
            var = node.ref
            if id(var) in locals_seen or var.kind == "param":
                continue
            locals_seen.add(id(var))
            if any(_is_arithmetic(d) for d in _definitions(callable_, var)):
                return True
    return False


def _definitions(callable_: Callable, var: Variable) -> Iterator[Expr]:
    parent = var.parent
    if isinstance(parent, VarDecl) and parent.value is not None and not parent.is_tuple:
        yield parent.value
    if callable_.index is not None:
        for assignment in callable_.index.assignments:
            target = assignment.target
            if isinstance(target, Identifier) and target.ref is var:
                yield assignment.value


def _is_arithmetic(expr: Expr) -> bool:
    return isinstance(expr, Binary) and expr.op in _ARITHMETIC
