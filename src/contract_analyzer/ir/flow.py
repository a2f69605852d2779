"""Execution order of a body, with modifiers and internal calls inlined.

:func:`execution_order` lists the expression nodes of a function in the order they
run: arguments before the call, the right side of an assignment before the store,
the condition of an ``if`` before its branches. Modifier bodies wrap the function at
their ``_``, and the bodies of internal functions are spliced in where they are
called (a few levels deep, recursion cut), so "state written after an external call
in a helper called afterwards" is just a later entry in the list.

Inlining is bounded by a budget of steps that grows with the size of the function
itself: past it (a dense call graph can grow the list exponentially) an internal call is left as one step with
``summarized=True``, and callers fall back to the callee's facts for it.
"""

from __future__ import annotations

from collections.abc import Iterator

from contract_analyzer.ir.declarations import Callable, Function, Modifier
from contract_analyzer.ir.nodes import (
    Block,
    Call,
    CatchClause,
    DoWhile,
    Emit,
    Expr,
    ExpressionStmt,
    For,
    If,
    Node,
    Placeholder,
    Return,
    Revert,
    Stmt,
    Try,
    VarDecl,
    While,
)

MAX_INLINE_DEPTH = 3
BASE_BUDGET = 400
BUDGET_PER_NODE = 8
MAX_BUDGET = 5000


class Step:
    """One node in execution order; ``owner`` is the body it belongs to and
    ``loop`` the innermost loop statement around it (in any inlined body).
    ``summarized`` marks an internal call whose body was not spliced in."""

    __slots__ = ("loop", "node", "owner", "summarized")

    def __init__(self, node: Node, owner: Callable, loop: Stmt | None) -> None:
        self.node = node
        self.owner = owner
        self.loop = loop
        self.summarized = False

    def __repr__(self) -> str:
        return f"Step({type(self.node).__name__} @{self.node.line} in {self.owner.name})"


def execution_order(function: Function, *, inline: bool = True) -> list[Step]:
    """Nodes of ``function`` (with its modifiers and, if ``inline``, its internal
    callees) in execution order."""
    modifiers = [m.ref for m in function.modifiers if isinstance(m.ref, Modifier)]
    own = sum(len(c.index.nodes) for c in (function, *modifiers) if c.index is not None)
    walker = _Walker(inline, [min(MAX_BUDGET, BASE_BUDGET + BUDGET_PER_NODE * own)])
    walker.run_wrapped(function, modifiers)
    return walker.steps


class _Walker:
    def __init__(self, inline: bool, budget: list[int]) -> None:
        self.inline = inline
        self.budget = budget  # shared by the walkers of one execution_order call
        self.steps: list[Step] = []
        self.stack: list[int] = []

    def run_wrapped(
        self, function: Function, modifiers: list[Modifier], loop: Stmt | None = None
    ) -> None:
        if not modifiers:
            self.run_body(function, loop)
            return
        first, rest = modifiers[0], modifiers[1:]
        if first.body is None or id(first) in self.stack:
            self.run_wrapped(function, rest, loop)
            return
        self.stack.append(id(first))
        for step in self._stmt(first.body, first, loop):
            if isinstance(step.node, Placeholder):
                self.run_wrapped(function, rest, loop)
            else:
                self.steps.append(step)
        self.stack.pop()

    def run_body(self, callable_: Callable, loop: Stmt | None) -> None:
        if callable_.body is None or id(callable_) in self.stack:
            return
        self.stack.append(id(callable_))
        for step in self._stmt(callable_.body, callable_, loop):
            self.steps.append(step)
        self.stack.pop()

    # generators yield steps for the caller to append, except inlined calls which append directly
    def _stmt(self, s: Stmt, owner: Callable, loop: Stmt | None) -> Iterator[Step]:
        if isinstance(s, Block):
            for child in s.statements:
                yield from self._stmt(child, owner, loop)
        elif isinstance(s, ExpressionStmt):
            yield from self._expr(s.expr, owner, loop)
        elif isinstance(s, VarDecl):
            if s.value is not None:
                yield from self._expr(s.value, owner, loop)
            yield Step(s, owner, loop)
        elif isinstance(s, If):
            yield from self._expr(s.cond, owner, loop)
            yield from self._stmt(s.then, owner, loop)
            if s.otherwise is not None:
                yield from self._stmt(s.otherwise, owner, loop)
        elif isinstance(s, For):
            if s.init is not None:
                yield from self._stmt(s.init, owner, loop)
            if s.cond is not None:
                yield from self._expr(s.cond, owner, s)
            yield from self._stmt(s.body, owner, s)
            if s.update is not None:
                yield from self._expr(s.update, owner, s)
        elif isinstance(s, While):
            yield from self._expr(s.cond, owner, s)
            yield from self._stmt(s.body, owner, s)
        elif isinstance(s, DoWhile):
            yield from self._stmt(s.body, owner, s)
            yield from self._expr(s.cond, owner, s)
        elif isinstance(s, Return):
            if s.value is not None:
                yield from self._expr(s.value, owner, loop)
            yield Step(s, owner, loop)
        elif isinstance(s, Emit):
            yield from self._expr(s.call, owner, loop)
        elif isinstance(s, Revert):
            for arg in s.args:
                yield from self._expr(arg, owner, loop)
            yield Step(s, owner, loop)
        elif isinstance(s, Try):
            yield from self._expr(s.call, owner, loop)
            yield from self._stmt(s.body, owner, loop)
            for clause in s.catches:
                yield from self._catch(clause, owner, loop)
        else:
            yield Step(s, owner, loop)

    def _catch(self, clause: CatchClause, owner: Callable, loop: Stmt | None) -> Iterator[Step]:
        yield from self._stmt(clause.body, owner, loop)

    def _expr(self, e: Expr, owner: Callable, loop: Stmt | None) -> Iterator[Step]:
        for child in e.children():
            if isinstance(child, Expr):
                yield from self._expr(child, owner, loop)
        step = Step(e, owner, loop)
        self.budget[0] -= 1
        if not (
            isinstance(e, Call)
            and e.kind in ("internal", "library")
            and isinstance(e.target, Function)
            and e.target.body is not None
        ):
            yield step
            return
        target = e.target
        if not self.inline or len(self.stack) > MAX_INLINE_DEPTH or self.budget[0] <= 0:
            step.summarized = id(target) not in self.stack
            yield step
            return
        yield step
        callee = _Walker(self.inline, self.budget)
        callee.stack = list(self.stack)
        modifiers = [m.ref for m in target.modifiers if isinstance(m.ref, Modifier)]
        callee.run_wrapped(target, modifiers, loop)
        yield from callee.steps
