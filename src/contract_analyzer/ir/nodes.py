"""Expression and statement nodes of the IR.

The converter in :mod:`contract_analyzer.parsing.convert` builds these from the
tree-sitter syntax tree, after the precedence of postfix operators has been
repaired (see :mod:`contract_analyzer.parsing.normalize`). Every node knows its
span: 1-based ``line``/``end_line``, 1-based ``col``, and byte offsets
``start``/``end`` into the source.

After conversion :mod:`contract_analyzer.ir.index` links each node to its parent
and each expression to the statement that holds it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from contract_analyzer.ir.types import TypeName


class Node:
    """Base of every IR node with a source span."""

    __slots__ = ("col", "end", "end_line", "line", "parent", "start")
    _children: ClassVar[tuple[str, ...]] = ()

    line: int
    end_line: int
    col: int
    start: int
    end: int
    parent: Node | None

    def children(self) -> Iterator[Node]:
        """Direct child nodes, in source order."""
        for name in self._children:
            value = getattr(self, name)
            if value is None:
                continue
            if isinstance(value, list):
                for item in value:
                    if item is not None:
                        yield item
            else:
                yield value

    def walk(self) -> Iterator[Node]:
        """This node and all nodes below it, depth first, in source order."""
        stack: list[Node] = [self]
        while stack:
            node = stack.pop()
            yield node
            kids = list(node.children())
            kids.reverse()
            stack.extend(kids)

    def set_span(self, line: int, col: int, end_line: int, start: int, end: int) -> None:
        self.line = line
        self.col = col
        self.end_line = end_line
        self.start = start
        self.end = end
        self.parent = None

    def copy_span(self, other: Node) -> None:
        self.line = other.line
        self.col = other.col
        self.end_line = other.end_line
        self.start = other.start
        self.end = other.end
        self.parent = None


# --------------------------------------------------------------------------- expressions


class Expr(Node):
    """Base of expressions. ``stmt`` is the statement that contains it."""

    __slots__ = ("parenthesized", "stmt", "ty")

    parenthesized: bool
    stmt: Stmt | None
    ty: TypeName | bool | None  # False = not computed yet


def _init_expr(e: Expr) -> None:
    e.parenthesized = False
    e.stmt = None
    e.ty = False


class Identifier(Expr):
    """A name. ``ref`` is what it resolves to (set by :mod:`ir.resolve`)."""

    __slots__ = ("name", "ref")

    def __init__(self, name: str) -> None:
        _init_expr(self)
        self.name = name
        self.ref: object | None = None


class Literal(Expr):
    """A number, string, bool, hex or unicode literal. ``value`` is the source text."""

    __slots__ = ("kind", "subdenomination", "value")

    def __init__(self, kind: str, value: str, subdenomination: str | None = None) -> None:
        _init_expr(self)
        self.kind = kind
        self.value = value
        self.subdenomination = subdenomination

    def int_value(self) -> int | None:
        """Numeric value of a number literal (units applied), or ``None``."""
        if self.kind != "number":
            return None
        text = self.value.replace("_", "")
        try:
            if text.lower().startswith("0x"):
                number = int(text, 16)
            elif "e" in text.lower() or "." in text:
                number = int(float(text))
            else:
                number = int(text)
        except ValueError:
            return None
        return number * _UNITS.get(self.subdenomination or "", 1)


_UNITS = {
    "wei": 1,
    "gwei": 10**9,
    "szabo": 10**12,
    "finney": 10**15,
    "ether": 10**18,
    "seconds": 1,
    "minutes": 60,
    "hours": 3600,
    "days": 86400,
    "weeks": 604800,
    "years": 31536000,
}


class Member(Expr):
    """``base.member``."""

    __slots__ = ("base", "member", "ref")
    _children = ("base",)

    def __init__(self, base: Expr, member: str) -> None:
        _init_expr(self)
        self.base = base
        self.member = member
        self.ref: object | None = None


class Index(Expr):
    """``base[index]``; ``index`` is ``None`` in type expressions like ``uint[]``."""

    __slots__ = ("base", "index")
    _children = ("base", "index")

    def __init__(self, base: Expr, index: Expr | None) -> None:
        _init_expr(self)
        self.base = base
        self.index = index


class Slice(Expr):
    """``base[start:stop]``."""

    __slots__ = ("base", "slice_end", "slice_start")
    _children = ("base", "slice_start", "slice_end")

    def __init__(self, base: Expr, start: Expr | None, end: Expr | None) -> None:
        _init_expr(self)
        self.base = base
        self.slice_start = start
        self.slice_end = end


class CallOptions(Expr):
    """``base{value: v, gas: g}`` before the call parentheses (0.6.2+)."""

    __slots__ = ("base", "options")
    _children = ("base", "options")

    def __init__(self, base: Expr, options: dict[str, Expr]) -> None:
        _init_expr(self)
        self.base = base
        self.options = options

    def children(self) -> Iterator[Node]:
        yield self.base
        yield from self.options.values()


class Call(Expr):
    """A call ``callee(args)``.

    ``options`` holds ``{value: ..., gas: ...}`` call options (modern syntax) and
    ``arg_names`` the names of named arguments (``f({a: 1})``). ``kind`` is filled in
    by resolution: ``internal``, ``external``, ``low_level``, ``builtin``,
    ``conversion``, ``struct``, ``event``, ``new``, ``library``, ``chain`` (an inner
    link of a legacy ``.value(v)``/``.gas(g)`` chain) or ``unknown``.
    """

    __slots__ = ("arg_names", "args", "callee", "kind", "options", "target")
    _children = ("callee", "args")

    def __init__(
        self,
        callee: Expr,
        args: list[Expr],
        arg_names: list[str] | None = None,
        options: dict[str, Expr] | None = None,
    ) -> None:
        _init_expr(self)
        self.callee = callee
        self.args = args
        self.arg_names = arg_names
        self.options = options or {}
        self.kind = "unknown"
        self.target: object | None = None

    def children(self) -> Iterator[Node]:
        yield self.callee
        yield from self.options.values()
        yield from self.args


class Binary(Expr):
    __slots__ = ("left", "op", "right")
    _children = ("left", "right")

    def __init__(self, op: str, left: Expr, right: Expr) -> None:
        _init_expr(self)
        self.op = op
        self.left = left
        self.right = right


class Unary(Expr):
    """Prefix operator: ``!``, ``-``, ``~``, ``+`` or ``delete``."""

    __slots__ = ("op", "operand")
    _children = ("operand",)

    def __init__(self, op: str, operand: Expr) -> None:
        _init_expr(self)
        self.op = op
        self.operand = operand


class Update(Expr):
    """``++``/``--``, prefix or postfix."""

    __slots__ = ("op", "operand", "prefix")
    _children = ("operand",)

    def __init__(self, op: str, operand: Expr, prefix: bool) -> None:
        _init_expr(self)
        self.op = op
        self.operand = operand
        self.prefix = prefix


class Assignment(Expr):
    """``target op value`` with ``op`` one of ``=``, ``+=``, ``-=``, ..."""

    __slots__ = ("op", "target", "value")
    _children = ("target", "value")

    def __init__(self, op: str, target: Expr, value: Expr) -> None:
        _init_expr(self)
        self.op = op
        self.target = target
        self.value = value


class Conditional(Expr):
    """``cond ? then : otherwise``."""

    __slots__ = ("cond", "otherwise", "then")
    _children = ("cond", "then", "otherwise")

    def __init__(self, cond: Expr, then: Expr, otherwise: Expr) -> None:
        _init_expr(self)
        self.cond = cond
        self.then = then
        self.otherwise = otherwise


class TupleExpr(Expr):
    """``(a, , b)``; holes are ``None``."""

    __slots__ = ("elements",)
    _children = ("elements",)

    def __init__(self, elements: list[Expr | None]) -> None:
        _init_expr(self)
        self.elements = elements


class InlineArray(Expr):
    __slots__ = ("elements",)
    _children = ("elements",)

    def __init__(self, elements: list[Expr]) -> None:
        _init_expr(self)
        self.elements = elements


class New(Expr):
    """``new T`` (the call that follows is a :class:`Call` around it)."""

    __slots__ = ("type_name",)

    def __init__(self, type_name: TypeName) -> None:
        _init_expr(self)
        self.type_name = type_name


class TypeExpr(Expr):
    """A type used as an expression: ``uint256(x)``, ``address(0)``, ``payable(a)``."""

    __slots__ = ("type_name",)

    def __init__(self, type_name: TypeName) -> None:
        _init_expr(self)
        self.type_name = type_name


class MetaType(Expr):
    """``type(T)``."""

    __slots__ = ("type_name",)

    def __init__(self, type_name: TypeName) -> None:
        _init_expr(self)
        self.type_name = type_name


class UnknownExpr(Expr):
    """Something the converter could not read (a syntax error, or nesting too deep)."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        _init_expr(self)
        self.text = text


# --------------------------------------------------------------------------- variables


class Variable(Node):
    """A local variable, parameter or return variable.

    ``kind`` is ``local``, ``param`` or ``return``; ``type_name`` is ``None`` for a
    legacy ``var`` declaration; ``location`` is ``storage``, ``memory``, ``calldata``
    or ``None``.
    """

    __slots__ = ("indexed", "kind", "location", "name", "type_name")

    def __init__(
        self, name: str, type_name: TypeName | None, location: str | None, kind: str
    ) -> None:
        self.name = name
        self.type_name = type_name
        self.location = location
        self.kind = kind
        self.indexed = False

    def __repr__(self) -> str:
        return f"Variable({self.kind} {self.type_name} {self.name})"


# --------------------------------------------------------------------------- statements


class Stmt(Node):
    """Base of statements. ``loop_depth`` and ``unchecked`` are set by the indexer;
    ``conditions`` holds the guards known to hold when the statement runs (see
    :mod:`ir.index`)."""

    __slots__ = ("conditions", "loop_depth", "unchecked")

    conditions: tuple[tuple[Expr, bool], ...]
    loop_depth: int
    unchecked: bool


class Block(Stmt):
    __slots__ = ("is_unchecked", "statements")
    _children = ("statements",)

    def __init__(self, statements: list[Stmt], is_unchecked: bool = False) -> None:
        self.statements = statements
        self.is_unchecked = is_unchecked


class ExpressionStmt(Stmt):
    __slots__ = ("expr",)
    _children = ("expr",)

    def __init__(self, expr: Expr) -> None:
        self.expr = expr


class VarDecl(Stmt):
    """``T x = v;`` or ``(T a, , T b) = v;`` (holes are ``None``)."""

    __slots__ = ("is_tuple", "value", "variables")
    _children = ("variables", "value")

    def __init__(
        self, variables: list[Variable | None], value: Expr | None, is_tuple: bool
    ) -> None:
        self.variables = variables
        self.value = value
        self.is_tuple = is_tuple


class If(Stmt):
    __slots__ = ("cond", "otherwise", "then")
    _children = ("cond", "then", "otherwise")

    def __init__(self, cond: Expr, then: Stmt, otherwise: Stmt | None) -> None:
        self.cond = cond
        self.then = then
        self.otherwise = otherwise


class For(Stmt):
    __slots__ = ("body", "cond", "init", "update")
    _children = ("init", "cond", "update", "body")

    def __init__(
        self, init: Stmt | None, cond: Expr | None, update: Expr | None, body: Stmt
    ) -> None:
        self.init = init
        self.cond = cond
        self.update = update
        self.body = body


class While(Stmt):
    __slots__ = ("body", "cond")
    _children = ("cond", "body")

    def __init__(self, cond: Expr, body: Stmt) -> None:
        self.cond = cond
        self.body = body


class DoWhile(Stmt):
    __slots__ = ("body", "cond")
    _children = ("body", "cond")

    def __init__(self, body: Stmt, cond: Expr) -> None:
        self.body = body
        self.cond = cond


class Return(Stmt):
    __slots__ = ("value",)
    _children = ("value",)

    def __init__(self, value: Expr | None) -> None:
        self.value = value


class Emit(Stmt):
    """``emit E(args)``; ``call`` is the call expression to the event."""

    __slots__ = ("call",)
    _children = ("call",)

    def __init__(self, call: Call) -> None:
        self.call = call


class Revert(Stmt):
    """``revert(...)`` statement form, ``revert E(args)`` with a custom error."""

    __slots__ = ("args", "error")
    _children = ("error", "args")

    def __init__(self, error: Expr | None, args: list[Expr]) -> None:
        self.error = error
        self.args = args


class Throw(Stmt):
    """Legacy ``throw;``."""

    __slots__ = ()


class Break(Stmt):
    __slots__ = ()


class Continue(Stmt):
    __slots__ = ()


class Placeholder(Stmt):
    """``_;`` in a modifier body."""

    __slots__ = ()


class YulCall:
    """A builtin or function call inside inline assembly, with its arguments as text."""

    __slots__ = ("args", "line", "name")

    def __init__(self, name: str, args: list[str], line: int) -> None:
        self.name = name
        self.args = args
        self.line = line

    def __repr__(self) -> str:
        return f"YulCall({self.name}{tuple(self.args)} @{self.line})"


class Assembly(Stmt):
    """An inline assembly block, summarised: the text, the calls it makes and the
    Solidity identifiers it mentions."""

    __slots__ = ("calls", "identifiers", "text")

    def __init__(self, text: str, calls: list[YulCall], identifiers: set[str]) -> None:
        self.text = text
        self.calls = calls
        self.identifiers = identifiers


class CatchClause(Node):
    __slots__ = ("body", "kind", "params")
    _children = ("params", "body")

    def __init__(self, kind: str | None, params: list[Variable], body: Block) -> None:
        self.kind = kind
        self.params = params
        self.body = body


class Try(Stmt):
    __slots__ = ("body", "call", "catches", "returns")
    _children = ("call", "returns", "body", "catches")

    def __init__(
        self, call: Expr, returns: list[Variable], body: Block, catches: list[CatchClause]
    ) -> None:
        self.call = call
        self.returns = returns
        self.body = body
        self.catches = catches


class UnknownStmt(Stmt):
    """A statement the converter could not read (a syntax error)."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text
