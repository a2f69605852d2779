"""The chain with in-process fake providers: retries, budget, breaker, cache, secrets,
settings, pricing, and the lazy SDK imports."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import pytest
from fake_llm import GEMINI_KEY, OPENAI_KEY, valid_answer

from contract_analyzer import analyze
from contract_analyzer.ai import (
    DEFAULT_GEMINI_MODEL,
    DEFAULT_OPENAI_MODEL,
    AILayer,
    AISettings,
    BreakerBoard,
    CircuitBreaker,
    FailureKind,
    LLMRequest,
    LLMResponse,
    LRUAnswerCache,
    ProviderError,
    describe_providers,
    estimate_cost,
)
from contract_analyzer.ai.pricing import PRICES, price_for
from contract_analyzer.errors import ConfigError
from contract_analyzer.report.models import Report

Outcome = ProviderError | Exception | Callable[[LLMRequest], LLMResponse]


class FakeProvider:
    """A provider that plays a script: a ProviderError or exception to raise, or a
    function of the request that answers; the last entry repeats."""

    def __init__(self, name: str, service: str, *script: Outcome) -> None:
        self.name = name
        self.service = service
        self.model = f"{name}-model"
        self.endpoint = f"memory://{name}"
        self.script = list(script) or [answering()]
        self.calls: list[float] = []
        self.closed = False

    def complete(self, request: LLMRequest, *, timeout: float) -> LLMResponse:
        self.calls.append(timeout)
        step = self.script.pop(0) if len(self.script) > 1 else self.script[0]
        if isinstance(step, Exception):
            raise step
        return step(request)

    def close(self) -> None:
        self.closed = True


def answering(answer: dict[str, Any] | None = None) -> Callable[[LLMRequest], LLMResponse]:
    def respond(request: LLMRequest) -> LLMResponse:
        body = answer if answer is not None else valid_answer(request.user)
        return LLMResponse(json.dumps(body), "m", input_tokens=1000, output_tokens=200)

    return respond


def fail(kind: FailureKind) -> ProviderError:
    return ProviderError(kind, f"{kind.value} happened")


@pytest.fixture
def report(hostile_source: str) -> Report:
    return analyze(hostile_source, path="HostileVault.sol")


def _layer(*providers: FakeProvider, **kwargs: Any) -> AILayer:
    settings = kwargs.pop("settings", None) or AISettings(timeout_seconds=1.0)
    kwargs.setdefault("cache", LRUAnswerCache())
    kwargs.setdefault("breakers", BreakerBoard())
    kwargs.setdefault("retry_delay", 0.0)
    return AILayer(settings, providers=list(providers), **kwargs)


@pytest.mark.parametrize(
    ("kind", "calls"),
    [
        (FailureKind.SERVER_ERROR, 2),
        (FailureKind.CONNECTION, 2),
        (FailureKind.INVALID_ANSWER, 2),
        (FailureKind.TIMEOUT, 1),
        (FailureKind.RATE_LIMITED, 1),
        (FailureKind.CLIENT_ERROR, 1),
    ],
)
def test_retry_policy(report: Report, hostile_source: str, kind: FailureKind, calls: int) -> None:
    first = FakeProvider("openai", "OpenAI", fail(kind))
    second = FakeProvider("gemini", "Gemini")
    result = _layer(first, second).enrich(report, hostile_source)
    assert len(first.calls) == calls
    assert result.service_used == "Gemini"


def test_a_retry_that_succeeds_stays_on_the_provider(report: Report, hostile_source: str) -> None:
    first = FakeProvider("openai", "OpenAI", fail(FailureKind.SERVER_ERROR), answering())
    second = FakeProvider("gemini", "Gemini")
    result = _layer(first, second).enrich(report, hostile_source)
    assert result.service_used == "OpenAI"
    assert len(first.calls) == 2 and not second.calls
    assert result.warnings == []


def test_an_sdk_bug_is_a_failure_not_a_crash(report: Report, hostile_source: str) -> None:
    first = FakeProvider("openai", "OpenAI", KeyError("boom"))
    result = _layer(first).enrich(report, hostile_source)
    assert result.service_used == "static"
    assert "KeyError" in result.warnings[0]


def test_tokens_and_cost(report: Report, hostile_source: str) -> None:
    provider = FakeProvider("openai", "OpenAI")
    provider.model = DEFAULT_OPENAI_MODEL
    result = _layer(provider).enrich(report, hostile_source)
    assert (result.input_tokens, result.output_tokens, result.total_tokens) == (1000, 200, 1200)
    assert result.cost_usd == pytest.approx(estimate_cost(DEFAULT_OPENAI_MODEL, 1000, 200))
    data = result.to_dict()
    assert data["service_used"] == "OpenAI" and data["model_used"] == DEFAULT_OPENAI_MODEL
    assert data["attempts"][0]["outcome"] == "ok"


def test_unknown_model_has_no_cost(report: Report, hostile_source: str) -> None:
    result = _layer(FakeProvider("openai", "OpenAI")).enrich(report, hostile_source)
    assert result.cost_usd is None


def test_time_budget_stops_the_chain(report: Report, hostile_source: str) -> None:
    settings = AISettings(timeout_seconds=1.0, total_timeout_seconds=0.01)
    first = FakeProvider("openai", "OpenAI")
    result = _layer(first, settings=settings).enrich(report, hostile_source)
    assert result.service_used == "static"
    assert not first.calls
    assert "no time left" in result.warnings[0]


def test_each_call_gets_the_configured_timeout(report: Report, hostile_source: str) -> None:
    provider = FakeProvider("openai", "OpenAI")
    _layer(provider, settings=AISettings(timeout_seconds=0.7)).enrich(report, hostile_source)
    assert provider.calls == [pytest.approx(0.7)]


def test_source_over_the_limit_is_not_sent(report: Report, hostile_source: str) -> None:
    provider = FakeProvider("openai", "OpenAI")
    layer = _layer(provider, settings=AISettings(max_source_chars=100))
    result = layer.enrich(report, hostile_source)
    assert not provider.calls
    assert "AI_MAX_SOURCE_CHARS" in result.warnings[0]


class _BrokenCache:
    def get(self, key: str) -> dict[str, Any] | None:
        raise OSError("disk gone")

    def set(self, key: str, value: dict[str, Any]) -> None:
        raise OSError("disk gone")


def test_a_broken_cache_is_a_miss(report: Report, hostile_source: str) -> None:
    provider = FakeProvider("openai", "OpenAI")
    result = _layer(provider, cache=_BrokenCache()).enrich(report, hostile_source)
    assert result.service_used == "OpenAI"


def test_cache_is_keyed_by_the_static_findings(report: Report, hostile_source: str) -> None:
    provider = FakeProvider("openai", "OpenAI")
    layer = _layer(provider)
    layer.enrich(report, hostile_source)
    fewer = analyze(hostile_source, path="HostileVault.sol")
    fewer.findings = fewer.findings[:1]
    layer.enrich(fewer, hostile_source)
    layer.enrich(report, hostile_source)
    assert len(provider.calls) == 2


def test_lru_cache_evicts_the_oldest() -> None:
    cache = LRUAnswerCache(max_entries=2)
    cache.set("a", {"n": 1})
    cache.set("b", {"n": 2})
    assert cache.get("a") == {"n": 1}
    cache.set("c", {"n": 3})
    assert cache.get("b") is None and cache.get("a") == {"n": 1} and len(cache) == 2
    value = cache.get("c")
    assert value is not None
    value["n"] = 99
    assert cache.get("c") == {"n": 3}


def test_circuit_breaker_opens_and_half_opens() -> None:
    now = [0.0]
    breaker = CircuitBreaker(threshold=3, window=60, cooldown=30, clock=lambda: now[0])
    for _ in range(3):
        assert breaker.allow()
        breaker.record_failure()
        now[0] += 1
    assert not breaker.allow() and breaker.state == "open"
    now[0] = 2 + 30  # cooldown after the last failure: one trial goes through
    assert breaker.allow()
    breaker.record_success()
    assert breaker.recent_failures() == 0 and breaker.state == "closed"
    for _ in range(3):
        breaker.record_failure()
    now[0] += 61  # the failures leave the window
    assert breaker.allow()


def test_breaker_skips_without_calling(report: Report, hostile_source: str) -> None:
    first = FakeProvider("openai", "OpenAI", fail(FailureKind.RATE_LIMITED))
    second = FakeProvider("gemini", "Gemini")
    layer = _layer(first, second)
    for _ in range(3):
        layer.cache = LRUAnswerCache()
        layer.enrich(report, hostile_source)
    layer.cache = LRUAnswerCache()
    result = layer.enrich(report, hostile_source)
    assert len(first.calls) == 3
    assert result.service_used == "Gemini"
    assert result.attempts[0].outcome == "skipped"


def test_warnings_never_carry_secrets(report: Report, hostile_source: str) -> None:
    leaky = FakeProvider("openai", "OpenAI", fail(FailureKind.CLIENT_ERROR))
    leaky.script = [ProviderError(FailureKind.CLIENT_ERROR, f"bad key {OPENAI_KEY}")]
    settings = AISettings(openai_api_key=OPENAI_KEY, gemini_api_key=GEMINI_KEY)
    result = _layer(leaky, settings=settings).enrich(report, hostile_source)
    text = json.dumps([result.to_dict(), result.report.to_dict()])
    assert OPENAI_KEY not in text and "[redacted]" in text


def test_describe_providers_shows_names_and_models_only() -> None:
    settings = AISettings(
        openai_api_key=OPENAI_KEY,
        openai_base_url="http://user:pw@llm.internal:8000/v1",
        gemini_api_key=GEMINI_KEY,
    )
    described = describe_providers(settings)
    assert [(d["name"], d["model"], d["configured"]) for d in described] == [
        ("openai", DEFAULT_OPENAI_MODEL, True),
        ("gemini", DEFAULT_GEMINI_MODEL, True),
    ]
    text = json.dumps(described) + repr(settings) + str(settings)
    for secret in (OPENAI_KEY, GEMINI_KEY, "pw@", "llm.internal"):
        assert secret not in text


def test_settings_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOOGLE_API_KEY", "google-key")
    monkeypatch.setenv("AI_PROVIDERS", " Gemini ,openai,gemini")
    monkeypatch.setenv("AI_TIMEOUT_SECONDS", "2.5")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://localhost:11434/v1/")
    monkeypatch.setenv("OPENAI_MODEL", "qwen3:8b")
    settings = AISettings()
    assert settings.providers == ("gemini", "openai")
    assert settings.configured_providers() == ("gemini", "openai")  # a base URL suffices
    assert settings.gemini_api_key is not None
    assert settings.gemini_api_key.get_secret_value() == "google-key"
    assert settings.openai_base_url == "http://localhost:11434/v1"
    assert settings.openai_model == "qwen3:8b"
    assert settings.timeout_seconds == 2.5
    monkeypatch.setenv("GEMINI_API_KEY", "gemini-key")
    assert AISettings().gemini_api_key.get_secret_value() == "gemini-key"  # type: ignore[union-attr]
    monkeypatch.setenv("AI_PROVIDERS", "none")
    assert AISettings().configured_providers() == ()


def test_unknown_provider_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="unknown provider 'claude'"):
        AISettings(providers="openai,claude")


def test_blank_values_mean_unset() -> None:
    settings = AISettings(openai_api_key=" ", gemini_api_key="", openai_model="")
    assert settings.configured_providers() == ()
    assert settings.openai_model == DEFAULT_OPENAI_MODEL


def test_default_models_have_prices() -> None:
    assert price_for(DEFAULT_OPENAI_MODEL) is not None
    assert price_for(DEFAULT_GEMINI_MODEL) is not None
    assert price_for("gpt-5.4-mini-2026-03-17") == PRICES["gpt-5.4-mini"]
    assert price_for("models/gemini-2.5-flash") == PRICES["gemini-2.5-flash"]
    assert price_for("gpt-5.4-mini-high") is None
    assert price_for("llama3.1:8b") is None
    # 1M fresh input + 1M output, and the cached share at its own price
    assert estimate_cost("gpt-5.4-mini", 1_000_000, 1_000_000) == pytest.approx(5.25)
    assert estimate_cost("gpt-5.4-mini", 1_000_000, 0, 1_000_000) == pytest.approx(0.075)


def test_importing_the_ai_layer_imports_no_sdk() -> None:
    code = (
        "import sys, contract_analyzer.ai, contract_analyzer.ai.project, contract_analyzer.cli;"
        "from contract_analyzer.ai import AISettings, AILayer;"
        "AILayer(AISettings(openai_api_key='k', gemini_api_key='k'));"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('openai', 'httpx2')"
        " or m.startswith('google.genai')];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_close_closes_providers() -> None:
    provider = FakeProvider("openai", "OpenAI")
    _layer(provider).close()
    assert provider.closed


def test_a_missing_sdk_is_a_clear_failure(
    monkeypatch: pytest.MonkeyPatch, report: Report, hostile_source: str
) -> None:
    monkeypatch.setitem(sys.modules, "openai", None)  # import openai -> ImportError
    settings = AISettings(openai_api_key=OPENAI_KEY, providers="openai")
    layer = AILayer(settings, cache=LRUAnswerCache(), breakers=BreakerBoard())
    result = layer.enrich(report, hostile_source)
    assert result.service_used == "static"
    assert "the openai package is not installed" in result.warnings[0]
