"""Shared constants of the serverless tests (a module of its own: several test folders
have a conftest.py, so ``from conftest import`` would be ambiguous)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
"""The repository root."""
