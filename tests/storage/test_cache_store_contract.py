"""One contract for every cache store (memory, SQLite, DynamoDB on moto), and the
ResultCache over them: encoding, overflow to S3, never an error to the caller."""

from __future__ import annotations

import base64
import logging
import math
import os
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from contract_analyzer.storage import codec
from contract_analyzer.storage.aws import DynamoDBCacheStore, create_cache_table
from contract_analyzer.storage.base import CacheStore
from contract_analyzer.storage.cache import AIAnswerCache, ResultCache
from contract_analyzer.storage.memory import MemoryBlobStore, MemoryCacheStore
from contract_analyzer.storage.sqlite import SQLiteCacheStore
from moto_helpers import make_bucket, unique


def test_is_a_cache_store(cache_store: Any) -> None:
    assert isinstance(cache_store, CacheStore)


def test_missing_key_is_none(cache_store: Any) -> None:
    assert cache_store.get("report:nothing-here") is None


def test_round_trip_and_overwrite(cache_store: Any) -> None:
    value = b"\x00\x01binary\xff" * 100
    cache_store.put("report:a", value, time.time() + 60)
    assert cache_store.get("report:a") == value
    cache_store.put("report:a", b"second", None)
    assert cache_store.get("report:a") == b"second"
    cache_store.put("report:b", b"other", None)
    assert cache_store.get("report:a") == b"second"
    assert cache_store.get("report:b") == b"other"


def test_expired_values_are_not_returned(cache_store: Any) -> None:
    cache_store.put("report:old", b"stale", time.time() - 1)
    assert cache_store.get("report:old") is None
    expires = time.time() + 1
    cache_store.put("report:soon", b"fresh", expires)
    assert cache_store.get("report:soon") == b"fresh"
    time.sleep(math.ceil(expires) - time.time() + 0.05)  # DynamoDB keeps whole seconds
    assert cache_store.get("report:soon") is None


def test_delete(cache_store: Any) -> None:
    cache_store.put("report:gone", b"x", None)
    cache_store.delete("report:gone")
    assert cache_store.get("report:gone") is None
    cache_store.delete("report:never-there")  # no error


def test_threads_share_a_store(cache_store: Any) -> None:
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for i in range(15):
                key = f"report:t{n}-{i}"
                cache_store.put(key, f"{n}/{i}".encode(), None)
                assert cache_store.get(key) == f"{n}/{i}".encode()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


# ---------------------------------------------------------------------- ResultCache


def test_result_cache_round_trip_counts_and_compresses(cache_store: Any) -> None:
    cache = ResultCache(cache_store, ttl_seconds=60)
    report = {"findings": [{"type": "reentrancy", "line_number": i} for i in range(500)]}
    assert cache.get("report:k") is None
    assert cache.put("report:k", report)
    assert cache.get("report:k") == report
    assert (cache.hits, cache.misses) == (1, 1)
    stored = cache_store.get("report:k")
    assert stored[:1] == codec.ZLIB and len(stored) < len(codec.dumps(report)) / 4


def test_answer_cache_adapter(cache_store: Any) -> None:
    answers = AIAnswerCache(ResultCache(cache_store, ttl_seconds=60))
    assert answers.get("abc") is None
    answers.set("abc", {"answer": {"verdicts": []}, "input_tokens": 10})
    assert answers.get("abc") == {"answer": {"verdicts": []}, "input_tokens": 10}
    assert cache_store.get("ai:abc") is not None  # namespaced apart from reports


class _BrokenStore:
    name = "broken"
    max_item_bytes = None
    inline = True

    def get(self, key: str) -> bytes | None:
        raise OSError("disk on fire")

    def put(self, key: str, value: bytes, expires_at: float | None) -> None:
        raise OSError("disk on fire")

    def delete(self, key: str) -> None:
        raise OSError("disk on fire")

    def close(self) -> None:
        pass


def test_a_failing_store_is_a_miss_and_a_no_op(caplog: pytest.LogCaptureFixture) -> None:
    cache = ResultCache(_BrokenStore(), ttl_seconds=60)
    with caplog.at_level(logging.WARNING, "contract_analyzer.storage"):
        assert cache.put("report:x", {"a": 1}) is False
        assert cache.get("report:x") is None
    assert cache.errors == 2
    assert any("disk on fire" in r.getMessage() for r in caplog.records)


def test_a_corrupt_value_is_a_miss() -> None:
    store = MemoryCacheStore()
    store.put("report:x", b"Jnot json", None)
    assert ResultCache(store).get("report:x") is None


def _incompressible(size: int) -> str:
    return base64.b64encode(os.urandom(size)).decode()


def test_dynamodb_item_over_400_kb_goes_to_s3_with_a_pointer() -> None:
    table = unique("cache")
    create_cache_table(table)
    store = DynamoDBCacheStore(table)
    blobs = make_bucket()
    cache = ResultCache(store, ttl_seconds=60, blobs=blobs)
    big = {"report": _incompressible(450_000)}
    assert cache.put("report:big", big)
    pointer = store.get("report:big")
    assert pointer is not None and codec.pointer_key(pointer) == "report/big"
    assert blobs.get("report/big") is not None
    assert cache.get("report:big") == big
    small = {"report": "x" * 1000}
    assert cache.put("report:small", small)
    assert codec.pointer_key(store.get("report:small") or b"") is None


def test_dynamodb_item_over_400_kb_without_bucket_is_skipped_with_a_log_line(
    caplog: pytest.LogCaptureFixture,
) -> None:
    table = unique("cache")
    create_cache_table(table)
    cache = ResultCache(DynamoDBCacheStore(table), ttl_seconds=60)
    with caplog.at_level(logging.INFO, "contract_analyzer.storage"):
        assert cache.put("report:big", {"report": _incompressible(450_000)}) is False
    assert cache.get("report:big") is None
    assert cache.skipped == 1 and cache.errors == 0
    assert any("not cached" in r.getMessage() for r in caplog.records)


def test_compressible_large_reports_stay_in_dynamodb() -> None:
    table = unique("cache")
    create_cache_table(table)
    cache = ResultCache(DynamoDBCacheStore(table), ttl_seconds=60)
    report = {
        "findings": [{"description": "the same long text " * 20, "n": i} for i in range(2000)]
    }
    assert len(codec.dumps(report)) > 800_000
    assert cache.put("report:compressible", report)
    assert cache.get("report:compressible") == report


def test_memory_blob_overflow_uses_the_limit_of_the_store() -> None:
    class Small(MemoryCacheStore):
        max_item_bytes = 100

    blobs = MemoryBlobStore()
    cache = ResultCache(Small(), blobs=blobs)
    assert cache.put("report:z", {"text": "y" * 500})
    assert blobs.blobs and cache.get("report:z") == {"text": "y" * 500}


# ---------------------------------------------------------------------- SQLite


def _hammer(path: str, worker: int) -> None:  # runs in another process
    store = SQLiteCacheStore(path)
    for i in range(60):
        store.put(f"report:{worker}-{i}", f"{worker}:{i}".encode() * 10, None)
        assert store.get(f"report:{worker}-{i}") == f"{worker}:{i}".encode() * 10
        store.get(f"report:{(worker + 1) % 4}-{i}")
    store.close()


def test_sqlite_is_safe_with_several_processes(tmp_path: Path) -> None:
    import multiprocessing

    path = str(tmp_path / "cache.sqlite3")
    context = multiprocessing.get_context("spawn")
    processes = [context.Process(target=_hammer, args=(path, n)) for n in range(4)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(60)
    assert [p.exitcode for p in processes] == [0, 0, 0, 0]
    store = SQLiteCacheStore(path)
    assert all(store.get(f"report:{w}-59") == f"{w}:59".encode() * 10 for w in range(4))
    mode = store.db.connection().execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def test_sqlite_lookup_is_well_under_a_millisecond(tmp_path: Path) -> None:
    cache = ResultCache(SQLiteCacheStore(tmp_path / "cache.sqlite3"), ttl_seconds=60)
    report = {"findings": [{"type": "reentrancy", "line_number": 7, "text": "x" * 300}] * 2}
    cache.put("report:fast", report)
    cache.get("report:fast")
    runs = 300
    started = time.perf_counter()
    for _ in range(runs):
        assert cache.get("report:fast") is not None
    per_lookup = (time.perf_counter() - started) / runs
    assert per_lookup < 0.0005, f"{per_lookup * 1e6:.0f} µs per lookup"
