"""Tiny text checks shared by the engine and the API models (no heavy imports here: the
Lambda handler imports this module)."""

from __future__ import annotations


def is_blank(text: str) -> bool:
    """Only whitespace: Python's, plus the byte-order mark that JSON Schema's ``\\s`` has."""
    return not text.replace("\ufeff", "").strip()
