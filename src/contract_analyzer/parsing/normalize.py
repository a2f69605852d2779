"""Repairs to the shape of expression trees that the grammar gets wrong.

tree-sitter-solidity attaches a postfix operator (index, call, call options, member
access after one of those, postfix ``++``/``--``) that follows the right operand of a
binary, unary, conditional or assignment expression to the *whole* expression:
``a > b[c]`` arrives as ``(a > b)[c]`` and ``!msg.sender.call.value(v)()`` as
``(!msg.sender).call.value(v)()``. It also reads the conditional operator as left
associative (``a ? b : c ? d : e`` as ``(a ? b : c) ? d : e``).

The converter calls :func:`attach_postfix` on every postfix node it builds and
:func:`attach_conditional` on every conditional, so the IR always has the shape the
Solidity compiler would give it. A parenthesised expression is its own node in the
source and is never re-associated.
"""

from __future__ import annotations

from contract_analyzer.ir.nodes import (
    Assignment,
    Binary,
    Call,
    CallOptions,
    Conditional,
    Expr,
    Index,
    Member,
    Slice,
    Unary,
    Update,
)


def _operand_slot(node: Expr) -> str | None:
    """The field of a postfix node that holds the expression it applies to."""
    if isinstance(node, Member | Index | Slice | CallOptions):
        return "base"
    if isinstance(node, Call):
        return "callee"
    if isinstance(node, Update) and not node.prefix:
        return "operand"
    return None


def _right_slot(node: Expr) -> str | None:
    """The field holding the right-most operand of an operator expression, if the
    grammar may have wrongly captured a postfix operator around ``node``."""
    if node.parenthesized:
        return None
    if isinstance(node, Binary):
        return "right"
    if isinstance(node, Unary):
        return "operand"
    if isinstance(node, Update) and node.prefix:
        return "operand"
    if isinstance(node, Conditional):
        return "otherwise"
    if isinstance(node, Assignment):
        return "value"
    return None


def attach_postfix(node: Expr) -> Expr:
    """Move a postfix ``node`` down onto the right-most operand it really applies to.

    Returns the expression that replaces ``node`` in the tree.
    """
    slot = _operand_slot(node)
    if slot is None:
        return node
    inner: Expr = getattr(node, slot)
    right = _right_slot(inner)
    if right is None:
        return _fold_call_options(node)
    operand: Expr = getattr(inner, right)
    setattr(node, slot, operand)
    node.line, node.col, node.start = operand.line, operand.col, operand.start
    setattr(inner, right, attach_postfix(node))
    inner.end_line, inner.end = node.end_line, node.end
    return inner


def _fold_call_options(node: Expr) -> Expr:
    """``x.f{value: v}(args)``: put the options on the call itself."""
    if isinstance(node, Call) and isinstance(node.callee, CallOptions):
        options = node.callee
        if not options.parenthesized:
            node.callee = options.base
            node.options = {**options.options, **node.options}
    return node


def attach_conditional(node: Conditional) -> Expr:
    """Make ``a ? b : c ? d : e`` right associative, as Solidity defines it."""
    cond = node.cond
    if not isinstance(cond, Conditional) or cond.parenthesized:
        return node
    # (a ? b : c) ? d : e  ==>  a ? b : (c ? d : e)
    tail = Conditional(cond.otherwise, node.then, node.otherwise)
    tail.set_span(
        cond.otherwise.line, cond.otherwise.col, node.end_line, cond.otherwise.start, node.end
    )
    cond.otherwise = attach_conditional(tail)
    cond.end_line, cond.end = node.end_line, node.end
    return cond
