"""Golden reports: the full analysis of every example contract, compared field by field.

Regenerate with ``python scripts/regen_golden.py`` after a deliberate change and commit
the diff with it.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
_spec = importlib.util.spec_from_file_location("regen_golden", ROOT / "scripts" / "regen_golden.py")
assert _spec is not None and _spec.loader is not None
regen = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(regen)

EXAMPLES = sorted((ROOT / "examples").glob("*.sol"))


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_example_matches_its_golden_report(path: Path) -> None:
    golden_file = ROOT / "tests" / "golden" / f"{path.stem}.json"
    assert golden_file.exists(), f"no golden report for {path.name}: run scripts/regen_golden.py"
    expected = json.loads(golden_file.read_text())
    actual = regen.golden_report(path)
    assert actual == expected, (
        f"{path.name}: the analysis changed; if that is intended, run scripts/regen_golden.py "
        "and commit the diff"
    )


def test_every_golden_file_has_its_example() -> None:
    stems = {p.stem for p in EXAMPLES}
    orphans = [g.name for g in (ROOT / "tests" / "golden").glob("*.json") if g.stem not in stems]
    assert not orphans, f"golden reports without an example: {orphans}"
