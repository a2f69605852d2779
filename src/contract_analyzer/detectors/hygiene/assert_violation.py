"""``assert`` used to validate input or external state instead of an invariant (SWC-110)."""

from __future__ import annotations

from collections.abc import Iterator

from contract_analyzer.detectors.base import SECURITY, Confidence, Detector, Issue, Severity
from contract_analyzer.detectors.context import Context
from contract_analyzer.ir.declarations import Callable, Function
from contract_analyzer.ir.index import is_call_to
from contract_analyzer.ir.nodes import (
    Binary,
    Expr,
    Identifier,
    Literal,
    Member,
    VarDecl,
    Variable,
)
from contract_analyzer.ir.render import render

_ARITHMETIC = frozenset({"+", "-", "*", "/", "%", "**"})
_ORDERING = frozenset({"<", "<=", ">", ">="})
_COMPARISON = _ORDERING | {"==", "!="}
_BUILTINS = frozenset({"msg", "tx", "block", "this", "now"})
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
                parts = [
                    part
                    for part in _conjuncts(cond)
                    if not _arithmetic_invariant(callable_, part) and _inputs(ctx, callable_, part)
                ]
                if not parts:
                    continue
                inputs = _inputs(ctx, callable_, cond)
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
    budget = _budget_check(cond)
    for node in cond.walk():
        if isinstance(node, Binary) and node.op in _ARITHMETIC and not budget:
            return True
        if isinstance(node, Identifier) and isinstance(node.ref, Variable):
            var = node.ref
            if id(var) in locals_seen or var.kind == "param":
                continue
            locals_seen.add(id(var))
            if any(_is_arithmetic(d) for d in _definitions(callable_, var)):
                return True
    return False


def _conjuncts(cond: Expr) -> list[Expr]:
    """``a && b`` is judged part by part: ``count > 0 && sum == a + b`` still validates
    ``count``."""
    if isinstance(cond, Binary) and cond.op == "&&":
        return _conjuncts(cond.left) + _conjuncts(cond.right)
    return [cond]


def _budget_check(cond: Expr) -> bool:
    """``spent + amount <= limit``: a comparison with a literal, or an ordering whose two sides share no
    variable bounds an input against a budget (validation), unlike an overflow check
    (``a + b >= a``) which compares a sum with one of its own operands."""
    if not isinstance(cond, Binary) or cond.op not in _COMPARISON:
        return False
    if isinstance(cond.left, Literal) or isinstance(cond.right, Literal):
        return True  # `msg.value % 2 == 0`, `count * price <= 100`: a bound on the input
    if cond.op not in _ORDERING:
        return False
    left, right = _names(cond.left), _names(cond.right)
    return bool(left) and bool(right) and not left & right


def _names(expr: Expr) -> set[str]:
    return {n.name for n in expr.walk() if isinstance(n, Identifier) and n.name not in _BUILTINS}


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
