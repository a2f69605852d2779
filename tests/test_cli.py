"""The command line: formats, exit codes, errors in one line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from contract_analyzer.cli import main

EXAMPLES = Path(__file__).parent.parent / "examples"


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "contract_analyzer.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_text_output_and_exit_zero(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["analyze", str(EXAMPLES / "VulnerableBank.sol"), "--color", "never"])
    out = capsys.readouterr().out
    assert code == 0
    assert "7:28" in out and "reentrancy" in out and "unchecked_call" in out
    assert "security score 25/100" in out


def test_fail_on_threshold(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze", str(EXAMPLES / "VulnerableBank.sol"), "--fail-on", "critical"]) == 1
    assert (
        main(
            ["analyze", str(EXAMPLES / "VulnerableBank.sol"), "--fail-on", "high", "--type", "gas"]
        )
        == 0
    )
    capsys.readouterr()


def test_json_output_to_file(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    assert main(["analyze", str(EXAMPLES), "--format", "json", "--output", str(target)]) == 0
    data = json.loads(target.read_text())
    assert data["schema_version"] == "1.0"
    files = {Path(f["file"]).name for f in data["files"]}
    assert {"VulnerableBank.sol", "LegacyBank.sol"} <= files


def test_missing_path_is_one_line_and_exit_two() -> None:
    result = run_cli("analyze", "does/not/exist.sol")
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "no such file" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_option_is_one_line_and_exit_two() -> None:
    result = run_cli("analyze", "--type", "nonsense", "x.sol")
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0


def test_bad_file_among_good_ones(tmp_path: Path) -> None:
    (tmp_path / "a.sol").write_text("pragma solidity ^0.8.0;\ncontract A {}\n")
    (tmp_path / "b.sol").write_bytes(b"\x00\x01\x02")
    result = run_cli("analyze", str(tmp_path), "--format", "json")
    assert result.returncode == 2
    assert "b.sol" in result.stderr and "binary" in result.stderr
    data = json.loads(result.stdout)
    assert [Path(f["file"]).name for f in data["files"]] == ["a.sol"]


def test_detectors_listing() -> None:
    result = run_cli("detectors", "--format", "json")
    assert result.returncode == 0
    detectors = json.loads(result.stdout)
    ids = {d["id"] for d in detectors}
    assert {"reentrancy", "unchecked_call"} <= ids
    for detector in detectors:
        assert detector["severity"] in ("critical", "high", "medium", "low", "info")
        assert detector["description"] and detector["recommendation"]


def test_folder_scan_in_parallel_matches_sequential(tmp_path: Path) -> None:
    source = (EXAMPLES / "VulnerableBank.sol").read_text()
    for i in range(12):
        (tmp_path / f"Bank{i}.sol").write_text(source.replace("VulnerableBank", f"Bank{i}"))
    parallel = run_cli("analyze", str(tmp_path), "--format", "json", "--jobs", "2")
    sequential = run_cli("analyze", str(tmp_path), "--format", "json", "--jobs", "1")
    assert parallel.returncode == sequential.returncode == 0

    def findings(out: str) -> list[tuple[str, str, int]]:
        data = json.loads(out)
        return sorted(
            (f["file"], f["type"], f["line_number"]) for r in data["files"] for f in r["findings"]
        )

    assert findings(parallel.stdout) == findings(sequential.stdout)
    assert len(findings(parallel.stdout)) == 24
