"""State locations as ``(variable, member)`` keys and who writes them: which paths code
that anyone can run grows (``push``, ``++``, ``+=``) or assigns."""

from __future__ import annotations

from dataclasses import dataclass

from contract_analyzer.detectors.context import Context
from contract_analyzer.detectors.dos._access import (
    functions_of,
    memo,
    open_to_anyone,
    protected_statement,
)
from contract_analyzer.detectors.dos._exprs import PathKey, path_key, strip_length
from contract_analyzer.ir.declarations import Contract, Function
from contract_analyzer.ir.nodes import (
    Assignment,
    Binary,
    Call,
    Expr,
    Literal,
    Member,
    Unary,
    Update,
)


@dataclass(eq=False)
class Write:
    """A write of a state path in ``function``; ``grows`` for push/++/+=/length."""

    function: Function
    node: Expr
    target: Expr
    grows: bool
    anyone: bool


class StatePaths:
    """Writes of each state path by the functions of one contract."""

    def __init__(self, ctx: Context, contract: Contract) -> None:
        self.writes: dict[PathKey, list[Write]] = {}
        for function in functions_of(ctx, contract):
            if function.body is None or function.is_constructor:
                continue
            facts = ctx.facts(function)
            open_ = open_to_anyone(ctx, function) if facts.state_writes else False
            for access in facts.state_writes:
                found = _write_target(access.node)
                if found is None:
                    continue
                target, grows = found
                key = path_key(function, target)
                if key is None:
                    continue
                anyone = open_ and not protected_statement(ctx, function, access.node.stmt)
                write = Write(function, access.node, target, grows, anyone)
                self.writes.setdefault(key, []).append(write)

    def anyone_writes(self, key: PathKey, *, grows: bool = False) -> list[Write]:
        return [w for w in self.writes.get(key, []) if w.anyone and (w.grows or not grows)]


def _write_target(node: Expr) -> tuple[Expr, bool] | None:
    """What ``node`` writes and whether it makes it bigger."""
    if isinstance(node, Call) and isinstance(node.callee, Member):
        return node.callee.base, node.callee.member == "push"
    if isinstance(node, Update):
        return strip_length(node.operand), node.op == "++"
    if isinstance(node, Assignment):
        target = node.target
        if isinstance(target, Member) and target.member == "length":
            cleared = isinstance(node.value, Literal) and node.value.int_value() == 0
            return target.base, node.op != "-=" and not cleared
        grows = node.op == "+=" or (
            node.op == "=" and isinstance(node.value, Binary) and node.value.op == "+"
        )
        return target, grows
    if isinstance(node, Unary):
        return node.operand, False
    return None


def state_paths(ctx: Context, contract: Contract) -> StatePaths:
    """The :class:`StatePaths` of ``contract``, computed once per analysis."""
    return memo(ctx, ("paths", id(contract)), lambda: StatePaths(ctx, contract))
