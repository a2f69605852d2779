"""Every detector against its annotated fixtures, both ways (see fixture_annotations)."""

from __future__ import annotations

from pathlib import Path

import pytest

from contract_analyzer.detectors.registry import all_detectors
from contract_analyzer.engine import analyze
from fixture_annotations import FIXTURES, fixture_files, read_annotations

FILES = fixture_files()


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(FIXTURES)) for p in FILES])
def test_fixture(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    expected = read_annotations(text)
    known = {d.id for d in all_detectors()}
    unknown = expected.ids - known
    assert not unknown, f"annotations name unknown detectors: {sorted(unknown)}"
    report = analyze(text, analysis_type="full", path=path.name)
    crashed = [w for w in report.warnings if "failed and was skipped" in w]
    assert not crashed, crashed
    found: dict[str, set[int]] = {}
    for finding in report.findings:
        found.setdefault(finding.type, set()).add(finding.line_number)
    problems = []
    for detector_id in sorted(expected.ids):
        actual = found.get(detector_id, set())
        want = expected.ruleid.get(detector_id, set())
        missed = want - actual
        extra = actual - want
        if missed:
            problems.append(f"{detector_id}: missed lines {sorted(missed)}")
        if extra:
            problems.append(f"{detector_id}: unexpected lines {sorted(extra)}")
        todo_hits = expected.todo.get(detector_id, set()) & actual
        if todo_hits:
            problems.append(
                f"{detector_id}: todoruleid lines {sorted(todo_hits)} now fire: make them ruleid"
            )
    assert not problems, "\n".join(problems)


def test_every_detector_has_fixtures_both_ways() -> None:
    fire: set[str] = set()
    quiet: set[str] = set()
    for path in FILES:
        annotations = read_annotations(path.read_text(encoding="utf-8"))
        fire |= set(annotations.ruleid)
        quiet |= set(annotations.ok)
    ids = {d.id for d in all_detectors()}
    assert not ids - fire, f"detectors without a `ruleid` fixture: {sorted(ids - fire)}"
    assert not ids - quiet, f"detectors without an `ok` fixture: {sorted(ids - quiet)}"
