"""The recall corpus (bench/corpus) and the safe corpus (bench/corpus_safe) are
well-formed. These tests check the benchmark's inputs, never the analyzer's recall."""

from __future__ import annotations

import importlib.util
import sys
from collections import defaultdict
from pathlib import Path
from types import ModuleType

import pytest

from contract_analyzer.parsing import parse_source

BENCH = Path(__file__).resolve().parent.parent / "bench"
MIN_VULNERABLE_FILES = 60
MIN_FILES_PER_CLASS = 5
MIN_SAFE_FILES = 15
MIN_LINES, MAX_LINES = 30, 200


def _load_labels_module() -> ModuleType:
    name = "bench_corpus_labels"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, BENCH / "corpus_labels.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while being created
    spec.loader.exec_module(module)
    return module


labels_module = _load_labels_module()
VULNERABLE = labels_module.corpus_files(labels_module.CORPUS)
SAFE = labels_module.corpus_files(labels_module.SAFE_CORPUS)


def test_there_are_enough_vulnerable_contracts() -> None:
    assert len(VULNERABLE) >= MIN_VULNERABLE_FILES


def test_there_are_enough_safe_contracts() -> None:
    assert len(SAFE) >= MIN_SAFE_FILES


@pytest.mark.parametrize("path", VULNERABLE + SAFE, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_file_parses_and_has_a_header(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    unit = parse_source(text, str(path))
    assert unit.syntax_problems == []
    assert not unit.wrapped_fragment
    assert unit.contracts, "declares no contract"
    lines = text.splitlines()
    assert lines[0].startswith("// "), "must start with a header comment saying what it models"
    assert MIN_LINES <= len(lines) <= MAX_LINES


@pytest.mark.parametrize("path", VULNERABLE, ids=lambda p: p.name)
def test_vulnerable_file_labels_are_valid(path: Path) -> None:
    labels, problems = labels_module.read_labels(path)
    assert [f"{p.line}: {p.message}" for p in problems] == []
    assert labels, "a vulnerable contract needs at least one // vuln: label"
    for label in labels:
        assert label.cls in labels_module.CLASSES


@pytest.mark.parametrize("path", SAFE, ids=lambda p: p.name)
def test_safe_file_has_no_labels(path: Path) -> None:
    labels, problems = labels_module.read_labels(path)
    assert labels == []
    assert problems == []
    assert "vuln:" not in path.read_text(encoding="utf-8")


def test_every_class_has_enough_labelled_contracts() -> None:
    files: dict[str, set[str]] = defaultdict(set)
    for path in VULNERABLE:
        for label in labels_module.read_labels(path)[0]:
            files[label.cls].add(path.name)
    short = {
        cls: len(files[cls])
        for cls in labels_module.CLASSES
        if len(files[cls]) < MIN_FILES_PER_CLASS
    }
    assert short == {}


def test_label_parser(tmp_path: Path) -> None:
    source = "\n".join(
        [
            "// header",
            "contract A {",
            "    // vuln: reentrancy, unchecked_call",
            "    // vuln: other",
            "    function f() public {}",
            "    // vuln: nonsense",
            "    uint x;",
            "    // vuln: other",
            "",
            "}",
        ]
    )
    path = tmp_path / "label_parser_case.sol"
    path.write_text(source, encoding="utf-8")
    labels, problems = labels_module.read_labels(path)
    assert [(lab.line, lab.cls) for lab in labels] == [
        (5, "reentrancy"),
        (5, "unchecked_call"),
        (5, "other"),
    ]
    assert [(p.line, p.message) for p in problems] == [
        (6, "unknown class 'nonsense'"),
        (8, "label is not followed by a code line"),
    ]


def test_classify_uses_ids_then_swc_then_fragments() -> None:
    classify = labels_module.classify
    assert classify("reentrancy", "SWC-107", "reentrancy")[0] == "reentrancy"
    assert classify("unchecked_erc20_transfer", "SWC-104", "calls")[0] == "other"
    assert classify("some_new_detector", "SWC-115", "x") == ("access_control", "swc")
    assert classify("block_timestamp_thing", None, None) == ("time_manipulation", "id-fragment")
    assert classify("making_things", None, None) == ("other", "unknown")
    assert classify("mystery", None, None) == ("other", "unknown")
