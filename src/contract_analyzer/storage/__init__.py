"""Result cache, job store and job queue: small protocols with embedded and AWS backends.

::

    from contract_analyzer.config import get_settings
    from contract_analyzer.storage import open_job_backend, open_result_cache

    cache = open_result_cache(settings)            # None with CACHE_BACKEND=off
    store, queue = open_job_backend(settings)       # JOBS_BACKEND=local|aws

Modules: ``base`` (protocols, :class:`Job`), ``codec`` (values to bytes), ``cache``
(keys, :class:`ResultCache`, the AI answer cache adapter), ``memory``, ``sqlite``
(the embedded default, under ``CONTRACT_ANALYZER_DATA_DIR``) and ``aws`` (DynamoDB,
S3, SQS; boto3 imported on first use). Nothing is created or connected until used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from contract_analyzer.errors import ConfigError
from contract_analyzer.storage.base import (
    IDEMPOTENCY_WINDOW_SECONDS,
    BlobStore,
    CacheStore,
    Delivery,
    Idempotency,
    IdempotencyConflictError,
    ItemTooLargeError,
    Job,
    JobQueue,
    JobStore,
    StorageError,
)
from contract_analyzer.storage.cache import ResultCache, normalise_source, result_key

if TYPE_CHECKING:
    from contract_analyzer.config import Settings

__all__ = [
    "IDEMPOTENCY_WINDOW_SECONDS",
    "BlobStore",
    "CacheStore",
    "Delivery",
    "Idempotency",
    "IdempotencyConflictError",
    "ItemTooLargeError",
    "Job",
    "JobQueue",
    "JobStore",
    "ResultCache",
    "StorageError",
    "normalise_source",
    "open_job_backend",
    "open_result_cache",
    "result_key",
]

CACHE_FILE = "cache.sqlite3"
JOBS_FILE = "jobs.sqlite3"


def _blobs(settings: Settings, prefix: str) -> BlobStore | None:
    if not settings.cache_bucket:
        return None
    from contract_analyzer.storage.aws import S3BlobStore

    return S3BlobStore(settings.cache_bucket, prefix)


def open_result_cache(settings: Settings) -> ResultCache | None:
    """The result cache the settings describe (``None`` for ``CACHE_BACKEND=off``)."""
    backend = settings.cache_backend
    store: CacheStore
    if backend == "off":
        return None
    if backend == "memory":
        from contract_analyzer.storage.memory import MemoryCacheStore

        store = MemoryCacheStore()
    elif backend == "dynamodb":
        from contract_analyzer.storage.aws import DynamoDBCacheStore

        store = DynamoDBCacheStore(settings.cache_table)
    else:
        from contract_analyzer.storage.sqlite import SQLiteCacheStore

        store = SQLiteCacheStore(settings.data_dir / CACHE_FILE)
    blobs = _blobs(settings, "cache/") if store.max_item_bytes is not None else None
    return ResultCache(store, ttl_seconds=settings.cache_ttl_seconds, blobs=blobs)


def open_job_backend(settings: Settings) -> tuple[JobStore, JobQueue]:
    """The job store and queue the settings describe."""
    if settings.jobs_backend == "aws":
        if not settings.jobs_queue_url:
            raise ConfigError("JOBS_BACKEND=aws needs JOBS_QUEUE_URL (the SQS queue of jobs)")
        from contract_analyzer.storage.aws import DynamoDBJobStore, SQSQueue

        return (
            DynamoDBJobStore(settings.jobs_table, blobs=_blobs(settings, "jobs/")),
            SQSQueue(
                settings.jobs_queue_url,
                dlq_url=settings.jobs_dlq_url or None,
                max_receives=settings.jobs_max_receives,
            ),
        )
    from contract_analyzer.storage.sqlite import SQLiteJobStore, SQLiteQueue

    path = settings.data_dir / JOBS_FILE
    return (
        SQLiteJobStore(path),
        SQLiteQueue(
            path,
            max_receives=settings.jobs_max_receives,
            visibility_seconds=settings.jobs_visibility_seconds,
        ),
    )
