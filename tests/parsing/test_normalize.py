"""The precedence repair: every expression rendered fully parenthesised.

tree-sitter-solidity attaches postfix operators after a binary/unary right operand to the
whole expression and reads ``?:`` left-associatively; the IR must have the shape the
Solidity compiler gives these expressions.
"""

from __future__ import annotations

import pytest

from contract_analyzer.ir.nodes import ExpressionStmt
from contract_analyzer.ir.render import render
from contract_analyzer.parsing import parse_source

CASES = [
    # postfix index / call / member after a binary operator's right operand
    ("a > b[c]", "(a > b[c])"),
    ("a == b.c(d)", "(a == b.c(d))"),
    ("a == b.c", "(a == b.c)"),
    ("a + b * c[d]", "(a + (b * c[d]))"),
    ("a * b + c[d]", "((a * b) + c[d])"),
    ("a < b && c > d[e]", "((a < b) && (c > d[e]))"),
    ("a + b.c.d(e)[f]", "(a + b.c.d(e)[f])"),
    ("a + b.c[d].e(f)", "(a + b.c[d].e(f))"),
    ("a[b] + c[d]", "(a[b] + c[d])"),
    ("x = a + b[c] * d", "(x = (a + (b[c] * d)))"),
    ("a ** b[c]", "(a ** b[c])"),
    ("a == type(uint).max", "(a == type(uint256).max)"),
    ("a - b.length", "(a - b.length)"),
    ("x < y.balanceOf(z) - w", "(x < (y.balanceOf(z) - w))"),
    ("a || b && c(d)", "(a || (b && c(d)))"),
    ("x <= y[i] + z", "(x <= (y[i] + z))"),
    ("a == b[c] && d", "((a == b[c]) && d)"),
    ("a + b[c] == d", "((a + b[c]) == d)"),
    ("a < b.f(c) * d + e", "(a < ((b.f(c) * d) + e))"),
    ("x ? y : z[0] + 1", "(x ? y : (z[0] + 1))"),
    ("-a[b] * c", "((-a[b]) * c)"),
    ("!a.b(c) && d", "((!a.b(c)) && d)"),
    ("a = b[c] + d", "(a = (b[c] + d))"),
    ("a += b.c(d) * e", "(a += (b.c(d) * e))"),
    # unary operators
    ("-a[b]", "(-a[b])"),
    ("!a.b", "(!a.b)"),
    ("!a.b.c(d)", "(!a.b.c(d))"),
    ("!msg.sender.call.value(a)()", "(!msg.sender.call.value(a)())"),
    ("!msg.sender.send(v)", "(!msg.sender.send(v))"),
    ("~a[0]", "(~a[0])"),
    ("!!a[b]", "(!(!a[b]))"),
    ("a - -b[c]", "(a - (-b[c]))"),
    ("delete a[b]", "(delete a[b])"),
    ("delete a.b[c].d", "(delete a.b[c].d)"),
    # update operators
    ("++a[b]", "(++a[b])"),
    ("a[b]++", "(a[b]++)"),
    ("a + b[c]++", "(a + (b[c]++))"),
    ("a++ + b[c]", "((a++) + b[c])"),
    # call options
    ("x = !a.call{value: b}(c)", "(x = (!a.call{value: b}(c)))"),
    ("a + b.c{value: 1}()", "(a + b.c{value: 1}())"),
    # conditional: right associative, postfix inside the last branch
    ("a ? b : c ? d : e", "(a ? b : (c ? d : e))"),
    ("a ? b ? c : d : e", "(a ? (b ? c : d) : e)"),
    ("a ? b : c[d]", "(a ? b : c[d])"),
    ("a ? b : c ? d : e[f]", "(a ? b : (c ? d : e[f]))"),
    ("x = a ? b : c", "(x = (a ? b : c))"),
    ("a || b ? c : d", "((a || b) ? c : d)"),
    # parenthesised expressions stay as written
    ("(a + b)[c]", "(a + b)[c]"),
    ("(a > b).c", "(a > b).c"),
    ("a + (b)[c]", "(a + (b)[c])"),
    ("(!a).b", "(!a).b"),
    # assignments and well-formed precedence are untouched
    ("x = a[b]", "(x = a[b])"),
    ("x += a[b]", "(x += a[b])"),
    ("a = b = c[d]", "(a = (b = c[d]))"),
    ("a - b - c", "((a - b) - c)"),
    ("a & b == c", "((a & b) == c)"),
    ("a << b + c", "(a << (b + c))"),
    ("!a == b", "((!a) == b)"),
    ("uint256(a) + b[c]", "(uint256(a) + b[c])"),
    ("payable(a).transfer(b[c])", "payable(a).transfer(b[c])"),
    ("x.call.value(1).gas(2)(data)", "x.call.value(1).gas(2)(data)"),
]


@pytest.mark.parametrize(("source", "expected"), CASES, ids=[c[0] for c in CASES])
def test_expression_shape(source: str, expected: str) -> None:
    unit = parse_source(f"contract A {{ function f() public {{\n{source};\n}} }}")
    assert not unit.syntax_problems, unit.syntax_problems
    body = unit.contracts[0].functions[0].body
    assert body is not None
    stmt = body.statements[0]
    assert isinstance(stmt, ExpressionStmt)
    assert render(stmt.expr, full_parens=True) == expected


def test_spans_follow_the_repaired_tree() -> None:
    unit = parse_source("contract A { function f() public {\n  x = a > b[c];\n} }")
    body = unit.contracts[0].functions[0].body
    assert body is not None
    stmt = body.statements[0]
    assert isinstance(stmt, ExpressionStmt)
    comparison = stmt.expr.value  # type: ignore[attr-defined]
    index = comparison.right
    assert (index.line, index.col) == (2, 11)
    assert unit.text.encode()[index.start : index.end] == b"b[c]"
    assert unit.text.encode()[comparison.start : comparison.end] == b"a > b[c]"
