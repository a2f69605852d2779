"""The FastAPI application: one factory, the same app under uvicorn and on Lambda.

::

    from contract_analyzer.config import Settings
    from contract_analyzer.service.app import create_app
    app = create_app(Settings())

Importing this module imports FastAPI and the service's own modules only: not the
engine (the analysis runs in worker processes), not an AI SDK, not boto3.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.middleware.cors import CORSMiddleware

from contract_analyzer.auth.middleware import EXPOSED_HEADERS, install_auth
from contract_analyzer.config import Settings, get_settings
from contract_analyzer.service.errors import install_error_handlers
from contract_analyzer.service.middleware import GuardMiddleware, RequestIdMiddleware
from contract_analyzer.service.pool import AnalysisPool
from contract_analyzer.service.routes import router
from contract_analyzer.service.wiring import install_storage, start_storage, stop_storage
from contract_analyzer.version import __version__

DESCRIPTION = """\
Compiler-free static security analysis of Solidity smart contracts.

Post source to `/analyze` (or several files to `/analyze/batch`) and get every finding
with its line, severity, SWC id, explanation and fix, plus a 0-100 security score.
Every response carries an `X-Request-ID` header (yours is echoed); every error has the
body `{"error": {"code", "message", "request_id"}}`.
"""


def create_app(settings: Settings | None = None, *, pool: AnalysisPool | None = None) -> FastAPI:
    """The API application. ``pool`` replaces the analysis worker pool (tests use it to
    run a slow or failing job handler)."""
    settings = settings or get_settings()
    pool = pool or AnalysisPool(settings.analysis_worker_count())
    logging.getLogger("contract_analyzer").setLevel(settings.log_level.upper())

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await pool.start()
        try:
            await start_storage(app)  # job runners (JOBS_BACKEND=local)
            yield
        finally:
            await stop_storage(app)
            pool.close()

    app = FastAPI(
        title="Smart Contract Analyzer API",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.pool = pool
    app.include_router(router)
    install_storage(app, settings, pool)  # result cache, /jobs
    install_error_handlers(app)
    # add_middleware puts each new one outside the previous ones. Authentication is
    # innermost, around every route (those added later included).
    install_auth(app, settings)
    app.add_middleware(GuardMiddleware, max_body_bytes=settings.max_body_bytes)
    if settings.cors_allow_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_allow_origins,
            allow_methods=["GET", "POST", "OPTIONS"],
            allow_headers=[
                "Content-Type",
                "X-Request-ID",
                "Authorization",
                "X-API-Key",
                "Idempotency-Key",
            ],
            expose_headers=["X-Request-ID", *EXPOSED_HEADERS, "Location", "Idempotent-Replayed"],
            max_age=600,
        )
    app.add_middleware(RequestIdMiddleware)
    return app


def create_app_from_env() -> FastAPI:
    """Factory for ``uvicorn --factory`` (``contract-analyzer serve`` uses it)."""
    return create_app(get_settings())
