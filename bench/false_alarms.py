"""False alarms on audited code: every .sol of the @openzeppelin/contracts npm package.

    python bench/false_alarms.py                      # latest 5.x
    python bench/false_alarms.py --version 4.9        # latest 4.9.x
    python bench/false_alarms.py --version 5 --version 4.9 [--jobs N] [--reinstall]

Installs the package with ``npm install --prefix bench/.scratch/oz-<version>`` (the
folder is gitignored; an existing install is reused unless --reinstall), copies the
package out of node_modules (the analyzer skips node_modules folders by design), runs
the security detectors over every .sol file with ``analyze_paths`` and prints totals by
severity, every critical/high/medium finding (file:line detector message), and timing.

The goal set by issue 3: zero critical and at most 3 high findings in total.
Prints figures and never fails: the exit code is always 0.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
import traceback
from collections import Counter
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
SCRATCH = BENCH / ".scratch"
PACKAGE = "@openzeppelin/contracts"
sys.path.insert(0, str(ROOT / "src"))

from contract_analyzer.engine import analyze_paths  # noqa: E402
from contract_analyzer.report.models import SEVERITIES  # noqa: E402

LISTED = ("critical", "high", "medium")
GOAL_CRITICAL = 0
GOAL_HIGH = 3


def install(spec: str, reinstall: bool) -> Path | None:
    """Install ``@openzeppelin/contracts@<spec>`` under bench/.scratch and return a copy of
    the package outside node_modules (so the analyzer's default exclusion does not apply)."""
    prefix = SCRATCH / f"oz-{spec}"
    package = prefix / "node_modules" / "@openzeppelin" / "contracts"
    if reinstall and prefix.exists():
        shutil.rmtree(prefix)
    if not (package / "package.json").exists():
        prefix.mkdir(parents=True, exist_ok=True)
        npm = shutil.which("npm")
        if npm is None:
            print("npm is not installed; cannot fetch the package")
            return None
        command = [
            npm,
            "install",
            "--prefix",
            str(prefix),
            "--no-audit",
            "--no-fund",
            "--no-save",
            "--loglevel=error",
            f"{PACKAGE}@{spec}",
        ]
        print("$ " + " ".join(command[1:]))
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0 or not (package / "package.json").exists():
            print(f"npm install failed ({result.returncode}):\n{result.stderr.strip()}")
            return None
    version = json.loads((package / "package.json").read_text(encoding="utf-8"))["version"]
    copy = prefix / f"contracts-{version}"
    if not copy.exists():
        shutil.copytree(package, copy)
    return copy


def run(spec: str, jobs: int | None, reinstall: bool) -> None:
    print(f"=== {PACKAGE}@{spec}")
    folder = install(spec, reinstall)
    if folder is None:
        return
    files = sorted(folder.rglob("*.sol"))
    print(
        f"{PACKAGE} {folder.name.removeprefix('contracts-')}: {len(files)} .sol files in {folder}"
    )
    workers = jobs if jobs is not None else (os.cpu_count() or 1)
    started = time.perf_counter()
    report = analyze_paths([folder], analysis_type="security", jobs=jobs)
    wall = time.perf_counter() - started
    analysed = len(report.reports)

    problems = 0
    for error in report.errors:
        print(f"  error: {error.message}")
        problems += 1
    for file_report in report.reports:
        name = Path(file_report.file).relative_to(folder)
        for warning in file_report.warnings:
            print(f"  {name}: warning: {warning}")
            problems += 1
        for syntax in file_report.syntax_errors:
            print(f"  {name}:{syntax['line']}: syntax: {syntax['message']}")
            problems += 1
    if problems:
        print(f"  ({problems} errors/warnings/syntax problems above)")

    counts: Counter[str] = Counter()
    by_detector: Counter[tuple[str, str]] = Counter()
    listed = []
    for file_report in report.reports:
        name = Path(file_report.file).relative_to(folder)
        for finding in file_report.findings:
            if not finding.counts_for_security:
                continue
            counts[finding.severity] += 1
            by_detector[(finding.severity, finding.type)] += 1
            if finding.severity in LISTED:
                listed.append((SEVERITIES.index(finding.severity), str(name), finding))
    print(
        "Findings by severity: "
        + ", ".join(f"{s} {counts[s]}" for s in SEVERITIES)
        + f" (total {sum(counts.values())})"
    )
    ordered = sorted(by_detector.items(), key=lambda x: (SEVERITIES.index(x[0][0]), x[0][1]))
    print("By detector: " + ", ".join(f"{t} {s} {n}" for (s, t), n in ordered))
    for _, where, finding in sorted(listed, key=lambda x: (x[0], x[1], x[2].line_number)):
        message = " ".join(finding.description.split())
        if len(message) > 160:
            message = message[:157] + "..."
        print(f"  {finding.severity:<8} {where}:{finding.line_number} {finding.type}: {message}")
    ok = counts["critical"] <= GOAL_CRITICAL and counts["high"] <= GOAL_HIGH
    print(
        f"Goal (critical <= {GOAL_CRITICAL}, high <= {GOAL_HIGH}): "
        f"{'met' if ok else 'NOT met'} (critical {counts['critical']}, high {counts['high']})"
    )
    per_file = 1000 * wall / analysed if analysed else 0.0
    print(
        f"Timing: {analysed} files, {wall:.2f} s wall on {workers} worker(s), "
        f"{per_file:.1f} ms per file\n"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--version",
        action="append",
        dest="versions",
        help="npm version spec of @openzeppelin/contracts (repeatable; default: 5)",
    )
    parser.add_argument("--jobs", type=int, default=None, help="processes (default: all cores)")
    parser.add_argument("--reinstall", action="store_true", help="fetch the package again")
    args = parser.parse_args(argv)
    for spec in args.versions or ["5"]:
        try:
            run(spec, args.jobs, args.reinstall)
        except Exception:  # a benchmark reports, it does not fail the build
            traceback.print_exc()
            print(f"run for {PACKAGE}@{spec} could not finish (see the traceback above)\n")
    return 0


if __name__ == "__main__":
    main()
    sys.exit(0)
