"""Bad input: a clear error or a partial report with a warning, never a traceback or a hang."""

from __future__ import annotations

import os
import random
import time
from pathlib import Path

import pytest

from contract_analyzer import InputError, UsageError, analyze, analyze_paths
from contract_analyzer.parsing.source import MAX_SOURCE_BYTES


def _timed(source: str) -> tuple[float, object]:
    started = time.perf_counter()
    report = analyze(source)
    return time.perf_counter() - started, report


def test_empty_source_is_an_input_error() -> None:
    for source in ("", "   \n\t  "):
        with pytest.raises(InputError, match="empty"):
            analyze(source)


def test_unknown_analysis_type() -> None:
    with pytest.raises(UsageError, match="unknown analysis type"):
        analyze("contract A {}", analysis_type="everything")


def test_oversized_source_is_refused() -> None:
    with pytest.raises(InputError, match="too large"):
        analyze("// " + "x" * MAX_SOURCE_BYTES)


def test_nul_characters_are_refused() -> None:
    with pytest.raises(InputError, match="NUL"):
        analyze("contract A {}\x00")


def test_random_text_gives_a_partial_report_quickly() -> None:
    rng = random.Random(7)
    noise = "".join(chr(rng.randint(32, 0x2FFF)) for _ in range(20_000))
    elapsed, report = _timed(noise)
    assert elapsed < 5
    assert report.syntax_errors or report.warnings  # type: ignore[attr-defined]


def test_ten_thousand_nested_parentheses() -> None:
    source = (
        "contract A { function f() public { uint x = " + "(" * 10_000 + "1" + ")" * 10_000 + "; } }"
    )
    elapsed, report = _timed(source)
    assert elapsed < 5
    assert any("nested" in w for w in report.warnings)  # type: ignore[attr-defined]


def test_deeply_nested_blocks() -> None:
    source = "contract A { function f() public { " + "{" * 5_000 + "}" * 5_000 + " } }"
    elapsed, report = _timed(source)
    assert elapsed < 5
    assert any("nested" in w for w in report.warnings)  # type: ignore[attr-defined]


def test_long_binary_chain() -> None:
    source = (
        "contract A { function f(uint a) public returns (uint) { return "
        + " + ".join(["a"] * 5_000)
        + "; } }"
    )
    elapsed, _ = _timed(source)
    assert elapsed < 5


def test_unterminated_comment() -> None:
    elapsed, report = _timed(
        "pragma solidity ^0.8.0;\ncontract A {\n /* never closed\n function f() public {}\n"
    )
    assert elapsed < 5
    assert report.syntax_errors  # type: ignore[attr-defined]


def test_two_thousand_functions() -> None:
    body = "\n".join(f"  function f{i}(uint a) public {{ x = a + {i}; }}" for i in range(2_000))
    source = f"pragma solidity ^0.8.0;\ncontract Big {{\n  uint x;\n{body}\n}}\n"
    elapsed, report = _timed(source)
    assert elapsed < 5
    assert report.contracts == ["Big"]  # type: ignore[attr-defined]


def test_files_on_disk(tmp_path: Path) -> None:
    (tmp_path / "good.sol").write_text(
        "pragma solidity ^0.8.0;\ncontract A { function f() public {} }\n"
    )
    (tmp_path / "empty.sol").write_text("")
    (tmp_path / "binary.sol").write_bytes(os.urandom(2048) + b"\x00")
    (tmp_path / "latin1.sol").write_bytes("contract Caf\xe9 {}".encode("latin-1"))
    (tmp_path / "huge.sol").write_bytes(b"// " + b"a" * (MAX_SOURCE_BYTES + 1))
    (tmp_path / "notes.txt").write_text("not solidity")
    project = analyze_paths([tmp_path], jobs=1)
    assert [r.file for r in project.reports] == [str(tmp_path / "good.sol")]
    messages = {Path(e.file).name: e.message for e in project.errors}
    assert set(messages) == {"empty.sol", "binary.sol", "latin1.sol", "huge.sol"}
    assert "empty" in messages["empty.sol"]
    assert "binary" in messages["binary.sol"]
    assert "UTF-8" in messages["latin1.sol"]
    assert "too large" in messages["huge.sol"]
    assert all("\n" not in m for m in messages.values())
