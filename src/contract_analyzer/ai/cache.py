"""Cache of AI answers, so the same contract is never paid for twice.

Keys are SHA-256 digests of (prompt version, analysis type, provider, model, endpoint,
source, static findings): the static findings are part of the prompt and the verdicts
refer to them by position. Values are JSON-ready dicts (the validated answer and its
token counts), so any store can hold them: :class:`LRUAnswerCache` in process now, the
storage layer's SQLite or DynamoDB store later, through the :class:`AnswerCache`
protocol.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from typing import Any, Protocol, runtime_checkable


@runtime_checkable
class AnswerCache(Protocol):
    """Where AI answers are kept. Implementations must be thread-safe and must treat a
    failure of their store as a miss (``get``) or a no-op (``set``)."""

    def get(self, key: str) -> dict[str, Any] | None: ...

    def set(self, key: str, value: dict[str, Any]) -> None: ...


class LRUAnswerCache:
    """An in-process, least-recently-used cache of at most ``max_entries`` answers."""

    def __init__(self, max_entries: int = 512) -> None:
        self.max_entries = max_entries
        self._data: OrderedDict[str, dict[str, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> dict[str, Any] | None:
        with self._lock:
            value = self._data.get(key)
            if value is None:
                return None
            self._data.move_to_end(key)
            copied: dict[str, Any] = json.loads(json.dumps(value))  # callers get a copy
            return copied

    def set(self, key: str, value: dict[str, Any]) -> None:
        with self._lock:
            self._data[key] = json.loads(json.dumps(value))
            self._data.move_to_end(key)
            while len(self._data) > self.max_entries:
                self._data.popitem(last=False)

    def __len__(self) -> int:
        with self._lock:
            return len(self._data)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()


def cache_key(
    *,
    source: str,
    analysis_type: str,
    provider: str,
    model: str,
    endpoint: str,
    prompt_version: str,
    findings_digest: str,
) -> str:
    """The cache key of one AI answer."""
    parts = [
        "contract-analyzer-ai",
        prompt_version,
        analysis_type,
        provider,
        model,
        hashlib.sha256(endpoint.encode()).hexdigest(),
        hashlib.sha256(source.encode()).hexdigest(),
        findings_digest,
    ]
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()
