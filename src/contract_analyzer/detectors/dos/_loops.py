"""Loops: which loop holds a node, its body, and the locals it declares or updates."""

from __future__ import annotations

from contract_analyzer.ir.declarations import StateVariable
from contract_analyzer.ir.nodes import (
    Assignment,
    DoWhile,
    For,
    Identifier,
    Node,
    Stmt,
    Update,
    Variable,
    While,
)

LOOPS = (For, While, DoWhile)


def enclosing_loop(node: Node, stop: Node | None = None) -> Stmt | None:
    """The innermost loop whose body holds ``node`` (not crossing ``stop``)."""
    child: Node = node
    parent = node.parent
    while parent is not None and parent is not stop:
        if isinstance(parent, LOOPS) and parent.body is child:
            return parent
        child, parent = parent, parent.parent
    return None


def loop_body(loop: Stmt) -> Stmt:
    if isinstance(loop, For | While | DoWhile):
        return loop.body
    return loop


def loop_varying(loop: Node) -> set[object]:
    """What changes from one iteration to the next: locals declared in the loop, and
    locals or state variables it updates (``i++``, ``payoutOrder += 1``)."""
    out: set[object] = set()
    for node in loop.walk():
        target: Node | None = None
        if isinstance(node, Variable):
            out.add(node)
        elif isinstance(node, Update):
            target = node.operand
        elif isinstance(node, Assignment):
            target = node.target
        if isinstance(target, Identifier) and isinstance(target.ref, Variable | StateVariable):
            out.add(target.ref)
    return out
