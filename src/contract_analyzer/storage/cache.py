"""The result cache: analysis reports (and AI answers) by a digest of everything that
decides them.

:func:`result_key` digests the normalised sources (and their names, for a batch), the
contract name asked for, the analysis type, the engine (version and a digest of its
code and parser versions), the detector set (ids) and, when the AI layer was used,
the provider chain (provider, model, endpoint digest) and the prompt version.

:class:`ResultCache` sits over any :class:`~contract_analyzer.storage.base.CacheStore`:
it encodes values (compressed when large), sends values larger than the store holds to
the overflow :class:`~contract_analyzer.storage.base.BlobStore` (S3, ``CACHE_BUCKET``)
behind a pointer, or skips them with a log line, and turns every failure of the store
into a miss (``get``) or a no-op (``put``): the cache never fails a request.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import time
from collections.abc import Sequence
from typing import Any

from contract_analyzer.storage import codec
from contract_analyzer.storage.base import BlobStore, CacheStore

log = logging.getLogger("contract_analyzer.storage")

KEY_VERSION = "v1"
"""Part of every key: bump it when the layout of cached values changes."""


def normalise_source(source: str) -> str:
    """The source with ``\\r\\n`` line ends as ``\\n``: the engine's reports of both
    spellings are identical (a test checks it on every example). Nothing else is
    normalised, because everything else shows in a report: a trailing blank line
    changes ``lines``, a byte-order mark the first line's snippet and fingerprint."""
    return source.replace("\r\n", "\n")


def result_key(
    *,
    kind: str,
    sources: Sequence[tuple[str, str]],
    contract_name: str | None,
    analysis_type: str,
    engine: str,
    detectors: Sequence[str],
    ai: str | None,
) -> str:
    """The cache key of one analysis. ``sources`` are ``(name, text)`` pairs in the
    order sent (for ``/analyze``, one pair with the name ``<input>``); ``engine`` is the
    engine's identity (version and code digest); ``ai`` the identity of the AI chain
    when the AI layer reviewed the report, else ``None``."""
    digest = hashlib.sha256()
    header = {
        "v": KEY_VERSION,
        "kind": kind,
        "contract_name": contract_name,
        "analysis_type": analysis_type,
        "engine": engine,
        "detectors": sorted(detectors),
        "ai": ai,
        "files": len(sources),
    }
    digest.update(json.dumps(header, sort_keys=True).encode())
    for name, text in sources:
        digest.update(b"\x00name\x00" + name.encode())
        digest.update(b"\x00text\x00" + hashlib.sha256(normalise_source(text).encode()).digest())
    return f"report:{digest.hexdigest()}"


class ResultCache:
    """A :class:`CacheStore` with encoding, overflow and a time to live."""

    def __init__(
        self,
        store: CacheStore,
        *,
        ttl_seconds: int = 0,
        blobs: BlobStore | None = None,
    ) -> None:
        self.store = store
        self.ttl_seconds = ttl_seconds
        self.blobs = blobs
        self.hits = 0
        self.misses = 0
        self.skipped = 0
        self.errors = 0

    @property
    def backend(self) -> str:
        return self.store.name

    def _expiry(self) -> float | None:
        return time.time() + self.ttl_seconds if self.ttl_seconds > 0 else None

    def get(self, key: str) -> Any | None:
        """The value stored under ``key``, or ``None`` (missing, expired, unreadable)."""
        try:
            data = self.store.get(key)
            if data is not None:
                ref = codec.pointer_key(data)
                if ref is not None:
                    data = self.blobs.get(ref) if self.blobs is not None else None
            if data is None:
                self.misses += 1
                return None
            value = codec.decode(data)
        except Exception as exc:
            self.errors += 1
            self.misses += 1
            log.warning("result cache read failed (%s); treated as a miss", _describe(exc))
            return None
        self.hits += 1
        return value

    def put(self, key: str, value: Any) -> bool:
        """Store ``value``; ``False`` when it was not stored (too large with nowhere to
        overflow to, or the store failed; both are logged, neither raises)."""
        try:
            data = codec.encode(value)
            limit = self.store.max_item_bytes
            if limit is not None and len(data) > limit:
                if self.blobs is None:
                    self.skipped += 1
                    log.info(
                        "result not cached: %s bytes compressed is over the %s store's "
                        "limit of %s and no overflow bucket is configured (CACHE_BUCKET)",
                        f"{len(data):,}",
                        self.store.name,
                        f"{limit:,}",
                    )
                    return False
                ref = key.replace(":", "/")
                self.blobs.put(ref, data)
                data = codec.pointer(ref)
            self.store.put(key, data, self._expiry())
        except Exception as exc:
            self.errors += 1
            log.warning("result cache write failed (%s); not cached", _describe(exc))
            return False
        return True

    async def aget(self, key: str) -> Any | None:
        """:meth:`get` from a coroutine: inline for a local store (well under a
        millisecond), in a thread for a network one."""
        if self.store.inline and self.blobs is None:
            return self.get(key)
        return await asyncio.to_thread(self.get, key)

    async def aput(self, key: str, value: Any) -> bool:
        return await asyncio.to_thread(self.put, key, value)

    def stats(self) -> dict[str, Any]:
        return {
            "backend": self.store.name,
            "hits": self.hits,
            "misses": self.misses,
            "not_cached_too_large": self.skipped,
            "errors": self.errors,
        }

    def answer_cache(self) -> AIAnswerCache:
        """This cache as the AI layer's :class:`~contract_analyzer.ai.cache.AnswerCache`."""
        return AIAnswerCache(self)

    def close(self) -> None:
        try:
            self.store.close()
        except Exception as exc:  # closing must not fail a shutdown
            log.warning("closing the result cache failed (%s)", _describe(exc))


class AIAnswerCache:
    """The AI layer's answer cache (``get``/``set`` of JSON dicts) in a
    :class:`ResultCache`, under keys ``ai:<digest>``: an AI answer is paid for once per
    store, across processes and restarts."""

    def __init__(self, cache: ResultCache) -> None:
        self.cache = cache

    def get(self, key: str) -> dict[str, Any] | None:
        value = self.cache.get(f"ai:{key}")
        return value if isinstance(value, dict) else None

    def set(self, key: str, value: dict[str, Any]) -> None:
        self.cache.put(f"ai:{key}", value)


def _describe(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else ""
    return f"{type(exc).__name__}: {text[:200]}" if text else type(exc).__name__
