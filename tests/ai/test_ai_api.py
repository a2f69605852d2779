"""The AI layer behind the HTTP API: real openai/google-genai SDKs, fake LLM server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fake_llm import GEMINI_KEY, OPENAI_KEY, FakeLLMServer
from fastapi.testclient import TestClient

from contract_analyzer.ai import get_ai_settings
from contract_analyzer.config import Settings
from contract_analyzer.service.app import create_app
from contract_analyzer.service.pool import AnalysisPool

BANK = (
    "pragma solidity ^0.8.0;\n\ncontract VulnerableBank {\n"
    "    mapping(address => uint256) public balances;\n    \n"
    "    function withdraw(uint256 amount) public {\n"
    '        (bool success, ) = msg.sender.call{value: amount}("");\n'
    "        balances[msg.sender] -= amount;\n    }\n}"
)


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    app = create_app(Settings(analysis_timeout_seconds=5), pool=AnalysisPool(1))
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def ai_env(monkeypatch: pytest.MonkeyPatch, fake_llm: FakeLLMServer) -> FakeLLMServer:
    monkeypatch.setenv("OPENAI_API_KEY", OPENAI_KEY)
    monkeypatch.setenv("OPENAI_BASE_URL", fake_llm.openai_base_url)
    monkeypatch.setenv("GEMINI_API_KEY", GEMINI_KEY)
    monkeypatch.setenv("GOOGLE_GEMINI_BASE_URL", fake_llm.gemini_base_url)
    monkeypatch.setenv("AI_TIMEOUT_SECONDS", "1")
    get_ai_settings.cache_clear()
    return fake_llm


def test_openai_answers_through_the_api(client: TestClient, ai_env: FakeLLMServer) -> None:
    body = client.post("/analyze", json={"contract_code": BANK, "use_ai": True}).json()
    report = body["analysis_report"]
    assert report["service_used"] == "OpenAI"
    assert report["model_used"] and report["model_used"] != "static"
    static = [f for f in report["vulnerabilities"] if f["source"] == "static"]
    assert {(f["type"], f["line_number"]) for f in static} == {
        ("reentrancy", 7),
        ("unchecked_call", 7),
    }
    assert all(f["ai_verdict"] == "confirmed" for f in static)
    assert any(f["source"] == "OpenAI" for f in report["vulnerabilities"])
    assert report["ai"]["total_tokens"] > 0
    assert ai_env.count("openai") == 1 and ai_env.count("gemini") == 0
    assert OPENAI_KEY not in str(body) and GEMINI_KEY not in str(body)


def test_openai_fails_and_gemini_answers(client: TestClient, ai_env: FakeLLMServer) -> None:
    ai_env.script("openai", "error500", "error500")
    body = client.post("/analyze", json={"contract_code": BANK + "\n// v2", "use_ai": True}).json()
    assert body["analysis_report"]["service_used"] == "Gemini"


def test_both_fail_static_report_with_a_warning(client: TestClient, ai_env: FakeLLMServer) -> None:
    ai_env.script("openai", default="error500")
    ai_env.script("gemini", default="error500")
    response = client.post("/analyze", json={"contract_code": BANK + "\n// v3", "use_ai": True})
    assert response.status_code == 200
    report = response.json()["analysis_report"]
    assert report["service_used"] == "static"
    assert report["overall_security_score"] == 25
    assert any("openai" in w and "gemini" in w and "500" in w for w in report["warnings"])
    assert OPENAI_KEY not in response.text


def test_use_ai_false_never_calls_a_provider(client: TestClient, ai_env: FakeLLMServer) -> None:
    body = client.post("/analyze", json={"contract_code": BANK, "use_ai": False}).json()
    assert body["analysis_report"]["service_used"] == "static"
    assert "ai" not in body["analysis_report"]
    assert ai_env.count() == 0


def test_no_keys_means_static_by_default(client: TestClient, fake_llm: FakeLLMServer) -> None:
    get_ai_settings.cache_clear()
    body = client.post("/analyze", json={"contract_code": BANK}).json()
    assert body["analysis_report"]["service_used"] == "static"
    assert fake_llm.count() == 0


def test_sarif_of_an_ai_review(client: TestClient, ai_env: FakeLLMServer) -> None:
    response = client.post(
        "/analyze?format=sarif", json={"contract_code": BANK + "\n// v4", "use_ai": True}
    )
    assert response.status_code == 200
    rule_ids = {r["ruleId"] for r in response.json()["runs"][0]["results"]}
    assert {"reentrancy", "unchecked_call"} <= rule_ids


def test_batch_with_ai(client: TestClient, ai_env: FakeLLMServer) -> None:
    body = client.post(
        "/analyze/batch", json={"files": {"Bank.sol": BANK + "\n// v5"}, "use_ai": True}
    ).json()
    report = body["analysis_report"]
    assert report["service_used"] == "OpenAI"
    assert report["overall_security_score"] <= 25
