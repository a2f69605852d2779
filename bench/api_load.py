"""Load benchmark of the HTTP API (issue: HTTP API). Prints its figures; asserts nothing.

    python bench/api_load.py [--connections 4] [--duration 10] [--warmup 2]
                             [--analysis-workers 0] [--workers 1] [--same-body]

Starts ``contract-analyzer serve`` on a free loopback port, then keeps N keep-alive
HTTP/1.1 connections busy posting a ~100-line contract (bench/data/StakingVault.sol) to
``POST /analyze`` for a fixed time, and reports requests/s, latency percentiles, errors,
and the resident memory of the server and its analysis workers sampled over the run.

Each request carries a different trailing comment (unless ``--same-body``), so a result
cache, should one ever exist, cannot make the figures look better than the analysis is.
The client is a minimal asyncio HTTP client in this process (on uvloop when installed):
it shares the machine's cores with the server, as a real client on the same host would.

Targets (issue): >= 200 requests/s, p99 <= 100 ms, zero errors, memory flat.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONTRACT = ROOT / "bench" / "data" / "StakingVault.sol"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def rss_kb(pid: int) -> int:
    """Resident memory of ``pid`` and all its descendants, in kB."""
    total = 0
    stack = [pid]
    while stack:
        current = stack.pop()
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
            for task in Path(f"/proc/{current}/task").iterdir():
                stack.extend(int(p) for p in (task / "children").read_text().split())
        except (OSError, ValueError):
            continue
    return total


_TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> tuple[float, float]:
    """CPU seconds (user + system) of ``pid`` itself and of its live descendants."""
    own = 0.0
    children = 0.0
    stack = [(pid, True)]
    while stack:
        current, is_root = stack.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            used = (int(fields[11]) + int(fields[12])) / _TICK
            if is_root:
                own += used
            else:
                children += used
            for task in Path(f"/proc/{current}/task").iterdir():
                stack.extend((int(p), False) for p in (task / "children").read_text().split())
        except (OSError, ValueError, IndexError):
            continue
    return own, children


def start_server(args: argparse.Namespace) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    script = Path(sys.executable).with_name("contract-analyzer")
    command = str(script) if script.exists() else shutil.which("contract-analyzer")
    if not command:
        raise SystemExit("contract-analyzer is not installed (pip install -e .)")
    env = {
        **os.environ,
        "CONTRACT_ANALYZER_ACCESS_LOG": "true" if args.access_log else "false",
        "CONTRACT_ANALYZER_ANALYSIS_WORKERS": str(args.analysis_workers),
        "CONTRACT_ANALYZER_LOG_LEVEL": "warning",
    }
    process = subprocess.Popen(
        [command, "serve", "--port", str(port), "--workers", str(args.workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with (
            contextlib.suppress(OSError),
            urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as r,
        ):
            if r.status == 200:
                return process, port
        if process.poll() is not None:
            break
        time.sleep(0.1)
    process.kill()
    raise SystemExit("the server did not start")


class Stats:
    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.errors = 0
        self.statuses: dict[int, int] = {}
        self.recording = False


async def client(
    port: int, source: str, analysis_type: str, same_body: bool, stats: Stats, stop_at: float
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    counter = 0
    try:
        while time.monotonic() < stop_at:
            counter += 1
            text = source if same_body else f"{source}\n// request {id(writer)}-{counter}\n"
            body = json.dumps({"contract_code": text, "analysis_type": analysis_type}).encode()
            request = (
                b"POST /analyze HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                b"Content-Type: application/json\r\nContent-Length: "
                + str(len(body)).encode()
                + b"\r\n\r\n"
                + body
            )
            started = time.perf_counter()
            writer.write(request)
            try:
                head = await reader.readuntil(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n")[1:]:
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value)
                payload = await reader.readexactly(length)
            except (asyncio.IncompleteReadError, ConnectionError):
                stats.errors += 1
                return
            elapsed = time.perf_counter() - started
            status = int(head.split(b" ", 2)[1])
            if stats.recording:
                stats.latencies.append(elapsed)
                stats.statuses[status] = stats.statuses.get(status, 0) + 1
                if status != 200 or b'"overall_security_score"' not in payload:
                    stats.errors += 1
    finally:
        writer.close()
        with contextlib.suppress(ConnectionError):
            await writer.wait_closed()


async def run_load(args: argparse.Namespace, port: int, server_pid: int) -> dict[str, object]:
    source = Path(args.contract).read_text(encoding="utf-8")
    stats = Stats()
    start = time.monotonic()
    stop_at = start + args.warmup + args.duration
    memory: list[tuple[float, int]] = []

    async def sampler() -> None:
        while time.monotonic() < stop_at:
            memory.append((time.monotonic() - start, rss_kb(server_pid)))
            await asyncio.sleep(0.5)

    async def recorder() -> float:
        await asyncio.sleep(args.warmup)
        stats.recording = True
        return time.monotonic()

    tasks = [
        asyncio.create_task(
            client(port, source, args.analysis_type, args.same_body, stats, stop_at)
        )
        for _ in range(args.connections)
    ]
    sampling = asyncio.create_task(sampler())
    recording_started = await recorder()
    server_cpu0, workers_cpu0 = cpu_seconds(server_pid)
    client_cpu0 = time.process_time()
    await asyncio.gather(*tasks)
    measured = time.monotonic() - recording_started
    server_cpu1, workers_cpu1 = cpu_seconds(server_pid)
    client_cpu = time.process_time() - client_cpu0
    await sampling
    latencies = sorted(stats.latencies)

    def pct(p: float) -> float:
        if not latencies:
            return float("nan")
        return latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))] * 1000

    during = [kb for t, kb in memory if t >= args.warmup] or [kb for _, kb in memory]
    return {
        "requests": len(latencies),
        "seconds": measured,
        "rps": len(latencies) / measured if measured else 0.0,
        "p50": pct(50),
        "p90": pct(90),
        "p99": pct(99),
        "max": latencies[-1] * 1000 if latencies else float("nan"),
        "mean": statistics.fmean(latencies) * 1000 if latencies else float("nan"),
        "errors": stats.errors,
        "statuses": stats.statuses,
        "cpu_server_ms": (server_cpu1 - server_cpu0) * 1000 / max(1, len(latencies)),
        "cpu_workers_ms": (workers_cpu1 - workers_cpu0) * 1000 / max(1, len(latencies)),
        "cpu_client_ms": client_cpu * 1000 / max(1, len(latencies)),
        "rss_start_mb": during[0] / 1024,
        "rss_end_mb": during[-1] / 1024,
        "rss_max_mb": max(during) / 1024,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--connections", type=int, default=4, help="concurrent clients")
    parser.add_argument("--duration", type=float, default=10.0, help="measured seconds")
    parser.add_argument("--warmup", type=float, default=2.0, help="unmeasured seconds first")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument(
        "--analysis-workers", type=int, default=0, help="analysis processes (0: one per core)"
    )
    parser.add_argument("--analysis-type", default="security")
    parser.add_argument("--contract", default=str(CONTRACT))
    parser.add_argument("--same-body", action="store_true", help="post identical bodies")
    parser.add_argument("--access-log", action="store_true", help="keep uvicorn's access log")
    args = parser.parse_args()

    with contextlib.suppress(ImportError):
        import uvloop

        uvloop.install()

    lines = len(Path(args.contract).read_text(encoding="utf-8").splitlines())
    load_before = Path("/proc/loadavg").read_text().split()[0]
    process, port = start_server(args)
    try:
        result = asyncio.run(run_load(args, port, process.pid))
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
    print(
        f"POST /analyze, {lines}-line contract ({Path(args.contract).name}, "
        f"{args.analysis_type}), {args.connections} connections, {args.duration:g} s "
        f"after {args.warmup:g} s warm-up, uvicorn workers {args.workers}, analysis workers "
        f"{args.analysis_workers or os.cpu_count()}, {os.cpu_count()} cores"
    )
    load_after = Path("/proc/loadavg").read_text().split()[0]
    print(
        f"  machine:      1-minute load average {load_before} before, {load_after} after "
        "(the benchmark itself adds about 2; more means other work shared the cores)"
    )
    print(f"  requests:     {result['requests']} in {result['seconds']:.1f} s")
    print(f"  throughput:   {result['rps']:.0f} requests/s   (target >= 200)")
    print(
        f"  latency ms:   p50 {result['p50']:.1f}   p90 {result['p90']:.1f}   "
        f"p99 {result['p99']:.1f}   max {result['max']:.1f}   (target p99 <= 100)"
    )
    print(f"  errors:       {result['errors']}   statuses {result['statuses']}")
    print(
        f"  CPU/request:  server process {result['cpu_server_ms']:.2f} ms, analysis workers "
        f"{result['cpu_workers_ms']:.2f} ms, load client {result['cpu_client_ms']:.2f} ms"
    )
    print(
        f"  server RSS:   {result['rss_start_mb']:.0f} MB at start of measurement, "
        f"{result['rss_end_mb']:.0f} MB at end, {result['rss_max_mb']:.0f} MB max "
        "(server + analysis workers)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
