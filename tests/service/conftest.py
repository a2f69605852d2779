"""Fixtures of the service tests: one app (and its worker pool) per test module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from service_helpers import HOOKED_HANDLER

from contract_analyzer.config import Settings
from contract_analyzer.service.app import create_app
from contract_analyzer.service.pool import AnalysisPool


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    """A test client of an app whose workers honour the test hooks (timeout 3 s)."""
    settings = Settings(analysis_timeout_seconds=3, max_body_bytes=64 * 1024)
    app = create_app(settings, pool=AnalysisPool(2, handler=HOOKED_HANDLER))
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client
