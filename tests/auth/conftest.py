"""Fixtures of the auth tests: apps in each auth mode (no analysis workers started:
the lifespan does not run, and the requests here never reach the analysis)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from auth_helpers import HS_SECRET
from fastapi import FastAPI
from fastapi.testclient import TestClient

from contract_analyzer.config import Settings
from contract_analyzer.service.app import create_app
from contract_analyzer.service.pool import AnalysisPool


@pytest.fixture
def make_app(tmp_path: Path) -> Iterator[Callable[..., tuple[FastAPI, TestClient]]]:
    """``make_app(auth_mode=..., **settings)``: an app with its data under tmp_path and a
    client that does not run the lifespan (so no worker process is started)."""
    pools: list[AnalysisPool] = []

    def factory(**overrides: Any) -> tuple[FastAPI, TestClient]:
        values: dict[str, Any] = {"data_dir": tmp_path, "analysis_workers": 1}
        if overrides.get("auth_mode") in ("jwt", "api_key_or_jwt") and not overrides.get(
            "jwt_jwks_url"
        ):
            values["jwt_hs256_secret"] = HS_SECRET
        values.update(overrides)
        pool = AnalysisPool(1)
        pools.append(pool)
        app = create_app(Settings(**values), pool=pool)
        return app, TestClient(app, raise_server_exceptions=False)

    yield factory
    for pool in pools:
        pool.close()
