"""Result cache and job queue benchmark (issue: results cache and asynchronous jobs).
Prints its figures; asserts nothing.

    python bench/cache_jobs.py [--requests 200] [--jobs 200] [--analysis-workers 2]

1. **Lookup**: one ``ResultCache.get`` of a typical report on the embedded SQLite store
   (``cache.sqlite3``), in microseconds.
2. **Cache hit vs miss through the API**: a real ``contract-analyzer serve`` on loopback
   (SQLite cache in a temporary data directory); ``--requests`` ``POST /analyze`` of a
   ~100-line contract (bench/data/StakingVault.sol) that the cache has never seen (each
   with its own trailing comment: misses), then as many of one already-cached source
   (hits), one keep-alive connection, one request at a time. Latency percentiles.
3. **Jobs/s through the local queue**: ``--jobs`` ``POST /jobs`` as fast as one
   connection sends them, then polling until every job has succeeded; jobs/s from the
   first submission to the last success. Once with the cache off (every job is
   analysed: the queue plus the analysis) and once for one cached source (every job
   is a cache hit: the queue, job store and runner overhead alone).
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CONTRACT = (ROOT / "bench" / "data" / "StakingVault.sol").read_text()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextlib.contextmanager
def server(data_dir: str, **env: str) -> Iterator[int]:
    port = free_port()
    script = Path(sys.executable).with_name("contract-analyzer")
    command = str(script) if script.exists() else shutil.which("contract-analyzer")
    if not command:
        raise SystemExit("contract-analyzer is not installed (pip install -e .)")
    environment = {
        **os.environ,
        "CONTRACT_ANALYZER_DATA_DIR": data_dir,
        "CONTRACT_ANALYZER_ACCESS_LOG": "false",
        "CONTRACT_ANALYZER_LOG_LEVEL": "warning",
        **env,
    }
    process = subprocess.Popen(
        [command, "serve", "--port", str(port)],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            with contextlib.suppress(OSError):
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                connection.request("GET", "/health")
                if connection.getresponse().status == 200:
                    connection.close()
                    break
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("the server did not start")
            time.sleep(0.1)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def post(connection: http.client.HTTPConnection, path: str, body: Any) -> tuple[int, Any]:
    connection.request(
        "POST", path, body=json.dumps(body), headers={"Content-Type": "application/json"}
    )
    response = connection.getresponse()
    return response.status, json.loads(response.read())


def get(connection: http.client.HTTPConnection, path: str) -> Any:
    connection.request("GET", path)
    return json.loads(connection.getresponse().read())


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)

    def at(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000

    return (
        f"p50 {at(0.50):6.2f} ms   p90 {at(0.90):6.2f} ms   p99 {at(0.99):6.2f} ms   "
        f"mean {statistics.fmean(ordered) * 1000:6.2f} ms"
    )


def lookup_benchmark() -> None:
    from contract_analyzer.storage.cache import ResultCache
    from contract_analyzer.storage.sqlite import SQLiteCacheStore

    with tempfile.TemporaryDirectory() as folder:
        cache = ResultCache(SQLiteCacheStore(Path(folder) / "cache.sqlite3"), ttl_seconds=3600)
        report = {
            "v": 1,
            "kind": "analyze",
            "report": {
                "findings": [
                    {
                        "type": "reentrancy",
                        "line_number": 7 + i,
                        "description": "External call before a state update. " * 4,
                        "recommendation": "Update state before the call. " * 3,
                        "code_snippet": '(bool ok, ) = msg.sender.call{value: a}("");',
                    }
                    for i in range(5)
                ]
            },
        }
        cache.put("report:bench", report)
        size = len(cache.store.get("report:bench") or b"")
        for _ in range(200):
            cache.get("report:bench")
        runs = 5000
        started = time.perf_counter()
        for _ in range(runs):
            cache.get("report:bench")
        per = (time.perf_counter() - started) / runs
        cache.close()
    print(f"SQLite lookup (ResultCache.get, {size:,}-byte entry): {per * 1e6:.1f} µs")


def api_benchmark(requests: int, workers: int) -> None:
    with (
        tempfile.TemporaryDirectory() as folder,
        server(folder, CONTRACT_ANALYZER_ANALYSIS_WORKERS=str(workers)) as port,
    ):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for _ in range(10):  # warm-up
            post(connection, "/analyze", {"contract_code": f"{CONTRACT}\n// {uuid.uuid4()}"})
        misses: list[float] = []
        for _ in range(requests):
            body = {"contract_code": f"{CONTRACT}\n// {uuid.uuid4()}"}
            started = time.perf_counter()
            status, answer = post(connection, "/analyze", body)
            misses.append(time.perf_counter() - started)
            assert status == 200 and answer["cached"] is False
        hits: list[float] = []
        body = {"contract_code": f"{CONTRACT}\n// cached"}
        post(connection, "/analyze", body)
        for _ in range(requests):
            started = time.perf_counter()
            status, answer = post(connection, "/analyze", body)
            hits.append(time.perf_counter() - started)
            assert status == 200 and answer["cached"] is True
        connection.close()
    print(f"POST /analyze, miss (analysed):  {percentiles(misses)}")
    print(f"POST /analyze, hit (cached):     {percentiles(hits)}")
    print(
        f"  hit/miss median: {statistics.median(hits) / statistics.median(misses):.2f}  "
        f"({requests} requests each, one keep-alive connection, {workers} analysis workers)"
    )


def jobs_benchmark(jobs: int, workers: int, *, cached: bool) -> None:
    env = {
        "CONTRACT_ANALYZER_ANALYSIS_WORKERS": str(workers),
        "CONTRACT_ANALYZER_JOBS_CONCURRENCY": str(workers),
        "CONTRACT_ANALYZER_CACHE_BACKEND": "sqlite" if cached else "off",
    }
    with tempfile.TemporaryDirectory() as folder, server(folder, **env) as port:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        if cached:
            post(connection, "/analyze", {"contract_code": CONTRACT})
        started = time.perf_counter()
        ids = []
        for _ in range(jobs):
            source = CONTRACT if cached else f"{CONTRACT}\n// {uuid.uuid4()}"
            status, answer = post(connection, "/jobs", {"contract_code": source})
            assert status == 202, answer
            ids.append(answer["job_id"])
        submitted = time.perf_counter() - started
        pending = list(ids)
        while pending:
            if get(connection, f"/jobs/{pending[-1]}")["status"] not in ("succeeded", "failed"):
                time.sleep(0.02)
                continue
            pending = [
                j
                for j in pending
                if get(connection, f"/jobs/{j}")["status"] not in ("succeeded", "failed")
            ]
        elapsed = time.perf_counter() - started
        failed = sum(get(connection, f"/jobs/{j}")["status"] == "failed" for j in ids)
        connection.close()
    label = "one cached source (queue overhead)" if cached else "cache off (analysed)"
    print(
        f"jobs, {label}: {jobs} jobs in {elapsed:.2f} s = {jobs / elapsed:.0f} jobs/s "
        f"(submitted at {jobs / submitted:.0f}/s; {failed} failed; {workers} runners)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--jobs", type=int, default=200)
    parser.add_argument("--analysis-workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    lookup_benchmark()
    api_benchmark(args.requests, args.analysis_workers)
    jobs_benchmark(args.jobs, args.analysis_workers, cached=False)
    jobs_benchmark(args.jobs, args.analysis_workers, cached=True)


if __name__ == "__main__":
    main()
