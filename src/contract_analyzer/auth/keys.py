"""API keys: their format, their salted hash, and the store protocol.

A key looks like ``ca_<id>_<secret>``::

    ca_3f9a0c1d7be24e65_Jx0...43 characters...Q

* ``<id>`` is 16 hex digits (64 random bits), public: it is the store's primary key,
  shown by ``keys list`` and accepted by ``keys revoke``. Looking a key up is one read
  by id, never a scan of every hash.
* ``<secret>`` is 32 random bytes in URL-safe base64 (256 bits). Only
  ``HMAC-SHA256(salt, secret)`` and the per-key random salt are stored; the key itself
  is printed once, when it is created. A fast hash is enough here (a slow KDF protects
  guessable passwords; 256 random bits cannot be guessed from their hash), so checking
  a key costs microseconds, and the comparison is constant-time
  (:func:`hmac.compare_digest`).

Backends: :class:`~contract_analyzer.auth.sqlite_store.SQLiteKeyStore` (local,
``CONTRACT_ANALYZER_DATA_DIR/keys.sqlite3``) and
:class:`~contract_analyzer.auth.dynamodb_store.DynamoDBKeyStore` (``API_KEYS_TABLE``).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Protocol

from contract_analyzer.errors import UsageError

if TYPE_CHECKING:
    from contract_analyzer.config import Settings

KEY_PREFIX = "ca_"
_KEY = re.compile(r"^ca_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$")
_KEY_ID = re.compile(r"^(?:ca_)?([0-9a-f]{16})$")
_MAX_NAME = 64


@dataclass(frozen=True)
class ApiKeyRecord:
    """What the store keeps of a key: never the key or its secret."""

    key_id: str
    name: str
    plan: str
    salt: str
    secret_hash: str
    created_at: str
    revoked_at: str | None = None

    @property
    def public_id(self) -> str:
        """The id as shown to people (``ca_<id>``)."""
        return KEY_PREFIX + self.key_id

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    def revoked(self, when: str) -> ApiKeyRecord:
        return replace(self, revoked_at=when)

    def public_dict(self) -> dict[str, str | None]:
        """The fields ``keys list`` shows (no salt, no hash)."""
        return {
            "id": self.public_id,
            "name": self.name,
            "plan": self.plan,
            "created_at": self.created_at,
            "revoked_at": self.revoked_at,
        }


class KeyStore(Protocol):
    """Where key records live. Implementations raise
    :class:`~contract_analyzer.auth.base.CredentialBackendError` when the backend
    cannot be reached."""

    def create(self, record: ApiKeyRecord) -> None:
        """Store a new record (its id is new)."""

    def get(self, key_id: str) -> ApiKeyRecord | None:
        """The record with this id, or None."""

    def list_keys(self) -> list[ApiKeyRecord]:
        """Every record, revoked ones included, oldest first."""

    def revoke(self, key_id: str, when: str) -> bool:
        """Mark the key revoked; False when there is no such key or it was revoked."""


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def hash_secret(salt: bytes, secret: str) -> str:
    return hmac.new(salt, secret.encode("ascii"), hashlib.sha256).hexdigest()


def check_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > _MAX_NAME or not name.isprintable():
        raise UsageError(f"a key name is 1 to {_MAX_NAME} printable characters")
    return name


def generate_key(name: str, plan: str) -> tuple[str, ApiKeyRecord]:
    """A new key (returned once, to be shown to its owner) and the record to store."""
    key_id = secrets.token_hex(8)
    secret = secrets.token_urlsafe(32)
    salt = secrets.token_bytes(16)
    record = ApiKeyRecord(
        key_id=key_id,
        name=check_name(name),
        plan=plan,
        salt=salt.hex(),
        secret_hash=hash_secret(salt, secret),
        created_at=now_iso(),
    )
    return f"{KEY_PREFIX}{key_id}_{secret}", record


def parse_key(key: str) -> tuple[str, str] | None:
    """``(id, secret)`` of a well-formed key, else None."""
    match = _KEY.match(key)
    return (match.group(1), match.group(2)) if match else None


def parse_key_id(text: str) -> str | None:
    """The id in ``ca_<id>``, ``<id>`` or a whole key, else None."""
    parsed = parse_key(text)
    if parsed:
        return parsed[0]
    match = _KEY_ID.match(text)
    return match.group(1) if match else None


_DUMMY_SALT = secrets.token_bytes(16)
_DUMMY_HASH = hash_secret(_DUMMY_SALT, secrets.token_urlsafe(32))


def secret_matches(record: ApiKeyRecord | None, secret: str) -> bool:
    """Whether ``secret`` is the record's, compared in constant time. With no record
    the same work is done against a dummy hash, so an unknown id takes as long as a
    wrong secret."""
    if record is None:
        hmac.compare_digest(hash_secret(_DUMMY_SALT, secret), _DUMMY_HASH)
        return False
    try:
        salt = bytes.fromhex(record.salt)
    except ValueError:
        return False
    return hmac.compare_digest(hash_secret(salt, secret), record.secret_hash)


def open_key_store(settings: Settings) -> KeyStore:
    """The store the settings name: DynamoDB when ``API_KEYS_TABLE`` is set, else SQLite
    under ``CONTRACT_ANALYZER_DATA_DIR``."""
    if settings.api_keys_table:
        from contract_analyzer.auth.dynamodb_store import DynamoDBKeyStore

        return DynamoDBKeyStore(settings.api_keys_table)
    from contract_analyzer.auth.sqlite_store import SQLiteKeyStore

    return SQLiteKeyStore(settings.data_dir / "keys.sqlite3")
