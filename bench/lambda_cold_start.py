"""Cold start of the API handler from the built Lambda package (issue: serverless).
Prints its figures; asserts nothing.

    infra/deploy.sh build
    python bench/lambda_cold_start.py --python /path/to/python3.12 [--package build/lambda] [--runs 5]

``--python`` must be the Lambda runtime's version (3.12): the package holds
manylinux2014 x86_64 wheels for CPython 3.12, which load on this machine too. Each run
is a fresh interpreter with an empty environment, a read-only-like file system
(``PYTHONDONTWRITEBYTECODE``, as /var/task on Lambda) and ``AWS_LAMBDA_FUNCTION_NAME``
set; it imports ``contract_analyzer.aws.lambda_api`` (the init phase) and runs the
VulnerableBank event once (the first invocation: the analysis worker process starts,
imports the engine and analyses). Measured twice: the package as pip leaves it (no
bytecode for 3.12) and after ``compileall --invalidation-mode unchecked-hash`` (what
``infra/deploy.sh build`` does).
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROBE = """
import json, sys, time, io, contextlib
started = time.perf_counter()
import contract_analyzer.aws.lambda_api as api
imported = time.perf_counter() - started
from contract_analyzer.aws.local import LocalContext
event = json.load(open(sys.argv[1]))
with contextlib.redirect_stdout(io.StringIO()):
    started = time.perf_counter()
    answer = api.handler(event, LocalContext("contract-analyzer-dev-api"))
    first = time.perf_counter() - started
api.app.state.pool.close()
print(json.dumps({"status": answer["statusCode"], "import_ms": imported * 1000,
                  "first_ms": first * 1000, "boto": "botocore" in sys.modules}))
"""


def run(python: str, package: Path, runs: int) -> list[dict[str, float]]:
    results = []
    for _ in range(runs):
        answer = subprocess.run(
            [python, "-c", PROBE, str(ROOT / "events" / "analyze-event.json")],
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
            cwd=tempfile.gettempdir(),
            env={
                "PATH": "/usr/bin:/bin",
                "PYTHONPATH": str(package),
                "PYTHONDONTWRITEBYTECODE": "1",
                "AWS_LAMBDA_FUNCTION_NAME": "contract-analyzer-dev-api",
                "AI_PROVIDERS": "none",
                "CACHE_BACKEND": "memory",
            },
        )
        results.append(json.loads(answer.stdout.strip().splitlines()[-1]))
    return results


def report(label: str, results: list[dict[str, float]]) -> None:
    imports = [r["import_ms"] for r in results]
    firsts = [r["first_ms"] for r in results]
    totals = [r["import_ms"] + r["first_ms"] for r in results]
    statuses = sorted({int(r["status"]) for r in results})
    print(f"  {label}:")
    print(
        f"    import (init)   median {statistics.median(imports):6.0f} ms  min {min(imports):6.0f}"
    )
    print(f"    first request   median {statistics.median(firsts):6.0f} ms  min {min(firsts):6.0f}")
    print(f"    cold path total median {statistics.median(totals):6.0f} ms  (HTTP {statuses}, "
          f"botocore loaded: {any(r['boto'] for r in results)})")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--python", required=True, help="a CPython 3.12 interpreter")
    parser.add_argument("--package", type=Path, default=ROOT / "build" / "lambda")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if not (args.package / "contract_analyzer").is_dir():
        parser.error(f"{args.package} holds no package: run infra/deploy.sh build first")
    with tempfile.TemporaryDirectory() as scratch:
        package = Path(scratch) / "task"
        shutil.copytree(args.package, package)
        for cache in package.rglob("__pycache__"):
            shutil.rmtree(cache, ignore_errors=True)
        size = sum(f.stat().st_size for f in package.rglob("*") if f.is_file()) / 1e6
        print(f"API handler cold start, package {args.package} ({size:.0f} MB), {args.runs} runs")
        report(
            "without bytecode (pip --target, read-only /var/task)",
            run(args.python, package, args.runs),
        )
        subprocess.run(
            [args.python, "-m", "compileall", "-q", "-j", "0", "--invalidation-mode",
             "unchecked-hash", str(package)],
            check=True, capture_output=True,
        )  # fmt: skip
        report(
            "with precompiled bytecode (infra/deploy.sh build)",
            run(args.python, package, args.runs),
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
