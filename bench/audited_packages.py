"""False alarms on more audited code than OpenZeppelin (see false_alarms.py for that one).

    python bench/audited_packages.py [--reinstall]
    python bench/audited_packages.py --only aave --only safe   # a subset (substring match)

Installs each audited npm package under bench/.scratch/audited/<package> (gitignored; its
own npm prefix, so one failed download skips only that package, with a note), analyses
the package's source folder as a user would (a folder scan: tests, scripts and mocks are
skipped by default) with the security detectors, and prints findings by severity plus
every critical, high and medium one, then a summary table. Exit code 0 always: it
measures, it does not judge.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
SCRATCH = BENCH / ".scratch" / "audited"
sys.path.insert(0, str(ROOT / "src"))

from contract_analyzer.engine import analyze_paths  # noqa: E402

# npm package spec -> the folder with its contracts (relative to the package root)
PACKAGES = {
    "@uniswap/v2-core": "contracts",
    "@uniswap/v3-core": "contracts",
    "@uniswap/v3-periphery": "contracts",
    "@uniswap/v4-core": "src",
    "solmate": "src",
    "@openzeppelin/contracts-upgradeable@4.9.6": ".",
    "@openzeppelin/contracts-upgradeable@5.7.0": ".",  # namespaced (ERC-7201) storage
    "@openzeppelin/contracts@3.4.2": ".",
    "@aave/core-v3": "contracts",
    "@safe-global/safe-contracts@1.4.1": "contracts",
    "@balancer-labs/v2-vault": "contracts",
    # 1.x pulls a git dependency (zksync contracts) from GitHub; 0.8.0 is self-contained
    "@chainlink/contracts@0.8.0": "src",
}


def package_name(spec: str) -> str:
    """`@scope/name@1.2` -> `@scope/name`; `name@1.2` -> `name`."""
    head, sep, _ = spec.rpartition("@")
    return head if sep and head else spec


def install(spec: str, reinstall: bool) -> Path | None:
    """Install one package in its own prefix; None (with a printed note) if that fails."""
    prefix = SCRATCH / spec.replace("/", "_").replace("@", "_").strip("_")
    if reinstall and prefix.exists():
        shutil.rmtree(prefix)
    root = prefix / "node_modules" / package_name(spec)
    if root.exists():
        return root
    npm = shutil.which("npm")
    if npm is None:
        print(f"{spec}: skipped, npm is not installed")
        return None
    prefix.mkdir(parents=True, exist_ok=True)
    command = [npm, "install", "--silent", "--no-audit", "--no-fund", "--ignore-scripts"]
    try:
        result = subprocess.run(
            [*command, "--prefix", str(prefix), spec],
            capture_output=True,
            text=True,
            check=False,
            timeout=600,
        )
    except subprocess.TimeoutExpired:
        print(f"{spec}: skipped, npm install timed out")
        return None
    if result.returncode != 0 or not root.exists():
        print(f"{spec}: skipped, npm install failed: {result.stderr.strip()[-300:]}")
        return None
    return root


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reinstall", action="store_true")
    parser.add_argument("--only", action="append", default=[], help="substring of a package spec")
    args = parser.parse_args()
    rows: list[tuple[str, int, float, Counter[str]]] = []
    for spec, folder in PACKAGES.items():
        if args.only and not any(part in spec for part in args.only):
            continue
        root = install(spec, args.reinstall)
        if root is None:
            continue
        path = root / folder
        started = time.perf_counter()
        project = analyze_paths([path], analysis_type="security")
        wall = time.perf_counter() - started
        counts = Counter(f.severity for f in project.findings)
        rows.append((spec, len(project.reports), wall, counts))
        print(f"{spec}: {len(project.reports)} files, {wall:.2f} s, findings {dict(counts)}")
        for report in project.reports:
            for finding in report.findings:
                if finding.severity in ("critical", "high", "medium"):
                    where = Path(report.file).relative_to(root.parent)
                    print(
                        f"  {finding.severity:<8} {where}:{finding.line_number} {finding.type}: {finding.description[:110]}"
                    )
        print()
    print(f"{'package':<45} {'files':>5} {'time':>7} {'crit':>4} {'high':>4} {'med':>4} {'low':>4}")
    for spec, files, wall, counts in rows:
        print(
            f"{spec:<45} {files:>5} {wall:>6.2f}s {counts['critical']:>4} {counts['high']:>4}"
            f" {counts['medium']:>4} {counts['low']:>4}"
        )
    return 0


if __name__ == "__main__":
    main()
    sys.exit(0)
