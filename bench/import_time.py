"""Cold-start import cost of the Lambda API handler (issue: HTTP API). Prints its
figures; asserts nothing.

    python bench/import_time.py [--runs 9] [--module contract_analyzer.aws.lambda_api]
                                [--not-lambda]

Each run is a fresh interpreter started with ``python -X importtime -c "import MODULE"``
(bytecode already compiled, as in a deployed package), in Lambda's environment
(``AWS_LAMBDA_FUNCTION_NAME`` set, so :mod:`contract_analyzer.aws.coldstart` applies;
``--not-lambda`` measures without it). It reports the module's
cumulative import time (min / median over the runs), the heaviest imports of the median
run, and whether an AI SDK, boto3 or the engine slipped in. Target: <= 400 ms on the
project's 2-core machine.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys

_LINE = re.compile(r"^import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)")
FORBIDDEN = (
    "boto3",
    "botocore",
    "openai",
    "google.genai",
    "contract_analyzer.engine",
    "tree_sitter",
)


LAMBDA_ENVIRONMENT = {
    "AWS_LAMBDA_FUNCTION_NAME": "contract-analyzer-api",
    "AUTH_MODE": "api_key",
    "JOBS_BACKEND": "local",
}


def one_run(
    module: str, environment: dict[str, str] | None = None
) -> tuple[float, list[tuple[float, float, str]], list[str]]:
    """(cumulative ms of ``module``, [(self ms, cumulative ms, name)], modules loaded)."""
    code = (
        f"import sys, json; import {module}; "
        "print(json.dumps(sorted(m for m, v in sys.modules.items() if v is not None)))"
    )
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code],
        capture_output=True,
        text=True,
        check=True,
        # Bytecode written and reused, as in the deployed package (built with it).
        env={
            **{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
            **(environment or {}),
        },
    )
    rows: list[tuple[float, float, str]] = []
    total = 0.0
    for line in result.stderr.splitlines():
        match = _LINE.match(line)
        if not match:
            continue
        self_us, cumulative_us, indent, name = match.groups()
        rows.append((int(self_us) / 1000, int(cumulative_us) / 1000, name))
        if name == module and len(indent) == 1:
            total = int(cumulative_us) / 1000
    return total, rows, json.loads(result.stdout)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--module", default="contract_analyzer.aws.lambda_api")
    parser.add_argument("--top", type=int, default=12)
    parser.add_argument("--not-lambda", action="store_true", help="without Lambda's variables")
    args = parser.parse_args()
    environment = None if args.not_lambda else LAMBDA_ENVIRONMENT

    one_run(args.module, environment)  # compile bytecode, warm the file cache
    runs = [one_run(args.module, environment) for _ in range(args.runs)]
    totals = sorted(r[0] for r in runs)
    median_total = statistics.median(totals)
    median_run = min(runs, key=lambda r: abs(r[0] - median_total))
    _, rows, modules = median_run

    where = "outside Lambda" if args.not_lambda else "Lambda's environment"
    print(f"import {args.module}: {args.runs} fresh interpreters, {where}")
    print(f"  cumulative import time: min {totals[0]:.0f} ms, median {median_total:.0f} ms, "
          f"max {totals[-1]:.0f} ms (target <= 400 ms)")  # fmt: skip
    print(f"  modules loaded: {len(modules)}")
    print("  heaviest top-level packages (cumulative ms, median run):")
    packages: dict[str, float] = {}
    for _self_ms, cumulative, name in rows:
        top = name.split(".")[0]
        if "." not in name:
            packages[top] = max(packages.get(top, 0.0), cumulative)
    for name, ms in sorted(packages.items(), key=lambda kv: -kv[1])[: args.top]:
        print(f"    {ms:7.1f}  {name}")
    print("  heaviest single modules (self ms):")
    for self_ms, _cumulative, name in sorted(rows, reverse=True)[: args.top]:
        print(f"    {self_ms:7.1f}  {name}")
    leaked = [m for m in modules if m.startswith(FORBIDDEN)]
    print(f"  AI SDKs / boto3 / engine imported: {', '.join(leaked) if leaked else 'none'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
