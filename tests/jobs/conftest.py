"""Fixtures of the cache and jobs tests: a moto server on loopback (for the AWS
backends), and apps with their local state in a temporary folder."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from moto_helpers import moto_server, point_at

# The service tests' helpers (hooked job handler, error-shape checks, serve on loopback).
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "service"))


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    with moto_server() as endpoint:
        yield endpoint


@pytest.fixture
def aws_env(monkeypatch: pytest.MonkeyPatch, moto_endpoint: str) -> str:
    """Point boto3 at the moto server for this test."""
    point_at(monkeypatch, moto_endpoint)
    return moto_endpoint
