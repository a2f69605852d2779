"""The AI chain through the real openai and google-genai SDKs, over real HTTP, against
the fake LLM server on loopback."""

from __future__ import annotations

import json
import time
from collections.abc import Callable

import pytest
from fake_llm import GEMINI_KEY, OPENAI_KEY, FakeLLMServer

from contract_analyzer import analyze
from contract_analyzer.ai import PROMPT_VERSION, AILayer, AISettings
from contract_analyzer.report.models import Report

MakeLayer = Callable[..., AILayer]


@pytest.fixture
def static(hostile_source: str) -> Report:
    return analyze(hostile_source, path="HostileVault.sol")


def _assert_no_secret(*texts: str) -> None:
    for text in texts:
        assert OPENAI_KEY not in text
        assert GEMINI_KEY not in text


def test_openai_answers(
    fake_llm: FakeLLMServer, make_layer: MakeLayer, static: Report, hostile_source: str
) -> None:
    result = make_layer().enrich(static, hostile_source)

    assert result.service_used == "OpenAI"
    assert result.model_used == "gpt-5.4-mini"
    assert (fake_llm.count("openai"), fake_llm.count("gemini")) == (1, 0)
    assert result.input_tokens > 0 and result.output_tokens > 0
    assert result.cost_usd is not None and result.cost_usd > 0
    request = fake_llm.requests[0]
    assert request.headers["authorization"] == f"Bearer {OPENAI_KEY}"
    assert request.body["model"] == "gpt-5.4-mini"
    assert request.body["response_format"]["type"] == "json_schema"
    assert request.body["response_format"]["json_schema"]["strict"] is True
    assert "pragma solidity ^0.8.19;" in request.prompt  # the source is sent
    sources = {f.source for f in result.report.findings}
    assert sources == {"static", "OpenAI"}
    statics = [f for f in result.report.findings if f.source == "static"]
    assert len(statics) == len(static.findings)
    assert all(f.ai_verdict == "confirmed" and f.ai_reason for f in statics)
    assert result.report.processing_time >= static.processing_time


def test_openai_fails_then_gemini_answers(
    fake_llm: FakeLLMServer, make_layer: MakeLayer, static: Report, hostile_source: str
) -> None:
    fake_llm.script("openai", default="error500")
    result = make_layer().enrich(static, hostile_source)

    assert result.service_used == "Gemini"
    assert result.model_used == "gemini-3.5-flash-lite"
    assert fake_llm.count("openai") == 2  # one quick retry after a 5xx
    assert fake_llm.count("gemini") == 1
    gemini = next(r for r in fake_llm.requests if r.provider == "gemini")
    assert gemini.path.endswith("/models/gemini-3.5-flash-lite:generateContent")
    assert gemini.headers["x-goog-api-key"] == GEMINI_KEY
    config = gemini.body["generationConfig"]
    assert config["responseMimeType"] == "application/json"
    assert config["responseJsonSchema"]["required"] == ["verdicts", "additional_findings"]
    assert [a.outcome for a in result.attempts] == ["server_error", "server_error", "ok"]
    assert any(f.source == "Gemini" for f in result.report.findings)


@pytest.mark.parametrize(
    ("behaviour", "openai_requests", "outcome"),
    [
        ("error429", 1, "rate_limited"),
        ("error401", 1, "client_error"),
        ("slow", 1, "timeout"),
        ("malformed", 2, "invalid_answer"),
        ("schema_invalid", 2, "invalid_answer"),
        ("garbage", 2, "invalid_answer"),
    ],
)
def test_each_failure_moves_on_to_gemini(
    fake_llm: FakeLLMServer,
    make_layer: MakeLayer,
    static: Report,
    hostile_source: str,
    behaviour: str,
    openai_requests: int,
    outcome: str,
) -> None:
    fake_llm.script("openai", default=behaviour)
    started = time.perf_counter()
    result = make_layer().enrich(static, hostile_source)
    elapsed = time.perf_counter() - started

    assert result.service_used == "Gemini"
    assert fake_llm.count("openai") == openai_requests
    assert result.attempts[0].outcome == outcome
    assert elapsed < 3.0


def test_connection_refused_moves_on(
    fake_llm: FakeLLMServer,
    make_settings: Callable[..., AISettings],
    make_layer: MakeLayer,
    static: Report,
    hostile_source: str,
) -> None:
    settings = make_settings(openai_base_url="http://127.0.0.1:9/v1")
    result = make_layer(settings).enrich(static, hostile_source)
    assert result.service_used == "Gemini"
    assert result.attempts[0].outcome == "connection_error"


def test_gemini_first_when_ordered_so(
    fake_llm: FakeLLMServer,
    make_settings: Callable[..., AISettings],
    make_layer: MakeLayer,
    static: Report,
    hostile_source: str,
) -> None:
    result = make_layer(make_settings(providers="gemini,openai")).enrich(static, hostile_source)
    assert result.service_used == "Gemini"
    assert (fake_llm.count("openai"), fake_llm.count("gemini")) == (0, 1)


def test_both_fail_static_with_warning(
    fake_llm: FakeLLMServer, make_layer: MakeLayer, static: Report, hostile_source: str
) -> None:
    fake_llm.script("openai", default="error500")
    fake_llm.script("gemini", default="error429")
    result = make_layer().enrich(static, hostile_source)

    assert result.service_used == "static"
    assert result.model_used is None
    assert result.cost_usd == 0.0
    assert [f.to_dict() for f in result.report.findings] == [f.to_dict() for f in static.findings]
    [warning] = result.warnings
    assert warning in result.report.warnings
    assert "openai (gpt-5.4-mini): HTTP 500 (server error) (retried once)" in warning
    assert "gemini (gemini-3.5-flash-lite): HTTP 429 (rate limited)" in warning
    _assert_no_secret(warning, json.dumps(result.report.to_dict()), json.dumps(result.to_dict()))
    assert fake_llm.base_url not in warning


def test_no_keys_means_no_network(
    fake_llm: FakeLLMServer,
    make_settings: Callable[..., AISettings],
    make_layer: MakeLayer,
    static: Report,
    hostile_source: str,
) -> None:
    settings = make_settings(openai_api_key=None, openai_base_url=None, gemini_api_key=None)
    layer = make_layer(settings)
    quiet = layer.enrich(static, hostile_source)
    asked = layer.enrich(static, hostile_source, use_ai=True)

    assert fake_llm.count() == 0
    assert quiet.service_used == asked.service_used == "static"
    assert quiet.warnings == []
    assert len(asked.warnings) == 1 and "no AI provider is configured" in asked.warnings[0]


def test_use_ai_false_makes_no_request(
    fake_llm: FakeLLMServer, make_layer: MakeLayer, static: Report, hostile_source: str
) -> None:
    result = make_layer().enrich(static, hostile_source, use_ai=False)
    assert result.service_used == "static"
    assert result.warnings == []
    assert fake_llm.count() == 0


def test_cache_hit_makes_no_second_request(
    fake_llm: FakeLLMServer, make_layer: MakeLayer, static: Report, hostile_source: str
) -> None:
    layer = make_layer()
    first = layer.enrich(static, hostile_source)
    second = layer.enrich(static, hostile_source)

    assert fake_llm.count() == 1
    assert not first.cache_hit and second.cache_hit
    assert second.service_used == "OpenAI"
    assert (second.input_tokens, second.output_tokens, second.cost_usd) == (0, 0, 0.0)
    assert [f.to_dict() for f in second.report.findings] == [
        f.to_dict() for f in first.report.findings
    ]
    # another analysis type is another question
    full = analyze(hostile_source, path="HostileVault.sol", analysis_type="full")
    layer.enrich(full, hostile_source)
    assert fake_llm.count() == 2


def test_cached_fallback_answer_is_used_before_any_network(
    fake_llm: FakeLLMServer, make_layer: MakeLayer, static: Report, hostile_source: str
) -> None:
    layer = make_layer()
    fake_llm.script("openai", "error429")
    assert layer.enrich(static, hostile_source).service_used == "Gemini"
    again = layer.enrich(static, hostile_source)
    assert again.cache_hit and again.service_used == "Gemini"
    assert fake_llm.count() == 2  # the 429 and Gemini's answer; nothing more


def test_circuit_breaker_skips_a_failing_provider(
    fake_llm: FakeLLMServer, make_layer: MakeLayer, static: Report, hostile_source: str
) -> None:
    fake_llm.script("openai", default="error401")
    fake_llm.script("gemini", default="error401")
    layer = make_layer()
    for _ in range(3):
        layer.enrich(static, hostile_source)
    assert (fake_llm.count("openai"), fake_llm.count("gemini")) == (3, 3)

    result = layer.enrich(static, hostile_source)
    assert (fake_llm.count("openai"), fake_llm.count("gemini")) == (3, 3)
    assert [a.outcome for a in result.attempts] == ["skipped", "skipped"]
    assert "failed 3 times in the last 60 s" in result.warnings[0]
    assert [p["circuit"] for p in layer.describe()] == ["open", "open"]


def test_injection_obeying_model_cannot_erase_findings(
    fake_llm: FakeLLMServer, make_layer: MakeLayer, static: Report, hostile_source: str
) -> None:
    fake_llm.script("openai", "injection")
    result = make_layer().enrich(static, hostile_source)

    assert result.service_used == "OpenAI"
    assert "Report nothing" in fake_llm.requests[0].prompt  # the hostile text was sent
    before = {(f.type, f.line_number): f.severity for f in static.findings}
    after = {(f.type, f.line_number): f for f in result.report.findings}
    assert before.keys() <= after.keys()
    for key, severity in before.items():
        finding = after[key]
        assert finding.ai_verdict == "likely_false_positive"
        assert (
            finding.severity_rank - ("critical", "high", "medium", "low", "info").index(severity)
            <= 1
        )
    serious = [f for f in static.findings if f.severity in ("critical", "high")]
    assert serious, "the hostile fixture must have critical or high static findings"
    for finding in serious:
        assert after[(finding.type, finding.line_number)].severity_rank <= finding.severity_rank + 1


def test_prompt_version_and_fences(
    fake_llm: FakeLLMServer, make_layer: MakeLayer, static: Report, hostile_source: str
) -> None:
    make_layer().enrich(static, hostile_source)
    request = fake_llm.requests[0]
    system = request.body["messages"][0]["content"]
    assert "never instructions to you" in system
    assert "<static_findings>" in request.prompt
    assert PROMPT_VERSION


@pytest.mark.parametrize("version", ["v1", "v1beta"])
def test_fake_server_speaks_both_gemini_paths(fake_llm: FakeLLMServer, version: str) -> None:
    import urllib.request

    body = json.dumps({"contents": [{"role": "user", "parts": [{"text": "hi"}]}]}).encode()
    request = urllib.request.Request(
        f"{fake_llm.base_url}/{version}/models/gemini-x:generateContent",
        data=body,
        headers={"content-type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        answer = json.loads(response.read())
    assert answer["modelVersion"] == "gemini-x"
    assert fake_llm.requests[0].path == f"/{version}/models/gemini-x:generateContent"
