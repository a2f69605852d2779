"""The local key store: one SQLite file (``CONTRACT_ANALYZER_DATA_DIR/keys.sqlite3``).

``contract-analyzer keys create`` writes it and ``contract-analyzer serve`` reads it,
possibly at the same time from different processes: each operation opens its own
connection (WAL journal, a busy timeout), so there is no shared connection to guard.
The file is created, readable by its owner only, by the first ``keys create``; until
then every lookup finds nothing.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

from contract_analyzer.auth.base import CredentialBackendError
from contract_analyzer.auth.keys import ApiKeyRecord

_SCHEMA = """
CREATE TABLE IF NOT EXISTS api_keys (
    key_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    plan TEXT NOT NULL,
    salt TEXT NOT NULL,
    secret_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT
)
"""
_COLUMNS = "key_id, name, plan, salt, secret_hash, created_at, revoked_at"


class SQLiteKeyStore:
    """:class:`~contract_analyzer.auth.keys.KeyStore` in a SQLite file.

    Lookups (:meth:`get`, on every request) reuse one connection per thread, opened on
    first use; each ``SELECT`` is its own read transaction, so a key revoked by another
    process is refused by the next request. Writes open a connection of their own."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._local = threading.local()

    def _reader(self) -> sqlite3.Connection | None:
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is None:
            if not self.path.exists():
                return None
            try:
                connection = sqlite3.connect(self.path, timeout=5.0, isolation_level=None)
            except sqlite3.Error as exc:
                raise CredentialBackendError(f"cannot open the key store: {exc}") from None
            self._local.connection = connection
        return connection

    @contextlib.contextmanager
    def _connect(self, *, create: bool = False) -> Iterator[sqlite3.Connection | None]:
        if not self.path.exists():
            if not create:
                yield None
                return
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # Owner-only from the start (hashes only, but still nobody else's business).
            os.close(os.open(self.path, os.O_WRONLY | os.O_CREAT, 0o600))
        try:
            connection = sqlite3.connect(self.path, timeout=5.0)
        except sqlite3.Error as exc:
            raise CredentialBackendError(f"cannot open the key store: {exc}") from None
        try:
            with connection:
                if create:
                    connection.execute("PRAGMA journal_mode=WAL")
                    connection.execute(_SCHEMA)
                yield connection
        except sqlite3.Error as exc:
            raise CredentialBackendError(f"key store error: {exc}") from None
        finally:
            connection.close()

    def create(self, record: ApiKeyRecord) -> None:
        with self._connect(create=True) as db:
            assert db is not None
            db.execute(
                f"INSERT INTO api_keys ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    record.key_id,
                    record.name,
                    record.plan,
                    record.salt,
                    record.secret_hash,
                    record.created_at,
                    record.revoked_at,
                ),
            )

    def get(self, key_id: str) -> ApiKeyRecord | None:
        db = self._reader()
        if db is None:
            return None
        try:
            row = db.execute(
                f"SELECT {_COLUMNS} FROM api_keys WHERE key_id = ?", (key_id,)
            ).fetchone()
        except sqlite3.Error as exc:
            self._local.connection = None
            db.close()
            if "no such table" in str(exc):
                return None
            raise CredentialBackendError(f"key store error: {exc}") from None
        return ApiKeyRecord(*row) if row else None

    def list_keys(self) -> list[ApiKeyRecord]:
        with self._connect() as db:
            if db is None:
                return []
            rows = db.execute(
                f"SELECT {_COLUMNS} FROM api_keys ORDER BY created_at, rowid"
            ).fetchall()
        return [ApiKeyRecord(*row) for row in rows]

    def revoke(self, key_id: str, when: str) -> bool:
        with self._connect() as db:
            if db is None:
                return False
            cursor = db.execute(
                "UPDATE api_keys SET revoked_at = ? WHERE key_id = ? AND revoked_at IS NULL",
                (when, key_id),
            )
            return cursor.rowcount == 1
