"""Generated documentation stays in step with the code."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).parent.parent


def test_detector_catalogue_is_current() -> None:
    spec = importlib.util.spec_from_file_location("gen", ROOT / "scripts" / "gen_detector_docs.py")
    assert spec is not None and spec.loader is not None
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    current = (ROOT / "docs" / "detectors.md").read_text(encoding="utf-8")
    assert current == gen.render(), "docs/detectors.md is stale: run scripts/gen_detector_docs.py"
