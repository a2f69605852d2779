#!/usr/bin/env python3
"""Regenerate the golden reports of the example contracts (tests/golden/*.json).

    python scripts/regen_golden.py

Run it after a deliberate change to what the analyzer reports on examples/, read the diff
(`git diff tests/golden`), and commit both together: tests/test_golden.py fails on any
difference, so an accidental change in findings, lines, severities, messages or
fingerprints cannot slip through.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
GOLDEN = ROOT / "tests" / "golden"
VOLATILE = ("processing_time", "engine_version")


def golden_report(path: Path) -> dict[str, Any]:
    """The full analysis of one example, without the fields that change run to run."""
    from contract_analyzer import analyze

    report = analyze(
        path.read_text(encoding="utf-8"), analysis_type="full", path=path.name
    ).to_dict()
    for key in VOLATILE:
        report.pop(key, None)
    return report


def main() -> int:
    sys.path.insert(0, str(ROOT / "src"))
    GOLDEN.mkdir(parents=True, exist_ok=True)
    for path in sorted(EXAMPLES.glob("*.sol")):
        target = GOLDEN / f"{path.stem}.json"
        target.write_text(json.dumps(golden_report(path), indent=2) + "\n", encoding="utf-8")
        print(f"wrote {target.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
