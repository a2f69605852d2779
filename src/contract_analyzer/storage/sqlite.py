"""The embedded stores: SQLite files under the data directory.

* ``cache.sqlite3``: :class:`SQLiteCacheStore` (the default result cache);
* ``jobs.sqlite3``: :class:`SQLiteJobStore` (job state and idempotency keys) and
  :class:`SQLiteQueue` (the local job queue), in two tables of one file.

Safe with several threads and several processes (``serve --workers N``, a
``contract-analyzer worker`` beside ``serve``): WAL journal (readers never wait for
the writer), one connection per thread, ``busy_timeout`` so writers queue instead of
failing, and every read-modify-write in a ``BEGIN IMMEDIATE`` transaction. Nothing
is created until something is stored or looked up.

The queue has the semantics of SQS: a received message stays invisible for its
visibility timeout, comes back if it is not deleted, and goes to the dead-letter state
on the receive after its ``max_receives``-th. Each received message records the
process that holds it (host, pid and the pid's start time), so a restarted server
can take back at once the messages a dead process held instead of waiting for their
visibility to run out (:meth:`SQLiteQueue.recover`).
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from contract_analyzer.storage import codec
from contract_analyzer.storage.base import (
    TERMINAL,
    Delivery,
    Idempotency,
    IdempotencyConflictError,
    Job,
    JobStatus,
)

BUSY_TIMEOUT_MS = 15_000
_PURGE_EVERY = 500
_WRITE_LOCKS: dict[str, threading.Lock] = {}
_WRITE_LOCKS_GUARD = threading.Lock()


def _write_lock(path: Path) -> threading.Lock:
    """One lock per database file and process: this process's threads take turns to
    write, instead of meeting in SQLite's busy handler (which sleeps milliseconds)."""
    key = str(path.resolve())
    with _WRITE_LOCKS_GUARD:
        return _WRITE_LOCKS.setdefault(key, threading.Lock())


class SQLiteDatabase:
    """One SQLite file: a connection per thread (and per process, after a fork),
    created on first use with WAL on and the schema in place."""

    def __init__(self, path: Path | str, schema: str) -> None:
        self.path = Path(path)
        self.schema = schema
        self.write_lock = _write_lock(self.path)
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()

    def connection(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is not None and getattr(self._local, "pid", None) == os.getpid():
            return conn
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(
            self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
        )
        conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        self._set_wal(conn)
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.executescript(self.schema)
        self._local.conn = conn
        self._local.pid = os.getpid()
        with self._lock:
            self._all.append(conn)
        return conn

    @staticmethod
    def _set_wal(conn: sqlite3.Connection) -> None:
        # Switching to WAL needs a moment alone with the file; another process may be
        # doing the same at the same time.
        for _ in range(50):
            try:
                conn.execute("PRAGMA journal_mode=WAL")
                return
            except sqlite3.OperationalError:
                time.sleep(0.05)
        conn.execute("PRAGMA journal_mode=WAL")

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """``BEGIN IMMEDIATE`` ... ``COMMIT`` (``ROLLBACK`` on an exception)."""
        conn = self.connection()
        with self.write_lock:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def write(self, sql: str, parameters: tuple[Any, ...] = ()) -> sqlite3.Cursor:
        """One writing statement (its own transaction)."""
        conn = self.connection()
        with self.write_lock:
            return conn.execute(sql, parameters)

    def close(self) -> None:
        """Close every connection; the next use opens new ones."""
        with self._lock:
            connections, self._all = self._all, []
        for conn in connections:
            with contextlib.suppress(sqlite3.Error):
                conn.close()
        self._local = threading.local()


# ---------------------------------------------------------------------- cache

_CACHE_SCHEMA = """
CREATE TABLE IF NOT EXISTS cache (
    key TEXT PRIMARY KEY,
    value BLOB NOT NULL,
    expires_at REAL,
    created_at REAL NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS cache_expiry ON cache (expires_at);
"""


class SQLiteCacheStore:
    """The default result cache: one table, expired rows ignored on read and purged
    now and then on write."""

    name = "sqlite"
    max_item_bytes: int | None = None
    inline = True

    def __init__(self, path: Path | str) -> None:
        self.db = SQLiteDatabase(path, _CACHE_SCHEMA)
        self._writes = 0

    def get(self, key: str) -> bytes | None:
        row = (
            self.db.connection()
            .execute("SELECT value, expires_at FROM cache WHERE key = ?", (key,))
            .fetchone()
        )
        if row is None or (row[1] is not None and row[1] <= time.time()):
            return None
        return bytes(row[0])

    def put(self, key: str, value: bytes, expires_at: float | None) -> None:
        stamp = time.time()
        self.db.write(
            "INSERT OR REPLACE INTO cache (key, value, expires_at, created_at) VALUES (?, ?, ?, ?)",
            (key, value, expires_at, stamp),
        )
        self._writes += 1
        if self._writes % _PURGE_EVERY == 1:
            self.db.write("DELETE FROM cache WHERE expires_at <= ?", (stamp,))

    def delete(self, key: str) -> None:
        self.db.write("DELETE FROM cache WHERE key = ?", (key,))

    def close(self) -> None:
        self.db.close()


# ---------------------------------------------------------------------- jobs

_JOBS_SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    job_id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    request BLOB NOT NULL,
    request_id TEXT NOT NULL,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL,
    started_at REAL,
    finished_at REAL,
    attempts INTEGER NOT NULL DEFAULT 0,
    result BLOB,
    error TEXT,
    callback TEXT,
    expires_at REAL,
    owner TEXT
);
CREATE TABLE IF NOT EXISTS idempotency (
    key TEXT PRIMARY KEY,
    job_id TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    expires_at REAL NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS queue (
    message_id TEXT PRIMARY KEY,
    body TEXT NOT NULL,
    sent_at REAL NOT NULL,
    visible_at REAL NOT NULL,
    receive_count INTEGER NOT NULL DEFAULT 0,
    receipt TEXT,
    owner TEXT,
    dead INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS queue_ready ON queue (dead, visible_at);
"""

_JOB_COLUMNS = (
    "job_id, kind, status, request, request_id, created_at, updated_at, started_at, "
    "finished_at, attempts, result, error, callback, expires_at, owner"
)


def _json_or_none(value: Any) -> str | None:
    return None if value is None else json.dumps(value, separators=(",", ":"))


def _row_to_job(row: tuple[Any, ...]) -> Job:
    (
        job_id,
        kind,
        status,
        request,
        request_id,
        created_at,
        updated_at,
        started_at,
        finished_at,
        attempts,
        result,
        error,
        callback,
        expires_at,
        owner,
    ) = row
    return Job(
        job_id=job_id,
        kind=kind,
        status=status,
        request=codec.decode(bytes(request)),
        request_id=request_id,
        created_at=created_at,
        updated_at=updated_at,
        started_at=started_at,
        finished_at=finished_at,
        attempts=attempts,
        result=codec.decode(bytes(result)) if result is not None else None,
        error=json.loads(error) if error else None,
        callback=json.loads(callback) if callback else None,
        expires_at=expires_at,
        owner=owner,
    )


class SQLiteJobStore:
    """Job state in ``jobs.sqlite3`` (table ``jobs``, idempotency keys in
    ``idempotency``)."""

    name = "sqlite"

    def __init__(self, path: Path | str) -> None:
        self.db = SQLiteDatabase(path, _JOBS_SCHEMA)
        self._creates = 0

    def _select(self, conn: sqlite3.Connection, job_id: str) -> Job | None:
        row = conn.execute(
            f"SELECT {_JOB_COLUMNS} FROM jobs WHERE job_id = ?", (job_id,)
        ).fetchone()
        if row is None:
            return None
        job = _row_to_job(row)
        if job.expires_at is not None and job.expires_at <= time.time():
            return None
        return job

    def create(self, job: Job, idempotency: Idempotency | None = None) -> tuple[Job, bool]:
        request = codec.encode(job.request)
        result = codec.encode(job.result) if job.result is not None else None
        with self.db.transaction() as conn:
            stamp = time.time()
            if idempotency is not None:
                row = conn.execute(
                    "SELECT job_id, fingerprint, expires_at FROM idempotency WHERE key = ?",
                    (idempotency.key,),
                ).fetchone()
                if row is not None and row[2] > stamp:
                    existing = self._select(conn, row[0])
                    if existing is not None:
                        if row[1] != idempotency.fingerprint:
                            raise IdempotencyConflictError(existing.job_id)
                        return existing, False
                conn.execute(
                    "INSERT OR REPLACE INTO idempotency (key, job_id, fingerprint, expires_at) "
                    "VALUES (?, ?, ?, ?)",
                    (idempotency.key, job.job_id, idempotency.fingerprint, idempotency.expires_at),
                )
            if conn.execute("SELECT 1 FROM jobs WHERE job_id = ?", (job.job_id,)).fetchone():
                raise ValueError(f"job {job.job_id} exists")
            conn.execute(
                f"INSERT INTO jobs ({_JOB_COLUMNS}) VALUES ({', '.join('?' * 15)})",
                (
                    job.job_id,
                    job.kind,
                    job.status,
                    request,
                    job.request_id,
                    job.created_at,
                    job.updated_at,
                    job.started_at,
                    job.finished_at,
                    job.attempts,
                    result,
                    _json_or_none(job.error),
                    _json_or_none(job.callback),
                    job.expires_at,
                    job.owner,
                ),
            )
            self._creates += 1
            if self._creates % _PURGE_EVERY == 1:
                conn.execute("DELETE FROM jobs WHERE expires_at <= ?", (stamp,))
                conn.execute("DELETE FROM idempotency WHERE expires_at <= ?", (stamp,))
        return job.copy(), True

    def get(self, job_id: str) -> Job | None:
        return self._select(self.db.connection(), job_id)

    def start(self, job_id: str) -> Job | None:
        with self.db.transaction() as conn:
            stamp = time.time()
            cursor = conn.execute(
                "UPDATE jobs SET status = 'running', attempts = attempts + 1, started_at = ?, "
                "updated_at = ? WHERE job_id = ? AND status IN ('queued', 'running') "
                "AND (expires_at IS NULL OR expires_at > ?)",
                (stamp, stamp, job_id, stamp),
            )
            if cursor.rowcount != 1:
                return None
            return self._select(conn, job_id)

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
        encoded = codec.encode(result) if result is not None else None
        with self.db.transaction() as conn:
            stamp = time.time()
            row = conn.execute(
                "SELECT callback FROM jobs WHERE job_id = ? "
                "AND status NOT IN ('succeeded', 'failed')",
                (job_id,),
            ).fetchone()
            if row is None:
                return False
            callback = json.loads(row[0]) if row[0] else None
            if callback is not None:
                callback["status"] = "pending"
            conn.execute(
                "UPDATE jobs SET status = ?, result = ?, error = ?, finished_at = ?, "
                "updated_at = ?, callback = ? WHERE job_id = ?",
                (
                    status,
                    encoded,
                    _json_or_none(error),
                    stamp,
                    stamp,
                    _json_or_none(callback),
                    job_id,
                ),
            )
            return True

    def requeue(self, job_id: str) -> bool:
        cursor = self.db.write(
            "UPDATE jobs SET status = 'queued', updated_at = ? "
            "WHERE job_id = ? AND status = 'running'",
            (time.time(), job_id),
        )
        return cursor.rowcount == 1

    def set_callback(self, job_id: str, callback: dict[str, Any]) -> None:
        self.db.write(
            "UPDATE jobs SET callback = ? WHERE job_id = ?", (_json_or_none(callback), job_id)
        )

    def unfinished(self) -> list[tuple[str, str]]:
        """``(job_id, status)`` of every job still ``queued`` or ``running``."""
        rows = self.db.connection().execute(
            "SELECT job_id, status FROM jobs WHERE status IN ('queued', 'running') "
            "AND (expires_at IS NULL OR expires_at > ?)",
            (time.time(),),
        )
        return [(job_id, status) for job_id, status in rows]

    def count_by_status(self) -> dict[str, int]:
        rows = self.db.connection().execute("SELECT status, COUNT(*) FROM jobs GROUP BY status")
        return dict(rows)

    def close(self) -> None:
        self.db.close()


# ---------------------------------------------------------------------- queue


def _start_time(pid: int) -> str | None:
    """The start time of ``pid`` in clock ticks since boot (Linux), to tell a live
    process from a later one that reused its pid."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return fields[19] if len(fields) > 19 and fields[0] not in ("Z", "X") else None


def process_token() -> str:
    """This process, as ``host:pid:start-time``."""
    pid = os.getpid()
    return f"{socket.gethostname()}:{pid}:{_start_time(pid) or '-'}"


def owner_alive(token: str) -> bool:
    """Whether the process a :func:`process_token` names is still running. A process
    on another host is assumed alive (its messages come back when their visibility
    runs out)."""
    host, _, rest = token.partition(":")
    pid_text, _, started = rest.partition(":")
    if host != socket.gethostname():
        return True
    try:
        pid = int(pid_text)
    except ValueError:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    if started == "-":  # nothing to compare with (no /proc here)
        return True
    return _start_time(pid) == started  # None for a zombie: dead


class SQLiteQueue:
    """The local job queue (table ``queue`` of ``jobs.sqlite3``), SQS semantics."""

    name = "sqlite"

    def __init__(
        self,
        path: Path | str,
        *,
        max_receives: int = 3,
        visibility_seconds: float = 60.0,
        poll_seconds: float = 0.2,
    ) -> None:
        self.db = SQLiteDatabase(path, _JOBS_SCHEMA)
        self.max_receives = max_receives
        self.visibility_seconds = visibility_seconds
        self.poll_seconds = poll_seconds
        self.owner = process_token()
        self._sent = threading.Condition()

    def send(self, body: dict[str, Any], *, delay_seconds: float = 0) -> str:
        message_id = str(uuid.uuid4())
        stamp = time.time()
        self.db.write(
            "INSERT INTO queue (message_id, body, sent_at, visible_at) VALUES (?, ?, ?, ?)",
            (message_id, json.dumps(body), stamp, stamp + max(0.0, delay_seconds)),
        )
        with self._sent:
            self._sent.notify_all()
        return message_id

    def _take(self, max_messages: int, visibility: float) -> list[Delivery]:
        got: list[Delivery] = []
        if not self.db.path.exists():  # nothing was ever queued (and nothing is created)
            return got
        with self.db.transaction() as conn:
            stamp = time.time()
            rows = conn.execute(
                "SELECT message_id, body, receive_count FROM queue "
                "WHERE dead = 0 AND visible_at <= ? ORDER BY visible_at, sent_at LIMIT ?",
                (stamp, max_messages + 16),
            ).fetchall()
            for message_id, body, count in rows:
                if len(got) >= max_messages:
                    break
                if count >= self.max_receives:
                    conn.execute("UPDATE queue SET dead = 1 WHERE message_id = ?", (message_id,))
                    continue
                receipt = str(uuid.uuid4())
                conn.execute(
                    "UPDATE queue SET receive_count = receive_count + 1, visible_at = ?, "
                    "receipt = ?, owner = ? WHERE message_id = ?",
                    (stamp + visibility, receipt, self.owner, message_id),
                )
                got.append(Delivery(message_id, _parse(body), receipt, count + 1))
        return got

    def receive(
        self,
        *,
        max_messages: int = 1,
        wait_seconds: float = 0,
        visibility_seconds: float | None = None,
    ) -> list[Delivery]:
        visibility = self.visibility_seconds if visibility_seconds is None else visibility_seconds
        deadline = time.monotonic() + max(0.0, wait_seconds)
        while True:
            got = self._take(max_messages, visibility)
            remaining = deadline - time.monotonic()
            if got or remaining <= 0:
                return got
            # Woken at once by a send from this process; other processes are polled.
            with self._sent:
                self._sent.wait(min(remaining, self.poll_seconds))

    def delete(self, delivery: Delivery) -> None:
        self.db.write(
            "DELETE FROM queue WHERE message_id = ? AND receipt = ?",
            (delivery.message_id, delivery.receipt),
        )

    def release(self, delivery: Delivery, *, delay_seconds: float = 0) -> None:
        self.db.write(
            "UPDATE queue SET visible_at = ?, owner = NULL WHERE message_id = ? AND receipt = ?",
            (time.time() + max(0.0, delay_seconds), delivery.message_id, delivery.receipt),
        )
        with self._sent:
            self._sent.notify_all()

    def extend(self, delivery: Delivery, *, visibility_seconds: float) -> None:
        self.db.write(
            "UPDATE queue SET visible_at = ? WHERE message_id = ? AND receipt = ?",
            (time.time() + visibility_seconds, delivery.message_id, delivery.receipt),
        )

    def recover(self, alive: Callable[[str], bool] | None = None) -> list[dict[str, Any]]:
        """Make visible now the messages held by processes that are gone (a server
        killed mid-job: ``alive(owner)`` is false, :func:`owner_alive` by default), and
        return their bodies."""
        alive = alive or owner_alive
        released: list[dict[str, Any]] = []
        if not self.db.path.exists():
            return released
        with self.db.transaction() as conn:
            stamp = time.time()
            rows = conn.execute(
                "SELECT message_id, body, owner FROM queue "
                "WHERE dead = 0 AND owner IS NOT NULL AND visible_at > ?",
                (stamp,),
            ).fetchall()
            for message_id, body, owner in rows:
                if owner == self.owner or alive(owner):
                    continue
                conn.execute(
                    "UPDATE queue SET visible_at = ?, owner = NULL WHERE message_id = ?",
                    (stamp, message_id),
                )
                released.append(_parse(body))
        if released:
            with self._sent:
                self._sent.notify_all()
        return released

    def pending_job_ids(self) -> set[str]:
        """Job ids of the ``run`` messages waiting or in flight (not dead)."""
        rows = self.db.connection().execute("SELECT body FROM queue WHERE dead = 0")
        found = set()
        for (body,) in rows:
            parsed = _parse(body)
            if parsed.get("type") == "run" and isinstance(parsed.get("job_id"), str):
                found.add(parsed["job_id"])
        return found

    def dead_letters(self) -> list[dict[str, Any]]:
        rows = self.db.connection().execute(
            "SELECT body FROM queue WHERE dead = 1 ORDER BY sent_at"
        )
        return [_parse(body) for (body,) in rows]

    def depth(self) -> dict[str, int]:
        """Messages waiting, in flight and dead (for ``/health`` and benchmarks)."""
        stamp = time.time()
        row = (
            self.db.connection()
            .execute(
                "SELECT SUM(dead = 0 AND visible_at <= ?), SUM(dead = 0 AND visible_at > ?), "
                "SUM(dead = 1) FROM queue",
                (stamp, stamp),
            )
            .fetchone()
        )
        return {"visible": row[0] or 0, "in_flight": row[1] or 0, "dead": row[2] or 0}

    def close(self) -> None:
        self.db.close()


def _parse(body: str) -> dict[str, Any]:
    try:
        value = json.loads(body)
    except ValueError:
        return {"type": "invalid", "raw": body[:200]}
    return value if isinstance(value, dict) else {"type": "invalid", "raw": body[:200]}
