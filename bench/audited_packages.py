"""False alarms on more audited code than OpenZeppelin (see false_alarms.py for that one).

    python bench/audited_packages.py [--reinstall]

Installs a few audited npm packages under bench/.scratch/audited (gitignored), analyses
each package's source folder as a user would (a folder scan: tests, scripts and mocks are
skipped by default) with the security detectors, and prints findings by severity plus
every critical, high and medium one. Exit code 0 always: it measures, it does not judge.
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

# npm package -> the folder with its contracts
PACKAGES = {
    "@uniswap/v2-core": "contracts",
    "@uniswap/v3-core": "contracts",
    "solmate": "src",
    "@openzeppelin/contracts-upgradeable@4.9.6": ".",
}


def install(reinstall: bool) -> Path | None:
    if reinstall and SCRATCH.exists():
        shutil.rmtree(SCRATCH)
    modules = SCRATCH / "node_modules"
    if not modules.exists():
        SCRATCH.mkdir(parents=True, exist_ok=True)
        npm = shutil.which("npm")
        if npm is None:
            print("npm is not installed; cannot fetch the packages")
            return None
        command = [npm, "install", "--silent", "--no-audit", "--no-fund", "--prefix", str(SCRATCH)]
        result = subprocess.run([*command, *PACKAGES], capture_output=True, text=True, check=False)
        if result.returncode != 0:
            print(f"npm install failed: {result.stderr.strip()[-500:]}")
            return None
    return modules


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reinstall", action="store_true")
    args = parser.parse_args()
    modules = install(args.reinstall)
    if modules is None:
        return 0
    for spec, folder in PACKAGES.items():
        name = (
            spec.rsplit("@", 1)[0]
            if spec.count("@") > 1 or (not spec.startswith("@") and "@" in spec)
            else spec
        )
        path = modules / name / folder
        started = time.perf_counter()
        project = analyze_paths([path], analysis_type="security")
        wall = time.perf_counter() - started
        counts = Counter(f.severity for f in project.findings)
        print(f"{spec}: {len(project.reports)} files, {wall:.2f} s, findings {dict(counts)}")
        for report in project.reports:
            for finding in report.findings:
                if finding.severity in ("critical", "high", "medium"):
                    where = Path(report.file).relative_to(modules)
                    print(
                        f"  {finding.severity:<8} {where}:{finding.line_number} {finding.type}: {finding.description[:110]}"
                    )
        print()
    return 0


if __name__ == "__main__":
    main()
    sys.exit(0)
