"""Puts the result cache and the jobs into an app (called by ``create_app``).

``app.state.cache`` (a :class:`~contract_analyzer.storage.cache.ResultCache`, or
``None``), ``app.state.analysis`` (the :class:`~contract_analyzer.service.analysis.
AnalysisService` the analysis routes use) and ``app.state.jobs`` (the
:class:`~contract_analyzer.service.jobs.JobService` of ``/jobs``). Nothing is opened
here: stores connect on first use, and the job runners start with the app's lifespan.
"""

from __future__ import annotations

import logging
import os

from fastapi import FastAPI

from contract_analyzer.config import Settings
from contract_analyzer.service.analysis import AnalysisService
from contract_analyzer.service.jobs import JobService
from contract_analyzer.service.jobs_routes import router as jobs_router
from contract_analyzer.service.pool import AnalysisPool
from contract_analyzer.storage import open_job_backend, open_result_cache

log = logging.getLogger("contract_analyzer.service")


def job_runner_count(settings: Settings, analysis_workers: int) -> int:
    """Jobs one process runs at once: ``JOBS_CONCURRENCY``, or half the analysis
    workers (at least one) so that ``/analyze`` requests keep workers free."""
    return settings.jobs_concurrency or max(1, analysis_workers // 2)


def install_storage(app: FastAPI, settings: Settings, pool: AnalysisPool) -> None:
    """Attach the cache, the analysis service and the job service, and add ``/jobs``."""
    cache = open_result_cache(settings)
    analysis = AnalysisService(settings, pool, cache)
    store, queue = open_job_backend(settings)
    runners = job_runner_count(settings, pool.size) if settings.jobs_backend == "local" else 0
    if runners and os.environ.get("AWS_LAMBDA_FUNCTION_NAME"):
        log.warning(
            "JOBS_BACKEND=local on AWS Lambda: jobs are stored in /tmp and nothing runs "
            "them; set JOBS_BACKEND=aws"
        )
    app.state.cache = cache
    app.state.analysis = analysis
    app.state.jobs = JobService(settings, store, queue, analysis, runners=runners)
    app.include_router(jobs_router)


async def start_storage(app: FastAPI) -> None:
    """Lifespan start: recover the local job queue and start the job runners."""
    await app.state.jobs.start()


async def stop_storage(app: FastAPI) -> None:
    """Lifespan end: stop the job runners (running jobs get a few seconds, then go back
    to the queue) and close the stores."""
    jobs: JobService = app.state.jobs
    await jobs.close()
    for closable in (jobs.store, jobs.queue, app.state.cache):
        if closable is not None:
            try:
                closable.close()
            except Exception as exc:  # closing must not fail a shutdown
                log.warning("closing %s failed (%s)", type(closable).__name__, exc)
