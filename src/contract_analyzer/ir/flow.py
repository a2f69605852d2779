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

from contract_analyzer.ir.declarations import Callable, Contract, Function, Modifier
from contract_analyzer.ir.nodes import (
    Block,
    Call,
    CatchClause,
    DoWhile,
    Emit,
    Expr,
    ExpressionStmt,
    For,
    Identifier,
    If,
    Member,
    Node,
    Placeholder,
    Return,
    Revert,
    Stmt,
    Try,
    VarDecl,
    Variable,
    While,
)

MAX_INLINE_DEPTH = 5
BASE_BUDGET = 400
BUDGET_PER_NODE = 8
MAX_BUDGET = 5000


class Frame:
    """Parameters of an inlined body bound to the arguments of the call that entered it.

    ``caller`` is the body the arguments belong to and ``parent`` its own frame, so a
    parameter can be followed back through several calls to the value at the root.
    """

    __slots__ = ("bindings", "caller", "parent")

    def __init__(self, bindings: dict[int, Expr], caller: Callable, parent: Frame | None) -> None:
        self.bindings = bindings
        self.caller = caller
        self.parent = parent


class Step:
    """One node in execution order.

    ``owner`` is the body it belongs to, ``loop`` the innermost loop statement around it
    (in any inlined body), ``frame`` the parameter bindings of the inlined body it is in,
    ``anchor`` the node of the analysed function that led to it (itself at top level),
    and ``summarized`` marks an internal call whose body was not spliced in.
    """

    __slots__ = (
        "anchor",
        "anchor_contract",
        "frame",
        "loop",
        "node",
        "owner",
        "root",
        "summarized",
    )

    def __init__(
        self,
        node: Node,
        owner: Callable,
        loop: Stmt | None,
        frame: Frame | None = None,
        anchor: Node | None = None,
    ) -> None:
        self.node = node
        self.owner = owner
        self.loop = loop
        self.frame = frame
        self.anchor = anchor if anchor is not None else node
        self.anchor_contract: Contract | None = None  # the analysed function's contract
        self.root: Function | None = None  # the analysed function
        self.summarized = False

    def __repr__(self) -> str:
        return f"Step({type(self.node).__name__} @{self.node.line} in {self.owner.name})"


def resolve_argument(expr: Expr, owner: Callable, frame: Frame | None) -> tuple[Expr, Callable]:
    """Follow a parameter of an inlined body back to the argument the caller passed
    (through conversions such as ``payable(x)``), as far as the frames go."""
    while True:
        while isinstance(expr, Call) and expr.kind == "conversion" and len(expr.args) == 1:
            expr = expr.args[0]
        if frame is None or not isinstance(expr, Identifier) or not isinstance(expr.ref, Variable):
            return expr, owner
        bound = frame.bindings.get(id(expr.ref))
        if bound is None:
            return expr, owner
        expr, owner, frame = bound, frame.caller, frame.parent


def execution_order(function: Function, *, inline: bool = True) -> list[Step]:
    """Nodes of ``function`` (with its modifiers and, if ``inline``, its internal
    callees) in execution order."""
    modifiers = [m.ref for m in function.modifiers if isinstance(m.ref, Modifier)]
    own = sum(len(c.index.nodes) for c in (function, *modifiers) if c.index is not None)
    walker = _Walker(inline, [min(MAX_BUDGET, BASE_BUDGET + BUDGET_PER_NODE * own)])
    walker.run_wrapped(function, modifiers)
    for step in walker.steps:
        step.anchor_contract = function.contract
        step.root = function
    return walker.steps


def _bind(call: Call, target: Function, caller: Callable, parent: Frame | None) -> Frame:
    """Parameters of ``target`` bound to the arguments of ``call``."""
    args = list(call.args)
    callee = call.callee
    if (
        call.kind == "library"
        and isinstance(callee, Member)
        and not (isinstance(callee.base, Identifier) and isinstance(callee.base.ref, Contract))
    ):
        args.insert(0, callee.base)  # `x.f(a)` through `using L for T`
    bindings: dict[int, Expr] = {}
    if call.arg_names:
        by_name = dict(zip(call.arg_names, call.args, strict=False))
        for param in target.params:
            if param.name in by_name:
                bindings[id(param)] = by_name[param.name]
    else:
        for param, arg in zip(target.params, args, strict=False):
            bindings[id(param)] = arg
    return Frame(bindings, caller, parent)


class _Walker:
    def __init__(
        self,
        inline: bool,
        budget: list[int],
        frame: Frame | None = None,
        anchor: Node | None = None,
    ) -> None:
        self.inline = inline
        self.budget = budget  # shared by the walkers of one execution_order call
        self.frame = frame
        self.anchor = anchor  # the top-level node this walker's body was entered from
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
            yield self._step(s, owner, loop)
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
            yield self._step(s, owner, loop)
        elif isinstance(s, Emit):
            yield from self._expr(s.call, owner, loop)
        elif isinstance(s, Revert):
            for arg in s.args:
                yield from self._expr(arg, owner, loop)
            yield self._step(s, owner, loop)
        elif isinstance(s, Try):
            yield from self._expr(s.call, owner, loop)
            yield from self._stmt(s.body, owner, loop)
            for clause in s.catches:
                yield from self._catch(clause, owner, loop)
        else:
            yield self._step(s, owner, loop)

    def _step(self, node: Node, owner: Callable, loop: Stmt | None) -> Step:
        return Step(node, owner, loop, self.frame, self.anchor)

    def _catch(self, clause: CatchClause, owner: Callable, loop: Stmt | None) -> Iterator[Step]:
        yield from self._stmt(clause.body, owner, loop)

    def _expr(self, e: Expr, owner: Callable, loop: Stmt | None) -> Iterator[Step]:
        for child in e.children():
            if isinstance(child, Expr):
                yield from self._expr(child, owner, loop)
        step = self._step(e, owner, loop)
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
        frame = _bind(e, target, owner, self.frame)
        callee = _Walker(self.inline, self.budget, frame, self.anchor or e)
        callee.stack = list(self.stack)
        modifiers = [m.ref for m in target.modifiers if isinstance(m.ref, Modifier)]
        callee.run_wrapped(target, modifiers, loop)
        yield from callee.steps
