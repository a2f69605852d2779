"""Repairs to the shape of expression trees that the grammar gets wrong.

tree-sitter-solidity attaches a postfix operator (index, call, call options, member
access after one of those, postfix ``++``/``--``) that follows the right operand of a
binary, unary, conditional or assignment expression to the *whole* expression:
``a > b[c]`` arrives as ``(a > b)[c]`` and ``!msg.sender.call.value(v)()`` as
``(!msg.sender).call.value(v)()``. It also reads the conditional operator as left
associative (``a ? b : c ? d : e`` as ``(a ? b : c) ? d : e``).

Once a postfix operator has been moved down, the operator that the grammar composed
*around* the wrong tree may now bind tighter than the expression on its left
(``x < y.f(z) - w`` arrives as ``((x < y).f(z)) - w``); :func:`attach_binary` rotates
such a pair back into precedence order.

The converter calls :func:`attach_postfix` on every postfix node it builds,
:func:`attach_binary` on every binary one and :func:`attach_conditional` on every
conditional, so the IR always has the shape the Solidity compiler would give it. A
parenthesised expression is its own node in the source and is never re-associated.
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


# Binding strength of binary operators (higher binds tighter), as the language defines it.
PRECEDENCE: dict[str, int] = {
    "**": 13,
    "*": 12,
    "/": 12,
    "%": 12,
    "+": 11,
    "-": 11,
    "<<": 10,
    ">>": 10,
    ">>>": 10,
    "&": 9,
    "^": 8,
    "|": 7,
    "<": 6,
    ">": 6,
    "<=": 6,
    ">=": 6,
    "==": 5,
    "!=": 5,
    "&&": 4,
    "||": 3,
}


def attach_binary(node: Binary) -> Expr:
    """Rotate ``(a LOW b) HIGH c`` into ``a LOW (b HIGH c)`` when the left operand binds
    more loosely than ``node``'s operator and was not parenthesised (only a repaired
    postfix leaves such a tree behind)."""
    left = node.left
    if left.parenthesized:
        return node
    strength = PRECEDENCE.get(node.op, 0)
    if isinstance(left, Binary) and PRECEDENCE.get(left.op, 0) < strength:
        node.left = left.right
        node.line, node.col, node.start = left.right.line, left.right.col, left.right.start
        left.right = attach_binary(node)
        left.end_line, left.end = node.end_line, node.end
        return left
    if isinstance(left, Conditional | Assignment):
        slot = "otherwise" if isinstance(left, Conditional) else "value"
        operand: Expr = getattr(left, slot)
        node.left = operand
        node.line, node.col, node.start = operand.line, operand.col, operand.start
        setattr(left, slot, attach_binary(node))
        left.end_line, left.end = node.end_line, node.end
        return left
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
