"""Messages of ``integer_overflow``: one or two sentences naming the operation."""

from __future__ import annotations

from contract_analyzer.detectors.arithmetic._keys import COMPARISONS
from contract_analyzer.detectors.arithmetic._ops import Op
from contract_analyzer.detectors.base import Issue, Severity
from contract_analyzer.ir.nodes import Binary, Call, Expr, Node, TupleExpr
from contract_analyzer.ir.render import render

VERB = {"add": "overflow", "mul": "overflow", "pow": "overflow", "sub": "underflow"}


def mode_phrase(mode: bool | None) -> str:
    if mode is False:
        return "before Solidity 0.8"
    if mode is True:
        return "inside `unchecked`"
    return "with a pre-0.8 compiler (the pragma allows one)"


def describe(op: Op, where: str, narrow: int, sink: str, batch: bool) -> str:
    text = render(op.node, max_len=70)
    if batch and op.kind == "mul":
        return (
            f"`{text}` multiplies the number of recipients by a caller-chosen amount without an "
            f"overflow check ({where}): a huge amount wraps the total to a small number, the "
            "balance check passes and every recipient is credited (the BEC batchTransfer bug)."
        )
    check = _enclosing_check(op.node)
    if check is not None:
        return (
            f"`{text}` can {VERB[op.kind]} inside the check `{render(check, max_len=70)}`: "
            f"{where} a huge value wraps around and passes it."
        )
    if op.kind == "sub":
        left = render(op.left, max_len=40)
        right = render(op.right, max_len=40) if op.right is not None else "1"
        message = f"`{text}` can underflow: nothing checks `{left} >= {right}` first"
    elif narrow:
        message = f"`{text}` can overflow: the counter is only {narrow} bits wide and unbounded"
    else:
        message = f"`{text}` can overflow: the result is never checked"
    message += f", and {where} the value wraps around"
    return message + (f" and corrupts {sink}." if sink else ".")


def _enclosing_check(node: Expr) -> Binary | None:
    """The comparison the operation is part of (``a + b <= cap``)."""
    parent: Node | None = node.parent
    while isinstance(parent, Binary | TupleExpr | Call):
        if isinstance(parent, Binary) and parent.op in COMPARISONS:
            return parent
        if isinstance(parent, Call) and parent.kind != "conversion":
            return None
        parent = parent.parent
    return None


def escalate(issue: Issue, update: Op) -> None:
    """The wrapped computation of a check is then stored: it corrupts state."""
    if issue.severity is Severity.MEDIUM:
        issue.severity = Severity.HIGH
    issue.message += (
        f" The update that follows (`{render(update.node, max_len=50)}`, line "
        f"{update.node.line}) stores the wrapped value."
    )
