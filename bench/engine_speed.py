"""Engine speed and memory (issue: engine). Prints its figures; asserts nothing.

    python bench/engine_speed.py [--repeat 5]

Targets on one core, parse + IR + every detector (analysis type "full"):
median <= 10 ms per contract of 50-500 lines; a generated 5,000-line contract <= 300 ms;
a folder of 400 files <= 5 s wall on 2 cores; peak memory <= 300 MB.

The contracts are the project's own: annotated fixtures, examples and the recall corpus
(bench/corpus) when present.
"""

from __future__ import annotations

import argparse
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from contract_analyzer import analyze  # noqa: E402

SOURCES = [ROOT / "tests" / "fixtures", ROOT / "examples", ROOT / "bench" / "corpus"]


def contracts() -> list[tuple[Path, str]]:
    found = []
    for folder in SOURCES:
        if folder.exists():
            for path in sorted(folder.rglob("*.sol")):
                found.append((path, path.read_text(encoding="utf-8")))
    return found


def time_one(source: str, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        analyze(source, analysis_type="full")
        best = min(best, time.perf_counter() - started)
    return best


def generated_contract(target_lines: int, pool: list[str]) -> str:
    """Concatenate contract bodies (renamed) until the file has ``target_lines`` lines."""
    parts = ["// SPDX-License-Identifier: MIT", "pragma solidity ^0.8.19;"]
    lines = 2
    i = 0
    while lines < target_lines:
        body = pool[i % len(pool)]
        body = re.sub(r"^\s*pragma[^;]*;", "", body, flags=re.MULTILINE)
        body = re.sub(r"\b(contract|library|interface)\s+(\w+)", rf"\1 \2_{i}", body)
        parts.append(body)
        lines += body.count("\n") + 1
        i += 1
    return "\n".join(parts)


def folder_scan(files: list[tuple[Path, str]], count: int) -> tuple[float, float]:
    """Wall time and peak RSS (MB) of ``contract-analyzer analyze`` over ``count`` files."""
    tmp = Path(tempfile.mkdtemp(prefix="bench-folder-"))
    try:
        for i in range(count):
            path, text = files[i % len(files)]
            (tmp / f"{i:04d}_{path.name}").write_text(text, encoding="utf-8")
        started = time.perf_counter()
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "contract_analyzer.cli",
                "analyze",
                str(tmp),
                "--type",
                "full",
                "--jobs",
                "2",
                "--format",
                "json",
                "--no-progress",
            ],
            capture_output=True,
            check=False,
        )
        elapsed = time.perf_counter() - started
        if result.returncode not in (0, 1):
            print(result.stderr.decode()[-2000:])
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        return elapsed, peak
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    files = contracts()
    analyze("contract Warmup { function f() public {} }", analysis_type="full")  # imports, registry
    sized = [(p, t) for p, t in files if 50 <= t.count("\n") + 1 <= 500]
    timings = sorted((time_one(text, args.repeat), path) for path, text in sized)
    values = [t for t, _ in timings]
    print(f"contracts of 50-500 lines: {len(values)}")
    if values:
        p90 = values[int(len(values) * 0.9) - 1] if len(values) >= 10 else values[-1]
        print(
            f"  median {statistics.median(values) * 1000:.2f} ms   p90 {p90 * 1000:.2f} ms   max {values[-1] * 1000:.2f} ms ({timings[-1][1].name})"
        )
        per_line = statistics.median(t / (p.read_text().count("\n") + 1) for t, p in timings)
        print(f"  median per line {per_line * 1e6:.1f} us")
    big = generated_contract(
        5000, [t for _, t in sized] or ["contract A { function f() public {} }"]
    )
    big_time = time_one(big, args.repeat)  # best of N, as for the small ones
    print(f"generated contract of {big.count(chr(10)) + 1} lines: {big_time * 1000:.0f} ms")
    self_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    wall, peak = folder_scan(files or [(Path("a.sol"), big)], 400)
    print(f"folder of 400 files, 2 processes: {wall:.2f} s wall, peak RSS of the CLI {peak:.0f} MB")
    print(f"peak RSS of this benchmark process (5,000-line contract included): {self_peak:.0f} MB")


if __name__ == "__main__":
    main()
