"""One walk over each function body that links the tree and indexes it.

The walk sets, on every node, ``parent``; on every expression, ``stmt`` (the statement
that holds it); on every statement, ``loop_depth``, ``unchecked`` and ``conditions``
(the conditions known to hold when it runs: from ``require``/``assert`` before it,
from enclosing ``if``/loop conditions, and from early exits such as
``if (!ok) revert();``). It also files every node by kind in a :class:`FunctionIndex`,
so detectors look up "all calls of this function" instead of walking trees again.
"""

from __future__ import annotations

from collections.abc import Iterable

from contract_analyzer.ir.declarations import Callable, SourceUnit
from contract_analyzer.ir.nodes import (
    Assembly,
    Assignment,
    Binary,
    Block,
    Call,
    Conditional,
    DoWhile,
    Expr,
    ExpressionStmt,
    For,
    Identifier,
    If,
    Index,
    Member,
    Node,
    Placeholder,
    Return,
    Revert,
    Stmt,
    Throw,
    Try,
    Unary,
    Update,
    VarDecl,
    Variable,
    While,
)

Conditions = tuple[tuple[Expr, bool], ...]


class FunctionIndex:
    """Every node of one function or modifier body, filed by kind, in source order."""

    __slots__ = (
        "assemblies",
        "assignments",
        "binaries",
        "calls",
        "identifiers",
        "indexes",
        "locals",
        "loops",
        "members",
        "nodes",
        "placeholders",
        "returns",
        "statements",
        "unaries",
        "updates",
    )

    def __init__(self) -> None:
        self.nodes: list[Node] = []
        self.statements: list[Stmt] = []
        self.calls: list[Call] = []
        self.assignments: list[Assignment] = []
        self.binaries: list[Binary] = []
        self.unaries: list[Unary] = []
        self.updates: list[Update] = []
        self.identifiers: list[Identifier] = []
        self.members: list[Member] = []
        self.indexes: list[Index] = []
        self.locals: list[Variable] = []
        self.loops: list[Stmt] = []
        self.assemblies: list[Assembly] = []
        self.returns: list[Return] = []
        self.placeholders: list[Placeholder] = []


_FILE: dict[type, str] = {
    Call: "calls",
    Assignment: "assignments",
    Binary: "binaries",
    Unary: "unaries",
    Update: "updates",
    Identifier: "identifiers",
    Member: "members",
    Index: "indexes",
    Variable: "locals",
    Assembly: "assemblies",
    Return: "returns",
    Placeholder: "placeholders",
}


def index_unit(unit: SourceUnit) -> None:
    """Index every function and modifier body of a unit."""
    for callable_ in _callables(unit):
        index_callable(callable_)


def _callables(unit: SourceUnit) -> Iterable[Callable]:
    yield from unit.functions
    for contract in unit.contracts:
        yield from contract.functions
        yield from contract.modifiers


def index_callable(callable_: Callable) -> FunctionIndex:
    index = FunctionIndex()
    walker = _Walker(index)
    for param in callable_.params:
        param.parent = None
    body = callable_.body
    if body is not None:
        walker.stmt(body, None, (), 0, False)
    callable_.index = index
    return index


def is_call_to(expr: Expr | None, *names: str) -> bool:
    """``expr`` is a call of a plain identifier named one of ``names``."""
    return (
        isinstance(expr, Call) and isinstance(expr.callee, Identifier) and expr.callee.name in names
    )


def exits(stmt: Stmt | None) -> bool:
    """The statement always leaves the function (revert, throw, return, ``require(false)``)."""
    if stmt is None:
        return False
    if isinstance(stmt, Revert | Throw | Return):
        return True
    if isinstance(stmt, Block):
        return bool(stmt.statements) and exits(stmt.statements[-1])
    if isinstance(stmt, ExpressionStmt):
        expr = stmt.expr
        if is_call_to(expr, "revert"):
            return True
        if isinstance(expr, Call) and is_call_to(expr, "require", "assert") and expr.args:
            first = expr.args[0]
            return getattr(first, "value", None) == "false"
    if isinstance(stmt, If):
        return stmt.otherwise is not None and exits(stmt.then) and exits(stmt.otherwise)
    return False


class _Walker:
    __slots__ = ("index",)

    def __init__(self, index: FunctionIndex) -> None:
        self.index = index

    def stmt(
        self, s: Stmt, parent: Node | None, conds: Conditions, loops: int, unchecked: bool
    ) -> None:
        s.parent = parent
        s.conditions = conds
        s.loop_depth = loops
        s.unchecked = unchecked
        index = self.index
        index.nodes.append(s)
        index.statements.append(s)
        kind = type(s)
        if kind is Block:
            assert isinstance(s, Block)
            inner_unchecked = unchecked or s.is_unchecked
            current = conds
            for child in s.statements:
                self.stmt(child, s, current, loops, inner_unchecked)
                current = _after(child, current)
            return
        if kind is ExpressionStmt:
            assert isinstance(s, ExpressionStmt)
            self.expr(s.expr, s, s)
            return
        if kind is VarDecl:
            assert isinstance(s, VarDecl)
            for var in s.variables:
                if var is not None:
                    var.parent = s
                    index.nodes.append(var)
                    index.locals.append(var)
            if s.value is not None:
                self.expr(s.value, s, s)
            return
        if kind is If:
            assert isinstance(s, If)
            self.expr(s.cond, s, s)
            self.stmt(s.then, s, (*conds, (s.cond, True)), loops, unchecked)
            if s.otherwise is not None:
                self.stmt(s.otherwise, s, (*conds, (s.cond, False)), loops, unchecked)
            return
        if kind is For:
            assert isinstance(s, For)
            index.loops.append(s)
            if s.init is not None:
                self.stmt(s.init, s, conds, loops, unchecked)
            inner = (*conds, (s.cond, True)) if s.cond is not None else conds
            if s.cond is not None:
                self.expr(s.cond, s, s)
            if s.update is not None:
                self.expr(s.update, s, s)
            self.stmt(s.body, s, inner, loops + 1, unchecked)
            return
        if kind is While:
            assert isinstance(s, While)
            index.loops.append(s)
            self.expr(s.cond, s, s)
            self.stmt(s.body, s, (*conds, (s.cond, True)), loops + 1, unchecked)
            return
        if kind is DoWhile:
            assert isinstance(s, DoWhile)
            index.loops.append(s)
            self.stmt(s.body, s, conds, loops + 1, unchecked)
            self.expr(s.cond, s, s)
            return
        if kind is Return:
            assert isinstance(s, Return)
            index.returns.append(s)
            if s.value is not None:
                self.expr(s.value, s, s)
            return
        if kind is Try:
            assert isinstance(s, Try)
            self.expr(s.call, s, s)
            for var in s.returns:
                var.parent = s
                index.locals.append(var)
            self.stmt(s.body, s, conds, loops, unchecked)
            for clause in s.catches:
                clause.parent = s
                for var in clause.params:
                    var.parent = clause
                    index.locals.append(var)
                self.stmt(clause.body, clause, conds, loops, unchecked)
            return
        if kind is Assembly:
            index.assemblies.append(s)  # type: ignore[arg-type]
            return
        if kind is Placeholder:
            index.placeholders.append(s)  # type: ignore[arg-type]
            return
        # Emit, Revert and others: expressions only
        for node in s.children():
            if isinstance(node, Expr):
                self.expr(node, s, s)
            elif isinstance(node, Stmt):
                self.stmt(node, s, conds, loops, unchecked)

    def expr(self, e: Expr, parent: Node, stmt: Stmt) -> None:
        e.parent = parent
        e.stmt = stmt
        index = self.index
        index.nodes.append(e)
        kind = type(e)
        bucket = _FILE.get(kind)
        if bucket is not None:
            getattr(index, bucket).append(e)
        if kind is Call:
            assert isinstance(e, Call)
            self.expr(e.callee, e, stmt)
            for option in e.options.values():
                self.expr(option, e, stmt)
            for arg in e.args:
                self.expr(arg, e, stmt)
            return
        for name in kind._children:  # plain attribute reads: no generator per node
            value = getattr(e, name)
            if value is None:
                continue
            if type(value) is list:
                for item in value:
                    if item is not None:
                        self.expr(item, e, stmt)
            elif type(value) is dict:
                for item in value.values():
                    self.expr(item, e, stmt)
            else:
                self.expr(value, e, stmt)


def _after(stmt: Stmt, conds: Conditions) -> Conditions:
    """Conditions that hold after ``stmt`` completes normally."""
    if isinstance(stmt, ExpressionStmt):
        expr = stmt.expr
        if isinstance(expr, Call) and is_call_to(expr, "require", "assert") and expr.args:
            return (*conds, (expr.args[0], True))
        return conds
    if isinstance(stmt, If):
        if stmt.otherwise is None and exits(stmt.then):
            return (*conds, (stmt.cond, False))
        if stmt.otherwise is not None and exits(stmt.otherwise) and not exits(stmt.then):
            return (*conds, (stmt.cond, True))
    return conds


def facts_of(conditions: Conditions) -> list[tuple[Expr, bool]]:
    """Split conditions into atomic facts: ``!a`` false is ``a`` true, ``a && b`` true is
    ``a`` true and ``b`` true, ``a || b`` false is both false."""
    out: list[tuple[Expr, bool]] = []
    stack = list(conditions)
    while stack:
        expr, truth = stack.pop()
        if isinstance(expr, Unary) and expr.op == "!":
            stack.append((expr.operand, not truth))
        elif isinstance(expr, Binary) and (
            (expr.op == "&&" and truth) or (expr.op == "||" and not truth)
        ):
            stack.append((expr.left, truth))
            stack.append((expr.right, truth))
        elif isinstance(expr, Conditional):
            continue
        else:
            out.append((expr, truth))
    return out
