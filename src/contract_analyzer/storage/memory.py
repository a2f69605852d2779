"""In-process stores and queue (``CACHE_BACKEND=memory``; tests). Thread-safe, with the
same semantics as the SQLite and AWS ones: they pass the same contract tests."""

from __future__ import annotations

import copy
import threading
import time
import uuid
from dataclasses import dataclass
from typing import Any

from contract_analyzer.storage.base import (
    TERMINAL,
    Delivery,
    IdempotencyConflictError,
    Job,
    JobStatus,
)
from contract_analyzer.storage.base import Idempotency as IdempotencyRecord


class MemoryCacheStore:
    """A dict with expiry times."""

    name = "memory"
    max_item_bytes: int | None = None
    inline = True

    def __init__(self) -> None:
        self._data: dict[str, tuple[bytes, float | None]] = {}
        self._lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        with self._lock:
            found = self._data.get(key)
            if found is None:
                return None
            value, expires_at = found
            if expires_at is not None and expires_at <= time.time():
                del self._data[key]
                return None
            return value

    def put(self, key: str, value: bytes, expires_at: float | None) -> None:
        with self._lock:
            self._data[key] = (bytes(value), expires_at)

    def delete(self, key: str) -> None:
        with self._lock:
            self._data.pop(key, None)

    def close(self) -> None:
        pass

    def __len__(self) -> int:
        with self._lock:
            return len(self._data)


class MemoryBlobStore:
    """An in-process :class:`~contract_analyzer.storage.base.BlobStore` (tests)."""

    def __init__(self) -> None:
        self.blobs: dict[str, bytes] = {}
        self._lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        with self._lock:
            return self.blobs.get(key)

    def put(self, key: str, value: bytes) -> None:
        with self._lock:
            self.blobs[key] = bytes(value)

    def delete(self, key: str) -> None:
        with self._lock:
            self.blobs.pop(key, None)


class MemoryJobStore:
    """Jobs in a dict; every transition under one lock."""

    name = "memory"

    def __init__(self) -> None:
        self._jobs: dict[str, Job] = {}
        self._keys: dict[str, tuple[str, str, float]] = {}
        self._lock = threading.Lock()

    def _live(self, job_id: str) -> Job | None:
        job = self._jobs.get(job_id)
        if job is not None and job.expires_at is not None and job.expires_at <= time.time():
            del self._jobs[job_id]
            return None
        return job

    def create(self, job: Job, idempotency: IdempotencyRecord | None = None) -> tuple[Job, bool]:
        with self._lock:
            if idempotency is not None:
                known = self._keys.get(idempotency.key)
                if known is not None and known[2] > time.time():
                    existing = self._live(known[0])
                    if existing is not None:
                        if known[1] != idempotency.fingerprint:
                            raise IdempotencyConflictError(existing.job_id)
                        return copy.deepcopy(existing), False
                self._keys[idempotency.key] = (
                    job.job_id,
                    idempotency.fingerprint,
                    idempotency.expires_at,
                )
            if job.job_id in self._jobs:
                raise ValueError(f"job {job.job_id} exists")
            self._jobs[job.job_id] = copy.deepcopy(job)
            return copy.deepcopy(job), True

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            job = self._live(job_id)
            return copy.deepcopy(job) if job is not None else None

    def start(self, job_id: str) -> Job | None:
        with self._lock:
            job = self._live(job_id)
            if job is None or job.status in TERMINAL:
                return None
            stamp = time.time()
            job.status = "running"
            job.attempts += 1
            job.started_at = stamp
            job.updated_at = stamp
            return copy.deepcopy(job)

    def finish(
        self,
        job_id: str,
        *,
        status: JobStatus,
        result: dict[str, Any] | None = None,
        error: dict[str, Any] | None = None,
    ) -> bool:
        if status not in TERMINAL:
            raise ValueError(f"not a final status: {status}")
        with self._lock:
            job = self._live(job_id)
            if job is None or job.status in TERMINAL:
                return False
            stamp = time.time()
            job.status = status
            job.result = copy.deepcopy(result)
            job.error = copy.deepcopy(error)
            job.finished_at = stamp
            job.updated_at = stamp
            if job.callback is not None:
                job.callback = {**job.callback, "status": "pending"}
            return True

    def requeue(self, job_id: str) -> bool:
        with self._lock:
            job = self._live(job_id)
            if job is None or job.status != "running":
                return False
            job.status = "queued"
            job.updated_at = time.time()
            return True

    def set_callback(self, job_id: str, callback: dict[str, Any]) -> None:
        with self._lock:
            job = self._live(job_id)
            if job is not None:
                job.callback = copy.deepcopy(callback)

    def close(self) -> None:
        pass


@dataclass
class _Message:
    message_id: str
    body: dict[str, Any]
    visible_at: float
    receive_count: int = 0
    receipt: str = ""


class MemoryQueue:
    """A queue with visibility timeouts, delays and a dead-letter list."""

    name = "memory"

    def __init__(self, *, max_receives: int = 3, visibility_seconds: float = 30.0) -> None:
        self.max_receives = max_receives
        self.visibility_seconds = visibility_seconds
        self._messages: dict[str, _Message] = {}
        self._dead: list[dict[str, Any]] = []
        self._changed = threading.Condition()

    def send(self, body: dict[str, Any], *, delay_seconds: float = 0) -> str:
        message_id = str(uuid.uuid4())
        with self._changed:
            self._messages[message_id] = _Message(
                message_id, copy.deepcopy(body), time.time() + max(0.0, delay_seconds)
            )
            self._changed.notify_all()
        return message_id

    def receive(
        self,
        *,
        max_messages: int = 1,
        wait_seconds: float = 0,
        visibility_seconds: float | None = None,
    ) -> list[Delivery]:
        visibility = self.visibility_seconds if visibility_seconds is None else visibility_seconds
        deadline = time.time() + max(0.0, wait_seconds)
        with self._changed:
            while True:
                stamp = time.time()
                got: list[Delivery] = []
                ready = sorted(
                    (m for m in self._messages.values() if m.visible_at <= stamp),
                    key=lambda m: m.visible_at,
                )
                for message in ready:
                    if len(got) >= max_messages:
                        break
                    if message.receive_count >= self.max_receives:
                        del self._messages[message.message_id]
                        self._dead.append(message.body)
                        continue
                    message.receive_count += 1
                    message.receipt = str(uuid.uuid4())
                    message.visible_at = stamp + visibility
                    got.append(
                        Delivery(
                            message.message_id,
                            copy.deepcopy(message.body),
                            message.receipt,
                            message.receive_count,
                        )
                    )
                if got or stamp >= deadline:
                    return got
                pending = [m.visible_at for m in self._messages.values()]
                wake = min([deadline, *pending])
                self._changed.wait(max(0.001, min(wake - stamp, 0.5)))

    def _own(self, delivery: Delivery) -> _Message | None:
        message = self._messages.get(delivery.message_id)
        if message is None or message.receipt != delivery.receipt:
            return None
        return message

    def delete(self, delivery: Delivery) -> None:
        with self._changed:
            if self._own(delivery) is not None:
                del self._messages[delivery.message_id]

    def release(self, delivery: Delivery, *, delay_seconds: float = 0) -> None:
        with self._changed:
            message = self._own(delivery)
            if message is not None:
                message.visible_at = time.time() + max(0.0, delay_seconds)
                self._changed.notify_all()

    def extend(self, delivery: Delivery, *, visibility_seconds: float) -> None:
        with self._changed:
            message = self._own(delivery)
            if message is not None:
                message.visible_at = time.time() + visibility_seconds

    def dead_letters(self) -> list[dict[str, Any]]:
        with self._changed:
            return copy.deepcopy(self._dead)

    def close(self) -> None:
        pass
