"""Optional AI analysis on top of the static engine.

::

    from contract_analyzer import analyze
    from contract_analyzer.ai import AISettings, enrich_report

    report = analyze(source)
    result = enrich_report(report, source, settings=AISettings(), use_ai=None)
    result.report            # static findings annotated + AI findings (``source`` says whose)
    result.service_used      # "OpenAI", "Gemini" or "static"

Modules: ``settings`` (environment, default models), ``pricing`` (dated price table),
``base`` (provider protocol), ``openai_provider`` / ``gemini_provider`` (the SDKs,
imported only when first called), ``prompt`` (prompt, schema, answer parsing),
``merge`` (the rules no answer can bend), ``breaker``, ``cache``, ``enrich`` (the chain).
Importing this package imports no SDK.
"""

from contract_analyzer.ai.base import FailureKind, LLMRequest, LLMResponse, Provider, ProviderError
from contract_analyzer.ai.breaker import BreakerBoard, CircuitBreaker
from contract_analyzer.ai.cache import AnswerCache, LRUAnswerCache
from contract_analyzer.ai.enrich import (
    AILayer,
    AIResult,
    Attempt,
    ai_available,
    describe_providers,
    enrich_report,
    get_ai_settings,
    layer_for,
)
from contract_analyzer.ai.pricing import PRICES_AS_OF, estimate_cost
from contract_analyzer.ai.prompt import PROMPT_VERSION
from contract_analyzer.ai.settings import DEFAULT_GEMINI_MODEL, DEFAULT_OPENAI_MODEL, AISettings

__all__ = [
    "DEFAULT_GEMINI_MODEL",
    "DEFAULT_OPENAI_MODEL",
    "PRICES_AS_OF",
    "PROMPT_VERSION",
    "AILayer",
    "AIResult",
    "AISettings",
    "AnswerCache",
    "Attempt",
    "BreakerBoard",
    "CircuitBreaker",
    "FailureKind",
    "LLMRequest",
    "LLMResponse",
    "LRUAnswerCache",
    "Provider",
    "ProviderError",
    "ai_available",
    "describe_providers",
    "enrich_report",
    "estimate_cost",
    "get_ai_settings",
    "layer_for",
]
