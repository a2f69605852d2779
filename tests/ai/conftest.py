"""Fixtures of the AI tests: a clean environment, the fake LLM server, settings and
layers pointed at it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fake_llm import GEMINI_KEY, OPENAI_KEY, FakeLLMServer

from contract_analyzer.ai import (
    AILayer,
    AISettings,
    BreakerBoard,
    LRUAnswerCache,
    get_ai_settings,
)

DATA = Path(__file__).parent / "data"
_AI_ENV = (
    "OPENAI_API_KEY",
    "OPENAI_BASE_URL",
    "OPENAI_MODEL",
    "GEMINI_API_KEY",
    "GOOGLE_API_KEY",
    "GOOGLE_GEMINI_BASE_URL",
    "GEMINI_MODEL",
    "AI_PROVIDERS",
    "AI_TIMEOUT_SECONDS",
    "AI_TOTAL_TIMEOUT_SECONDS",
    "AI_MAX_SOURCE_CHARS",
    "AI_MAX_OUTPUT_TOKENS",
    "GOOGLE_GENAI_USE_VERTEXAI",
    "OPENAI_ORG_ID",
    "OPENAI_PROJECT_ID",
)


@pytest.fixture(autouse=True)
def _clean_ai_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in _AI_ENV:
        monkeypatch.delenv(name, raising=False)
    get_ai_settings.cache_clear()
    yield
    get_ai_settings.cache_clear()


@pytest.fixture
def fake_llm() -> Iterator[FakeLLMServer]:
    server = FakeLLMServer()
    server.slow_seconds = 1.5
    with server:
        yield server


@pytest.fixture
def make_settings(fake_llm: FakeLLMServer) -> Callable[..., AISettings]:
    """Settings with both providers on the fake server and ~1 s timeouts."""

    def make(**overrides: Any) -> AISettings:
        values: dict[str, Any] = {
            "openai_api_key": OPENAI_KEY,
            "openai_base_url": fake_llm.openai_base_url,
            "gemini_api_key": GEMINI_KEY,
            "gemini_base_url": fake_llm.gemini_base_url,
            "timeout_seconds": 0.75,
            "total_timeout_seconds": 5.0,
        }
        values.update(overrides)
        return AISettings(**values)

    return make


@pytest.fixture
def make_layer(make_settings: Callable[..., AISettings]) -> Iterator[Callable[..., AILayer]]:
    """Layers with their own cache and breakers (closed at the end of the test)."""
    layers: list[AILayer] = []

    def make(settings: AISettings | None = None, **kwargs: Any) -> AILayer:
        kwargs.setdefault("cache", LRUAnswerCache())
        kwargs.setdefault("breakers", BreakerBoard())
        kwargs.setdefault("retry_delay", 0.01)
        layer = AILayer(settings or make_settings(), **kwargs)
        layers.append(layer)
        return layer

    yield make
    for layer in layers:
        layer.close()


@pytest.fixture
def hostile_source() -> str:
    return (DATA / "HostileVault.sol").read_text(encoding="utf-8")
