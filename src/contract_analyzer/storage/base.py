"""The protocols of the storage layer and the values that cross them.

Three small protocols, each with an embedded implementation that really works and an
AWS one:

======================  ==============================  =============================
Protocol                embedded (default)              AWS
======================  ==============================  =============================
:class:`CacheStore`     SQLite ``cache.sqlite3``;       DynamoDB (pk ``key``, TTL
                        memory (tests)                  ``expires_at``) + S3 overflow
:class:`JobStore`       SQLite ``jobs.sqlite3``;        DynamoDB (pk ``job_id``)
                        memory (tests)
:class:`JobQueue`       SQLite ``jobs.sqlite3``;        SQS standard queue + DLQ
                        memory (tests)
======================  ==============================  =============================

Every implementation passes the same contract tests (``tests/storage``). Values are
plain data: bytes for the cache (the codec in :mod:`contract_analyzer.storage.codec`
turns reports into bytes), :class:`Job` records, and JSON message bodies on queues.
Nothing here imports boto3.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from typing import Any, Literal, Protocol, runtime_checkable

JobStatus = Literal["queued", "running", "succeeded", "failed"]
JOB_STATUSES: tuple[JobStatus, ...] = ("queued", "running", "succeeded", "failed")
TERMINAL: tuple[JobStatus, ...] = ("succeeded", "failed")
IDEMPOTENCY_WINDOW_SECONDS = 24 * 3600
"""An ``Idempotency-Key`` names the same job for this long (24 h)."""


class StorageError(Exception):
    """A store or queue could not do what was asked (unreachable, misconfigured...)."""


class ItemTooLargeError(StorageError):
    """A value is larger than the store can hold (and there is nowhere to overflow to)."""


class IdempotencyConflictError(StorageError):
    """An ``Idempotency-Key`` already names a job made from a different request."""

    def __init__(self, job_id: str) -> None:
        super().__init__(f"idempotency key already used for job {job_id}")
        self.job_id = job_id


# ---------------------------------------------------------------------- cache


@runtime_checkable
class CacheStore(Protocol):
    """A key-value store of bytes with an expiry time.

    ``get`` never returns an expired value (whatever the backend's own clean-up does).
    ``max_item_bytes`` is the largest value it holds (``None``: no limit of its own);
    ``inline`` says a call is cheap enough to make on an event loop (no network)."""

    name: str
    max_item_bytes: int | None
    inline: bool

    def get(self, key: str) -> bytes | None: ...

    def put(self, key: str, value: bytes, expires_at: float | None) -> None: ...

    def delete(self, key: str) -> None: ...

    def close(self) -> None: ...


@runtime_checkable
class BlobStore(Protocol):
    """Where values too large for their store go (S3): plain get/put/delete of bytes."""

    def get(self, key: str) -> bytes | None: ...

    def put(self, key: str, value: bytes) -> None: ...

    def delete(self, key: str) -> None: ...


# ---------------------------------------------------------------------- jobs


@dataclass
class Job:
    """One asynchronous analysis.

    ``request`` is the validated request body (as for ``/analyze`` or
    ``/analyze/batch``), ``kind`` says which. ``result`` is the full answer that route
    would have given (set when ``succeeded``); ``error`` is ``{"code", "message"}``
    (set when ``failed``). ``callback`` is ``None`` or ``{"url", "status", "attempts",
    "last_error", "delivered_at"}`` with ``status`` one of ``pending``, ``delivered``,
    ``failed``. ``owner`` is the authenticated caller that made the job (``None``
    without authentication): only they can read it. Times are seconds since the
    epoch."""

    job_id: str
    kind: str
    request: dict[str, Any]
    request_id: str
    status: JobStatus = "queued"
    created_at: float = field(default_factory=time.time)
    updated_at: float = 0.0
    started_at: float | None = None
    finished_at: float | None = None
    attempts: int = 0
    result: dict[str, Any] | None = None
    error: dict[str, Any] | None = None
    callback: dict[str, Any] | None = None
    expires_at: float | None = None
    owner: str | None = None

    def __post_init__(self) -> None:
        if not self.updated_at:
            self.updated_at = self.created_at

    @property
    def done(self) -> bool:
        return self.status in TERMINAL

    def copy(self, **changes: Any) -> Job:
        return replace(self, **changes)


@dataclass(frozen=True)
class Idempotency:
    """A client's ``Idempotency-Key`` as stored: ``key`` is a digest of the caller's
    scope and key, ``fingerprint`` a digest of the request it came with."""

    key: str
    fingerprint: str
    expires_at: float


@runtime_checkable
class JobStore(Protocol):
    """State of jobs. Every transition is conditional, so concurrent runners (a
    redelivered message, a restarted server) cannot finish a job twice."""

    def create(self, job: Job, idempotency: Idempotency | None = None) -> tuple[Job, bool]:
        """Store a new job, or return the job the idempotency key already names (and
        ``False``). Raises :class:`IdempotencyConflictError` if that job was made from
        another request, :class:`ItemTooLargeError` if the job cannot be stored."""
        ...

    def get(self, job_id: str) -> Job | None: ...

    def start(self, job_id: str) -> Job | None:
        """Mark a ``queued`` or ``running`` job ``running`` and count the attempt;
        ``None`` if the job is unknown or already finished."""
        ...

    def finish(
        self,
        job_id: str,
        *,
        status: JobStatus,
        result: dict[str, Any] | None = None,
        error: dict[str, Any] | None = None,
    ) -> bool:
        """Record the outcome unless the job is already finished (``False`` then).
        A pending callback is set to ``pending`` in the same write."""
        ...

    def requeue(self, job_id: str) -> bool:
        """Put a ``running`` job back to ``queued`` (its runner stopped)."""
        ...

    def set_callback(self, job_id: str, callback: dict[str, Any]) -> None: ...

    def close(self) -> None: ...


# ---------------------------------------------------------------------- queues


@dataclass(frozen=True)
class Delivery:
    """A message handed to a consumer. ``receipt`` identifies this delivery (to delete
    or release it); ``receive_count`` counts deliveries of the message, this one
    included."""

    message_id: str
    body: dict[str, Any]
    receipt: str
    receive_count: int


@runtime_checkable
class JobQueue(Protocol):
    """An at-least-once queue with visibility timeouts and a dead-letter queue: a
    message received ``max_receives`` times without being deleted goes to the
    dead-letter queue instead of a consumer (SQS's redrive policy)."""

    name: str
    max_receives: int

    def send(self, body: dict[str, Any], *, delay_seconds: float = 0) -> str: ...

    def receive(
        self,
        *,
        max_messages: int = 1,
        wait_seconds: float = 0,
        visibility_seconds: float | None = None,
    ) -> list[Delivery]: ...

    def delete(self, delivery: Delivery) -> None: ...

    def release(self, delivery: Delivery, *, delay_seconds: float = 0) -> None:
        """Make the message visible again after ``delay_seconds`` (a retry)."""
        ...

    def extend(self, delivery: Delivery, *, visibility_seconds: float) -> None:
        """Keep the message invisible for ``visibility_seconds`` more (a heartbeat)."""
        ...

    def dead_letters(self) -> list[dict[str, Any]]:
        """Bodies of the messages in the dead-letter queue (diagnostics, tests)."""
        ...

    def close(self) -> None: ...


def now() -> float:
    return time.time()
