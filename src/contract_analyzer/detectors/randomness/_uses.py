"""How a random value is used: compared, used as an array index, re-rolled in
storage (helpers of ``weak_randomness``)."""

from __future__ import annotations

from contract_analyzer.detectors.arithmetic._keys import COMPARISONS, int_value, strip
from contract_analyzer.detectors.arithmetic._util import result_local
from contract_analyzer.detectors.context import Context
from contract_analyzer.detectors.randomness._entropy import EntropyInfo
from contract_analyzer.ir.declarations import Callable, StateVariable
from contract_analyzer.ir.nodes import (
    Binary,
    Call,
    Expr,
    Identifier,
    Index,
    Node,
    TupleExpr,
    TypeExpr,
)


def compared(node: Expr) -> bool:
    parent = node.parent
    while isinstance(parent, TupleExpr):
        parent = parent.parent
    return isinstance(parent, Binary) and parent.op in COMPARISONS


def divided(expr: Expr) -> bool:
    return any(isinstance(n, Binary) and n.op == "/" for n in expr.walk())


def selects(ctx: Context, fn: Callable, node: Expr) -> bool:
    """The value indexes an array (picks an element, e.g. a winner), directly or
    through the local that holds it."""
    child: Node = node
    parent = node.parent
    while isinstance(parent, TupleExpr | Binary | Call):
        if isinstance(parent, Call) and not isinstance(parent.callee, TypeExpr):
            return False
        child, parent = parent, parent.parent
    if isinstance(parent, Index) and parent.index is child:
        return _is_array(ctx, fn, parent)
    var = result_local(node)
    if var is None or fn.index is None:
        return False
    return any(
        isinstance(ix.index, Identifier) and ix.index.ref is var and _is_array(ctx, fn, ix)
        for ix in fn.index.indexes
    )


def _is_array(ctx: Context, fn: Callable, index: Index) -> bool:
    base_type = ctx.type_of(fn, index.base)
    return base_type is None or base_type.kind == "array"


def is_zero(expr: Expr | None) -> bool:
    expr = strip(expr)
    if isinstance(expr, Call) and isinstance(expr.callee, TypeExpr) and len(expr.args) == 1:
        expr = strip(expr.args[0])
    return int_value(expr) == 0


def display(label: str) -> str:
    if label == "block.difficulty":
        return "`block.difficulty`/`prevrandao`"
    return f"`{label}`"


def origin_key(info: EntropyInfo) -> object:
    """One finding per source of randomness: a hash call, or a stored seed."""
    if info.seeds and not info.hashed:
        return ("seed", *sorted(info.seeds))
    return id(info.origin)


def seed_update(fn: Callable, seeds: set[str], use: Expr) -> Node | None:
    """The statement of this body that re-rolls the seed before ``use``."""
    found: Node | None = None
    for assignment in fn.index.assignments if fn.index else ():
        target = assignment.target
        if (
            assignment.start < use.start
            and isinstance(target, Identifier)
            and isinstance(target.ref, StateVariable)
            and target.ref.name in seeds
        ):
            found = assignment
    return found
