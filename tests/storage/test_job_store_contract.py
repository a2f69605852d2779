"""One contract for every job store (memory, SQLite, DynamoDB on moto)."""

from __future__ import annotations

import threading
import time
import uuid
from pathlib import Path
from typing import Any

import pytest

from contract_analyzer.storage.aws import DynamoDBJobStore, create_jobs_table
from contract_analyzer.storage.base import (
    Idempotency,
    IdempotencyConflictError,
    ItemTooLargeError,
    Job,
    JobStore,
)
from contract_analyzer.storage.memory import MemoryJobStore
from contract_analyzer.storage.sqlite import SQLiteJobStore
from moto_helpers import unique

REQUEST = {"contract_code": "contract A {}", "contract_name": None, "analysis_type": "security"}


def _job(**changes: Any) -> Job:
    values: dict[str, Any] = {
        "job_id": str(uuid.uuid4()),
        "kind": "analyze",
        "request": dict(REQUEST),
        "request_id": "req-1",
        "expires_at": time.time() + 3600,
    }
    values.update(changes)
    return Job(**values)


def _key(name: str, fingerprint: str = "f1", ttl: float = 3600) -> Idempotency:
    return Idempotency(key=name, fingerprint=fingerprint, expires_at=time.time() + ttl)


def test_is_a_job_store(job_store: Any) -> None:
    assert isinstance(job_store, JobStore)


def test_create_and_get(job_store: Any) -> None:
    callback = {"url": "https://x.example/hook", "status": None, "attempts": 0}
    job = _job(callback=callback, owner="key:abc")
    stored, created = job_store.create(job)
    assert created and stored.job_id == job.job_id
    found = job_store.get(job.job_id)
    assert found is not None
    assert (found.status, found.kind, found.request, found.request_id) == (
        "queued",
        "analyze",
        REQUEST,
        "req-1",
    )
    assert found.attempts == 0 and found.result is None and found.error is None
    assert found.callback == callback and found.owner == "key:abc"
    assert abs(found.created_at - job.created_at) < 0.01
    assert job_store.get(str(uuid.uuid4())) is None


def test_the_same_id_twice_is_refused(job_store: Any) -> None:
    job = _job()
    job_store.create(job)
    with pytest.raises(ValueError, match="exists"):
        job_store.create(job)


def test_start_counts_attempts_until_finished(job_store: Any) -> None:
    job = _job()
    job_store.create(job)
    first = job_store.start(job.job_id)
    assert first is not None and first.status == "running" and first.attempts == 1
    assert first.started_at is not None and first.request == REQUEST
    again = job_store.start(job.job_id)  # a redelivery after a crash
    assert again is not None and again.attempts == 2
    assert job_store.finish(job.job_id, status="succeeded", result={"ok": True})
    assert job_store.start(job.job_id) is None
    assert job_store.start(str(uuid.uuid4())) is None


def test_finish_writes_once(job_store: Any) -> None:
    job = _job()
    job_store.create(job)
    job_store.start(job.job_id)
    result = {"request_id": "req-1", "analysis_report": {"vulnerabilities": []}}
    assert job_store.finish(job.job_id, status="succeeded", result=result)
    assert not job_store.finish(job.job_id, status="succeeded", result={"other": 1})
    assert not job_store.finish(job.job_id, status="failed", error={"code": "x", "message": "late"})
    found = job_store.get(job.job_id)
    assert found is not None
    assert found.status == "succeeded" and found.result == result and found.error is None
    assert found.finished_at is not None and found.finished_at >= found.created_at
    assert not job_store.finish(str(uuid.uuid4()), status="failed", error={"code": "x"})


def test_failure_is_recorded(job_store: Any) -> None:
    job = _job()
    job_store.create(job)
    error = {"code": "analysis_timeout", "message": "Too slow."}
    assert job_store.finish(job.job_id, status="failed", error=error)
    found = job_store.get(job.job_id)
    assert found is not None and found.status == "failed" and found.error == error


@pytest.mark.parametrize("backend", ["memory", "sqlite"])
def test_concurrent_finishers_one_wins(backend: str, tmp_path: Path) -> None:
    """Our own stores' atomicity under threads. (DynamoDB's conditional writes are
    atomic by AWS's contract; moto does not serialise concurrent requests, so the
    DynamoDB store is held to the sequential version, test_finish_writes_once.)"""
    job_store: Any = MemoryJobStore() if backend == "memory" else SQLiteJobStore(tmp_path / "j.db")
    job = _job()
    job_store.create(job)
    job_store.start(job.job_id)
    wins: list[int] = []
    lock = threading.Lock()

    def finish(n: int) -> None:
        if job_store.finish(job.job_id, status="succeeded", result={"runner": n}):
            with lock:
                wins.append(n)

    threads = [threading.Thread(target=finish, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(wins) == 1
    found = job_store.get(job.job_id)
    assert found is not None and found.result == {"runner": wins[0]}


def test_requeue_only_a_running_job(job_store: Any) -> None:
    job = _job()
    job_store.create(job)
    assert not job_store.requeue(job.job_id)
    job_store.start(job.job_id)
    assert job_store.requeue(job.job_id)
    found = job_store.get(job.job_id)
    assert found is not None and found.status == "queued" and found.attempts == 1


def test_finishing_sets_a_callback_pending(job_store: Any) -> None:
    job = _job(callback={"url": "https://x.example/h", "status": None, "attempts": 0})
    job_store.create(job)
    job_store.finish(job.job_id, status="succeeded", result={"a": 1})
    found = job_store.get(job.job_id)
    assert found is not None and found.callback is not None
    assert found.callback["status"] == "pending"
    state = {**found.callback, "status": "delivered", "attempts": 1, "delivered_at": 12.5}
    job_store.set_callback(job.job_id, state)
    found = job_store.get(job.job_id)
    assert found is not None and found.callback == state
    plain = _job()
    job_store.create(plain)
    job_store.finish(plain.job_id, status="succeeded", result={})
    found = job_store.get(plain.job_id)
    assert found is not None and found.callback is None


def test_idempotency_key_returns_the_same_job(job_store: Any) -> None:
    first = _job()
    _, created = job_store.create(first, _key("k1"))
    assert created
    replay, created = job_store.create(_job(), _key("k1"))
    assert not created and replay.job_id == first.job_id
    other, created = job_store.create(_job(), _key("k2"))
    assert created and other.job_id != first.job_id
    with pytest.raises(IdempotencyConflictError) as info:
        job_store.create(_job(), _key("k1", fingerprint="another request"))
    assert info.value.job_id == first.job_id


def test_an_expired_idempotency_key_makes_a_new_job(job_store: Any) -> None:
    first = _job()
    job_store.create(first, _key("old", ttl=-1))
    second = _job()
    stored, created = job_store.create(second, _key("old"))
    assert created and stored.job_id == second.job_id


def test_expired_jobs_are_gone(job_store: Any) -> None:
    job = _job(expires_at=time.time() - 1)
    job_store.create(job)
    assert job_store.get(job.job_id) is None
    assert job_store.start(job.job_id) is None


def test_large_batch_requests_and_results(job_store: Any) -> None:
    files = {f"contracts/C{i}.sol": f"contract C{i} {{ uint x = {i}; }}\n" * 400 for i in range(40)}
    job = _job(kind="batch", request={"files": files, "analysis_type": "full"})
    job_store.create(job)
    result = {"analysis_report": {"files": [{"name": n, "text": t} for n, t in files.items()]}}
    assert job_store.finish(job.job_id, status="succeeded", result=result)
    found = job_store.get(job.job_id)
    assert found is not None and found.request["files"] == files and found.result == result


def test_dynamodb_refuses_what_does_not_fit_without_a_bucket() -> None:
    import base64
    import os

    table = unique("jobs")
    create_jobs_table(table)
    store = DynamoDBJobStore(table)  # no overflow bucket
    noise = base64.b64encode(os.urandom(500_000)).decode()
    with pytest.raises(ItemTooLargeError):
        store.create(_job(request={"contract_code": noise}))
    small = _job()
    store.create(small)
    assert store.start(small.job_id) is not None
    with pytest.raises(ItemTooLargeError):
        store.finish(small.job_id, status="succeeded", result={"noise": noise})
    assert store.finish(small.job_id, status="failed", error={"code": "result_too_large"})
