"""Parsing Solidity source into the IR, without a compiler.

:func:`parse_source` is the one entry point: text in, :class:`SourceUnit` out. It
never raises on bad Solidity: syntax errors become ``syntax_problems`` on the unit
and the rest of the file is still converted. A pasted fragment (functions or
statements with no enclosing contract) is analysed inside a synthetic contract.
"""

from __future__ import annotations

from functools import lru_cache

import tree_sitter

from contract_analyzer.ir.declarations import SourceUnit, SyntaxProblem
from contract_analyzer.ir.versions import intersect, parse_version_constraint, range_from_hints
from contract_analyzer.parsing.convert import convert
from contract_analyzer.parsing.treesitter import language, parse

FRAGMENT_CONTRACT = "Fragment"
_CONTRACT_PREFIX = "contract " + FRAGMENT_CONTRACT + " { "
_FUNCTION_PREFIX = _CONTRACT_PREFIX + "function fragment() public { "
_MAX_PROBLEMS = 50

__all__ = ["FRAGMENT_CONTRACT", "parse_source"]


def parse_source(text: str, path: str = "<input>") -> SourceUnit:
    """Parse ``text`` (the contents of ``path``) into a :class:`SourceUnit`."""
    data = text.encode("utf-8", "surrogatepass")
    tree = parse(data)
    root = tree.root_node
    prefix = ""
    if (root.has_error or _has_member_functions(root)) and not _has_declarations(root):
        best = (_error_bytes(root) + (1 if not root.has_error else 0), data, tree, "")
        for candidate_prefix, suffix in ((_CONTRACT_PREFIX, "\n}"), (_FUNCTION_PREFIX, "\n} }")):
            wrapped = (candidate_prefix + text + suffix).encode("utf-8", "surrogatepass")
            wrapped_tree = parse(wrapped)
            score = _error_bytes(wrapped_tree.root_node)
            if score < best[0]:
                best = (score, wrapped, wrapped_tree, candidate_prefix)
        _, data, tree, prefix = best
        root = tree.root_node
    unit = convert(root, data, path, text)
    if prefix:
        unit.wrapped_fragment = True
        unit.warnings.append(
            "no contract declaration found: the code was analysed as the body of a contract "
            f"named {FRAGMENT_CONTRACT}"
            + (" (inside one function)" if prefix == _FUNCTION_PREFIX else "")
        )
    if root.has_error:
        unit.syntax_problems = _syntax_problems(
            root, data, len(prefix.encode()), unit.repaired_errors
        )
    _set_version(unit)
    _mark_legacy_constructors(unit)
    return unit


def _has_declarations(root: tree_sitter.Node) -> bool:
    return any(
        child.type
        in (
            "contract_declaration",
            "interface_declaration",
            "library_declaration",
            "pragma_directive",
        )
        for child in root.children
    )


def _has_member_functions(root: tree_sitter.Node) -> bool:
    """Top-level functions with a visibility: contract members pasted without their contract
    (free functions cannot have one)."""
    for child in root.children:
        if child.type == "function_definition" and any(
            c.type == "visibility" for c in child.children
        ):
            return True
    return False


def _error_bytes(root: tree_sitter.Node) -> int:
    if not root.has_error:
        return 0
    return sum(n.end_byte - n.start_byte + 1 for n in _error_nodes(root))


@lru_cache(maxsize=1)
def _error_query() -> tree_sitter.Query:
    return tree_sitter.Query(language(), "(ERROR) @error (MISSING) @missing")


def _error_nodes(root: tree_sitter.Node) -> list[tree_sitter.Node]:
    captures = tree_sitter.QueryCursor(_error_query()).captures(root)
    nodes = captures.get("error", []) + captures.get("missing", [])
    nodes.sort(key=lambda n: n.start_byte)
    return nodes


def _syntax_problems(
    root: tree_sitter.Node, data: bytes, prefix_len: int, repaired: set[int]
) -> list[SyntaxProblem]:
    problems: list[SyntaxProblem] = []
    last_end = -1
    for node in _error_nodes(root):
        if node.start_byte < last_end:
            continue  # nested inside an error we already reported
        if node.start_byte in repaired:
            continue  # legal syntax the grammar lacks, read by the converter (`x = +y`)
        last_end = node.end_byte
        line = node.start_point[0] + 1
        col = node.start_point[1] + 1 - (prefix_len if line == 1 else 0)
        if node.is_missing:
            message = f"missing `{node.type}`"
        else:
            snippet = data[node.start_byte : node.end_byte].decode("utf-8", "replace")
            snippet = " ".join(snippet.split())
            if len(snippet) > 40:
                snippet = snippet[:39] + "…"
            message = f"cannot parse `{snippet}`" if snippet else "unexpected end of input"
        problems.append(SyntaxProblem(line=line, col=max(col, 1), message=message))
        if len(problems) >= _MAX_PROBLEMS:
            break
    return problems


def _set_version(unit: SourceUnit) -> None:
    ranges = []
    for pragma in unit.pragmas:
        if pragma.name == "solidity":
            parsed = parse_version_constraint(pragma.value)
            if parsed is None:
                unit.warnings.append(
                    f"line {pragma.line}: cannot read the version pragma `{pragma.value}`"
                )
            else:
                ranges.append(parsed)
    unit.version = intersect(ranges) if ranges else range_from_hints(unit.syntax_hints)


def _mark_legacy_constructors(unit: SourceUnit) -> None:
    """Before 0.5 a function named like its contract is the constructor."""
    version = unit.version
    if version is not None and not version.allows_below((0, 5, 0)):
        return
    for contract in unit.contracts:
        for function in contract.functions:
            if function.kind == "function" and function.name == contract.name:
                function.kind = "constructor"
                function.legacy_constructor = True
