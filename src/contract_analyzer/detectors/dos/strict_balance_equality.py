"""A condition that needs the contract's balance to equal an exact value (SWC-132)."""

from __future__ import annotations

from collections.abc import Iterator

from contract_analyzer.detectors.base import SECURITY, Confidence, Detector, Issue, Severity
from contract_analyzer.detectors.common import is_require
from contract_analyzer.detectors.context import Context
from contract_analyzer.detectors.dos._exprs import is_this, local_definition
from contract_analyzer.ir.declarations import Callable
from contract_analyzer.ir.nodes import (
    Binary,
    Call,
    Conditional,
    DoWhile,
    Expr,
    For,
    Identifier,
    If,
    Literal,
    Member,
    Node,
    TupleExpr,
    Unary,
    Variable,
    While,
)
from contract_analyzer.ir.render import render

_ARITHMETIC = frozenset({"+", "-", "*", "/", "%"})


class StrictBalanceEquality(Detector):
    id = "strict_balance_equality"
    title = "Strict equality on the contract's balance"
    swc = "SWC-132"
    severity = Severity.MEDIUM
    confidence = Confidence.HIGH
    types = SECURITY
    description = (
        "A condition requires the contract's ether (or token) balance to be exactly equal, or "
        "not equal, to a value. Anyone can change the balance without calling the contract - "
        "ether can be forced in with `selfdestruct` or as a block reward, and tokens can be "
        "transferred directly - so the exact value may never be reached again."
    )
    recommendation = (
        "Track deposits in a state variable and compare that, or use `>=`/`<=` comparisons "
        "that stay correct when extra funds arrive."
    )
    references = ("https://swcregistry.io/docs/SWC-132",)

    def detect(self, ctx: Context) -> Iterator[Issue]:
        for function in ctx.callables():
            index = function.index
            if index is None:
                continue
            for binary in index.binaries:
                if binary.op not in ("==", "!="):
                    continue
                issue = self._check(function, binary)
                if issue is not None:
                    yield issue

    def _check(self, function: Callable, binary: Binary) -> Issue | None:
        for side, other in ((binary.left, binary.right), (binary.right, binary.left)):
            kind = _balance_in(function, side)
            if kind is None or _balance_in(function, other) is not None:
                continue
            if isinstance(other, Literal) and other.int_value() == 0:
                return None  # "is it empty?" checks rarely gate anything that matters
            if not _in_condition(binary):
                return None
            what = "ether balance" if kind == "ether" else "token balance"
            message = (
                f"`{render(binary, max_len=70)}` needs the contract's {what} to match exactly; "
                "funds sent without calling the contract (forced ether, direct token "
                "transfers) change the balance and break this condition."
            )
            confidence = Confidence.HIGH if kind == "ether" else Confidence.MEDIUM
            return self.issue(binary, message, function=function, confidence=confidence)
        return None


def _balance_in(owner: Callable, expr: Expr, depth: int = 0) -> str | None:
    """``ether`` when ``expr`` is (arithmetic on) ``address(this).balance``, ``token`` for
    ``token.balanceOf(address(this))``."""
    if isinstance(expr, TupleExpr) and len(expr.elements) == 1 and expr.elements[0] is not None:
        return _balance_in(owner, expr.elements[0], depth)
    if isinstance(expr, Binary) and expr.op in _ARITHMETIC:
        return _balance_in(owner, expr.left, depth) or _balance_in(owner, expr.right, depth)
    if isinstance(expr, Member) and expr.member == "balance" and is_this(expr.base):
        return "ether"
    if isinstance(expr, Call) and isinstance(expr.callee, Member):
        if expr.callee.member == "balanceOf" and len(expr.args) == 1 and is_this(expr.args[0]):
            return "token"
    if isinstance(expr, Identifier) and isinstance(expr.ref, Variable) and depth < 2:
        if expr.ref.kind == "local":
            value = local_definition(owner, expr.ref)
            if value is not None:
                return _balance_in(owner, value, depth + 1)
    return None


def _in_condition(expr: Expr) -> bool:
    child: Node = expr
    parent = expr.parent
    while parent is not None:
        if _transparent(parent):
            pass
        elif isinstance(parent, Call):
            return is_require(parent) and bool(parent.args) and parent.args[0] is child
        elif isinstance(parent, If | While | DoWhile | For | Conditional):
            return getattr(parent, "cond", None) is child
        else:
            return False
        child, parent = parent, parent.parent
    return False


def _transparent(node: Node) -> bool:
    """Operators that pass a condition's truth through (``!``, ``&&``, ``||``, parens)."""
    if isinstance(node, Unary):
        return node.op == "!"
    if isinstance(node, Binary):
        return node.op in ("&&", "||")
    return isinstance(node, TupleExpr) and len(node.elements) == 1
