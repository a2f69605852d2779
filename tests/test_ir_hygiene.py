"""IR repairs the hygiene detectors rely on."""

from __future__ import annotations

from contract_analyzer.ir.nodes import Assignment, Binary, ExpressionStmt, Identifier, Unary
from contract_analyzer.ir.render import render
from contract_analyzer.parsing import parse_source


def _statements(body: str) -> list[ExpressionStmt]:
    unit = parse_source(
        f"pragma solidity ^0.4.24;\ncontract A {{\n function f(uint a) {{\n{body}\n }}\n}}\n"
    )
    function = unit.contracts[0].functions[0]
    assert function.body is not None
    return [s for s in function.body.statements if isinstance(s, ExpressionStmt)]


def test_legacy_unary_plus_assignment_is_an_assignment_not_an_addition() -> None:
    # the grammar has no unary `+`: `x =+ a` arrives as `x (ERROR =) + a`
    (stmt,) = _statements("x =+ a;")
    expr = stmt.expr
    assert isinstance(expr, Assignment)
    assert expr.op == "="
    assert isinstance(expr.target, Identifier) and expr.target.name == "x"
    assert isinstance(expr.value, Unary) and expr.value.op == "+"
    assert render(expr) == "x = +a"


def test_unary_plus_span_starts_at_the_operator() -> None:
    (stmt,) = _statements("total =+ a * 2;")
    expr = stmt.expr
    assert isinstance(expr, Assignment) and isinstance(expr.value, Unary)
    line = "total =+ a * 2;"
    assert expr.value.col - 1 == line.index("+")
    assert render(expr.value.operand) == "a * 2"


def test_ordinary_addition_is_untouched() -> None:
    (stmt,) = _statements("x + a;")
    assert isinstance(stmt.expr, Binary) and stmt.expr.op == "+"
