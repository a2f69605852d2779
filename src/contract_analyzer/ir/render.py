"""Rendering IR expressions back to Solidity text.

``render(expr)`` gives compact source-like text for messages; ``render(expr,
full_parens=True)`` wraps every operator expression in parentheses, which is how the
tests check that the tree has the right shape.
"""

from __future__ import annotations

from contract_analyzer.ir.nodes import (
    Assignment,
    Binary,
    Call,
    CallOptions,
    Conditional,
    Expr,
    Identifier,
    Index,
    InlineArray,
    Literal,
    Member,
    MetaType,
    New,
    Slice,
    TupleExpr,
    TypeExpr,
    Unary,
    UnknownExpr,
    Update,
)


def render(expr: Expr | None, *, full_parens: bool = False, max_len: int = 0) -> str:
    """Render ``expr`` as text; ``max_len`` > 0 shortens the result with an ellipsis."""
    if expr is None:
        return ""
    text = _render(expr, full_parens)
    if max_len and len(text) > max_len:
        return text[: max_len - 1] + "…"
    return text


def _render(e: Expr, fp: bool) -> str:
    text = _render_inner(e, fp)
    if e.parenthesized and not fp:
        return f"({text})"
    if (
        e.parenthesized
        and fp
        and not isinstance(e, Binary | Unary | Update | Assignment | Conditional)
    ):
        return f"({text})"
    return text


def _render_inner(e: Expr, fp: bool) -> str:
    r = _render
    if isinstance(e, Identifier):
        return e.name
    if isinstance(e, Literal):
        return f"{e.value} {e.subdenomination}" if e.subdenomination else e.value
    if isinstance(e, Member):
        return f"{r(e.base, fp)}.{e.member}"
    if isinstance(e, Index):
        return f"{r(e.base, fp)}[{r(e.index, fp) if e.index is not None else ''}]"
    if isinstance(e, Slice):
        start = r(e.slice_start, fp) if e.slice_start is not None else ""
        end = r(e.slice_end, fp) if e.slice_end is not None else ""
        return f"{r(e.base, fp)}[{start}:{end}]"
    if isinstance(e, CallOptions):
        return f"{r(e.base, fp)}{_options(e.options, fp)}"
    if isinstance(e, Call):
        if e.arg_names:
            inner = ", ".join(f"{n}: {r(a, fp)}" for n, a in zip(e.arg_names, e.args, strict=False))
            args = "{" + inner + "}"
        else:
            args = ", ".join(r(a, fp) for a in e.args)
        legacy_chain = isinstance(e.callee, Call) and e.callee.kind == "chain"
        opts = _options(e.options, fp) if e.options and not legacy_chain else ""
        return f"{r(e.callee, fp)}{opts}({args})"
    if isinstance(e, Binary):
        text = f"{r(e.left, fp)} {e.op} {r(e.right, fp)}"
        return f"({text})" if fp else text
    if isinstance(e, Unary):
        sep = " " if e.op == "delete" else ""
        text = f"{e.op}{sep}{r(e.operand, fp)}"
        return f"({text})" if fp else text
    if isinstance(e, Update):
        text = f"{e.op}{r(e.operand, fp)}" if e.prefix else f"{r(e.operand, fp)}{e.op}"
        return f"({text})" if fp else text
    if isinstance(e, Assignment):
        text = f"{r(e.target, fp)} {e.op} {r(e.value, fp)}"
        return f"({text})" if fp else text
    if isinstance(e, Conditional):
        text = f"{r(e.cond, fp)} ? {r(e.then, fp)} : {r(e.otherwise, fp)}"
        return f"({text})" if fp else text
    if isinstance(e, TupleExpr):
        return "(" + ", ".join(r(x, fp) if x is not None else "" for x in e.elements) + ")"
    if isinstance(e, InlineArray):
        return "[" + ", ".join(r(x, fp) for x in e.elements) + "]"
    if isinstance(e, New):
        return f"new {e.type_name}"
    if isinstance(e, TypeExpr):
        return "payable" if str(e.type_name) == "address payable" else str(e.type_name)
    if isinstance(e, MetaType):
        return f"type({e.type_name})"
    if isinstance(e, UnknownExpr):
        return e.text
    return "?"


def _options(options: dict[str, Expr], fp: bool) -> str:
    return "{" + ", ".join(f"{k}: {_render(v, fp)}" for k, v in options.items()) + "}"
