"""Backends of the storage contract tests: every cache store, job store and queue, the
AWS ones through boto3 against moto in server mode on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from contract_analyzer.storage.aws import (
    DynamoDBCacheStore,
    DynamoDBJobStore,
    SQSQueue,
    create_cache_table,
    create_jobs_table,
    create_queue_with_dlq,
)
from contract_analyzer.storage.memory import MemoryCacheStore, MemoryJobStore, MemoryQueue
from contract_analyzer.storage.sqlite import SQLiteCacheStore, SQLiteJobStore, SQLiteQueue
from moto_helpers import make_bucket, moto_server, point_at, unique

MAX_RECEIVES = 3  # the redrive count of the SAM template


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    with moto_server() as endpoint:
        yield endpoint


@pytest.fixture(autouse=True)
def _aws_env(monkeypatch: pytest.MonkeyPatch, moto_endpoint: str) -> None:
    point_at(monkeypatch, moto_endpoint)


@pytest.fixture(params=["memory", "sqlite", "dynamodb"])
def cache_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    store: Any
    if request.param == "memory":
        store = MemoryCacheStore()
    elif request.param == "sqlite":
        store = SQLiteCacheStore(tmp_path / "cache.sqlite3")
    else:
        table = unique("cache")
        create_cache_table(table)
        store = DynamoDBCacheStore(table)
    yield store
    store.close()


@pytest.fixture(params=["memory", "sqlite", "dynamodb"])
def job_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    store: Any
    if request.param == "memory":
        store = MemoryJobStore()
    elif request.param == "sqlite":
        store = SQLiteJobStore(tmp_path / "jobs.sqlite3")
    else:
        table = unique("jobs")
        create_jobs_table(table)
        store = DynamoDBJobStore(table, blobs=make_bucket())
    yield store
    store.close()


@pytest.fixture(params=["memory", "sqlite", "sqs"])
def job_queue(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    queue: Any
    if request.param == "memory":
        queue = MemoryQueue(max_receives=MAX_RECEIVES)
    elif request.param == "sqlite":
        queue = SQLiteQueue(tmp_path / "jobs.sqlite3", max_receives=MAX_RECEIVES, poll_seconds=0.05)
    else:
        url, dlq = create_queue_with_dlq(unique("jobs"), max_receives=MAX_RECEIVES)
        queue = SQSQueue(url, dlq_url=dlq, max_receives=MAX_RECEIVES)
    yield queue
    queue.close()
