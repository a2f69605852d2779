"""Property: any text either analyses (possibly with warnings) or raises InputError."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contract_analyzer import InputError, analyze

TOKENS = [
    "contract",
    "C",
    "is",
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    ";",
    ",",
    ".",
    "function",
    "f",
    "public",
    "external",
    "payable",
    "returns",
    "uint",
    "address",
    "mapping",
    "=>",
    "=",
    "+=",
    "-",
    "+",
    "*",
    "/",
    "==",
    "!",
    "&&",
    "?",
    ":",
    "if",
    "else",
    "for",
    "while",
    "return",
    "emit",
    "E",
    "msg",
    "sender",
    "value",
    "call",
    "transfer",
    "require",
    "x",
    "y",
    "1",
    "0x10",
    '"s"',
    "modifier",
    "_",
    "throw",
    "var",
    "pragma",
    "solidity",
    "^0.4.24",
    "^0.8.0",
    "unchecked",
    "assembly",
    "sstore",
    "delete",
    "new",
    "try",
    "catch",
    "revert",
    "//",
    "/*",
    "*/",
    "\n",
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(TOKENS), max_size=120))
def test_token_soup_never_crashes(tokens: list[str]) -> None:
    source = " ".join(tokens)
    try:
        report = analyze(source, analysis_type="full")
    except InputError:
        assert not source.strip()
        return
    assert not [w for w in report.warnings if "failed and was skipped" in w], report.warnings
    assert 0 <= report.score <= 100


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=400))
def test_arbitrary_text_never_crashes(source: str) -> None:
    try:
        report = analyze(source)
    except InputError:
        return
    assert not [w for w in report.warnings if "failed and was skipped" in w], report.warnings
