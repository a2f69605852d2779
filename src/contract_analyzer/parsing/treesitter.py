"""The tree-sitter Solidity parser, created once per process."""

from __future__ import annotations

import threading
import warnings
from functools import lru_cache

import tree_sitter
import tree_sitter_solidity

_local = threading.local()


@lru_cache(maxsize=1)
def language() -> tree_sitter.Language:
    """The Solidity grammar.

    ``tree_sitter_solidity.language()`` returns a raw pointer, and tree-sitter 0.26
    deprecates building a ``Language`` from an int. The package offers no other way
    yet, so this one call silences that one warning; everywhere else warnings are
    errors under test (see ``[tool.pytest.ini_options]``).
    """
    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore", message="int argument support is deprecated", category=DeprecationWarning
        )
        return tree_sitter.Language(tree_sitter_solidity.language())


def parser() -> tree_sitter.Parser:
    """A parser for the current thread (tree-sitter parsers are not thread-safe)."""
    existing: tree_sitter.Parser | None = getattr(_local, "parser", None)
    if existing is None:
        existing = tree_sitter.Parser(language())
        _local.parser = existing
    return existing


def parse(source: bytes) -> tree_sitter.Tree:
    """Parse Solidity source bytes into a concrete syntax tree (never raises on bad code)."""
    return parser().parse(source)
