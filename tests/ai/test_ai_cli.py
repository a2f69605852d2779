"""``contract-analyzer analyze --ai``."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from fake_llm import OPENAI_KEY, FakeLLMServer

from contract_analyzer.cli import main

DATA = Path(__file__).parent / "data"


@pytest.fixture
def contract(tmp_path: Path) -> Path:
    target = tmp_path / "HostileVault.sol"
    shutil.copy(DATA / "HostileVault.sol", target)
    return target


def test_ai_without_provider_warns_once_and_stays_static(
    contract: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plain = main(["analyze", str(contract), "--format", "json"])
    static_out = json.loads(capsys.readouterr().out)
    code = main(["analyze", str(contract), "--format", "json", "--ai"])
    captured = capsys.readouterr()
    assert code == plain
    lines = [line for line in captured.err.splitlines() if line]
    assert len(lines) == 1 and "no AI provider is configured" in lines[0]
    ai_out = json.loads(captured.out)
    assert ai_out["files"][0]["findings"] == static_out["files"][0]["findings"]


def test_ai_with_openai_on_the_fake_server(
    contract: Path,
    fake_llm: FakeLLMServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", OPENAI_KEY)
    monkeypatch.setenv("OPENAI_BASE_URL", fake_llm.openai_base_url)
    monkeypatch.setenv("AI_PROVIDERS", "openai")
    monkeypatch.setenv("AI_TIMEOUT_SECONDS", "2")
    main(["analyze", str(contract), "--format", "json", "--ai"])
    captured = capsys.readouterr()
    report = json.loads(captured.out)["files"][0]
    assert fake_llm.count("openai") == 1
    assert {f["source"] for f in report["findings"]} == {"static", "OpenAI"}
    assert all(
        f.get("ai_verdict") == "confirmed" for f in report["findings"] if f["source"] == "static"
    )
    assert "AI: 1 file(s) reviewed by OpenAI (gpt-5.4-mini)" in captured.err
    assert OPENAI_KEY not in captured.out + captured.err


def test_ai_failure_is_reported_and_static_kept(
    contract: Path,
    fake_llm: FakeLLMServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    fake_llm.script("openai", default="error500")
    monkeypatch.setenv("OPENAI_API_KEY", OPENAI_KEY)
    monkeypatch.setenv("OPENAI_BASE_URL", fake_llm.openai_base_url)
    monkeypatch.setenv("AI_PROVIDERS", "openai")
    code = main(["analyze", str(contract), "--format", "json", "--ai", "--fail-on", "high"])
    captured = capsys.readouterr()
    assert code == 1
    report = json.loads(captured.out)["files"][0]
    assert {f["source"] for f in report["findings"]} == {"static"}
    assert any("AI analysis unavailable" in w for w in report["warnings"])
    assert "AI: unavailable for 1 file(s)" in captured.err


def test_bad_ai_setting_is_a_usage_error(
    contract: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("AI_TIMEOUT_SECONDS", "soon")
    assert main(["analyze", str(contract), "--ai"]) == 2
    assert "invalid AI setting: AI_TIMEOUT_SECONDS" in capsys.readouterr().err
