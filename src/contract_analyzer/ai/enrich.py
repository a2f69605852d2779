"""The AI layer's one entry point: :func:`enrich_report`.

The static report comes first and always survives. When AI is asked for and a provider
is configured, the chain (``AI_PROVIDERS``, default ``openai,gemini``) is tried in
order:

1. the answer cache, for every provider of the chain (a hit costs nothing);
2. each provider whose circuit breaker is closed, with at most one quick retry after a
   5xx, a connection error or an answer that does not validate (a timeout, a 429 or
   another 4xx moves on at once), within ``AI_TIMEOUT_SECONDS`` per call and
   ``AI_TOTAL_TIMEOUT_SECONDS`` for the whole chain;
3. when every provider fails, the static report, ``service_used="static"``, and a
   warning naming each provider and why it failed (never a key or a URL).

A valid answer is merged by :func:`contract_analyzer.ai.merge.merge_answer` (which no
answer can use to drop a static finding), cached, and priced.
"""

from __future__ import annotations

import copy
import hashlib
import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from pydantic import ValidationError

from contract_analyzer.ai.base import (
    FailureKind,
    LLMRequest,
    LLMResponse,
    Provider,
    ProviderError,
)
from contract_analyzer.ai.breaker import BreakerBoard
from contract_analyzer.ai.cache import AnswerCache, LRUAnswerCache, cache_key
from contract_analyzer.ai.merge import merge_answer
from contract_analyzer.ai.pricing import estimate_cost
from contract_analyzer.ai.prompt import (
    PROMPT_VERSION,
    Answer,
    build_request,
    parse_answer,
    static_findings_digest,
)
from contract_analyzer.ai.settings import AISettings
from contract_analyzer.errors import ConfigError
from contract_analyzer.report.models import Report

logger = logging.getLogger("contract_analyzer.ai")

STATIC = "static"
RETRY_DELAY_SECONDS = 0.2


@dataclass
class Attempt:
    """One step of the chain, for logs and diagnostics (no secrets, no URLs)."""

    provider: str
    model: str
    outcome: str  # "ok", "cache_hit", "skipped", or a FailureKind value
    detail: str = ""
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "provider": self.provider,
            "model": self.model,
            "outcome": self.outcome,
            "detail": self.detail,
            "seconds": round(self.seconds, 6),
        }


@dataclass
class AIResult:
    """The merged report and how it was made.

    ``service_used`` is ``"OpenAI"``, ``"Gemini"`` or ``"static"``; ``model_used`` the
    provider's model (``None`` for static). Token counts and ``cost_usd`` are those of
    this request: zero on a cache hit, ``cost_usd`` ``None`` when the model has no
    price in :mod:`contract_analyzer.ai.pricing`. ``ai_time`` is the seconds spent in
    the AI layer; ``report.processing_time`` includes it. ``warnings`` were also added
    to ``report.warnings``.
    """

    report: Report
    service_used: str = STATIC
    model_used: str | None = None
    provider: str | None = None
    input_tokens: int = 0
    output_tokens: int = 0
    cached_input_tokens: int = 0
    cost_usd: float | None = 0.0
    ai_time: float = 0.0
    cache_hit: bool = False
    warnings: list[str] = field(default_factory=list)
    attempts: list[Attempt] = field(default_factory=list)

    @property
    def total_tokens(self) -> int:
        return self.input_tokens + self.output_tokens

    def to_dict(self) -> dict[str, Any]:
        """Everything but the report, JSON-ready."""
        return {
            "service_used": self.service_used,
            "model_used": self.model_used,
            "input_tokens": self.input_tokens,
            "output_tokens": self.output_tokens,
            "cached_input_tokens": self.cached_input_tokens,
            "total_tokens": self.total_tokens,
            "cost_usd": self.cost_usd,
            "ai_time": round(self.ai_time, 6),
            "cache_hit": self.cache_hit,
            "warnings": list(self.warnings),
            "attempts": [a.to_dict() for a in self.attempts],
        }


def build_providers(settings: AISettings) -> list[Provider]:
    """The configured providers of the chain, in order (no SDK is imported yet)."""
    providers: list[Provider] = []
    for name in settings.configured_providers():
        if name == "openai":
            from contract_analyzer.ai.openai_provider import OpenAIProvider

            key = settings.openai_api_key
            providers.append(
                OpenAIProvider(
                    model=settings.openai_model,
                    api_key=key.get_secret_value() if key else None,
                    base_url=settings.openai_base_url,
                )
            )
        elif name == "gemini" and settings.gemini_api_key is not None:
            from contract_analyzer.ai.gemini_provider import GeminiProvider

            providers.append(
                GeminiProvider(
                    model=settings.gemini_model,
                    api_key=settings.gemini_api_key.get_secret_value(),
                    base_url=settings.gemini_base_url,
                )
            )
    return providers


def provider_key(provider: Provider) -> str:
    """Identity of a provider deployment (breakers are per key)."""
    endpoint = hashlib.sha256(provider.endpoint.encode()).hexdigest()[:16]
    return f"{provider.name}|{provider.model}|{endpoint}"


class AILayer:
    """The provider chain with its cache and breakers. Build one per configuration and
    reuse it (SDK clients and their connections live here); thread-safe."""

    def __init__(
        self,
        settings: AISettings,
        *,
        providers: Sequence[Provider] | None = None,
        cache: AnswerCache | None = None,
        breakers: BreakerBoard | None = None,
        retry_delay: float = RETRY_DELAY_SECONDS,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.settings = settings
        self.providers: list[Provider] = (
            list(providers) if providers is not None else build_providers(settings)
        )
        self.cache: AnswerCache = cache if cache is not None else LRUAnswerCache()
        self.breakers = breakers if breakers is not None else BreakerBoard()
        self.retry_delay = retry_delay
        self._sleep = sleep
        self._secrets = settings.secrets()

    @property
    def enabled(self) -> bool:
        """At least one provider is configured."""
        return bool(self.providers)

    def describe(self) -> list[dict[str, Any]]:
        """The chain for a health endpoint: names, models and breaker states only."""
        described = []
        configured = {p.name: p for p in self.providers}
        for name in self.settings.providers:
            provider = configured.get(name)
            entry: dict[str, Any] = {
                "name": name,
                "service": provider.service if provider else _SERVICES.get(name, name),
                "model": self.settings.model_for(name),
                "configured": provider is not None,
                "custom_endpoint": self.settings.base_url_for(name) is not None,
            }
            if provider is not None:
                entry["circuit"] = self.breakers.get(provider_key(provider)).state
            described.append(entry)
        return described

    def close(self) -> None:
        for provider in self.providers:
            provider.close()

    # ------------------------------------------------------------------ enrich

    def enrich(self, report: Report, source: str, *, use_ai: bool | None = None) -> AIResult:
        """The static ``report`` of ``source``, enriched when AI is wanted and possible.

        ``use_ai``: ``False`` never calls a provider; ``None`` (the default) uses AI
        when a provider is configured; ``True`` does too, and warns when none is. The
        input report is not modified. Never raises for a provider's failure."""
        started = time.perf_counter()
        if use_ai is False:
            return self._static(report, started, [])
        if not self.providers:
            warnings = []
            if use_ai:
                warnings.append(
                    "AI analysis was requested but no AI provider is configured "
                    "(set OPENAI_API_KEY, OPENAI_BASE_URL or GEMINI_API_KEY); "
                    "static results only"
                )
            return self._static(report, started, warnings)
        if len(source) > self.settings.max_source_chars:
            return self._static(
                report,
                started,
                [
                    f"AI analysis skipped: the source has {len(source):,} characters, more "
                    f"than AI_MAX_SOURCE_CHARS ({self.settings.max_source_chars:,}); "
                    "static results only"
                ],
            )
        return self._run_chain(report, source, started)

    def _run_chain(self, report: Report, source: str, started: float) -> AIResult:
        request = build_request(report, source, max_output_tokens=self.settings.max_output_tokens)
        digest = static_findings_digest(report)
        keys = {
            id(p): cache_key(
                source=source,
                analysis_type=report.analysis_type,
                provider=p.name,
                model=p.model,
                endpoint=p.endpoint,
                prompt_version=PROMPT_VERSION,
                findings_digest=digest,
            )
            for p in self.providers
        }
        attempts: list[Attempt] = []
        for provider in self.providers:
            cached = self._cache_get(keys[id(provider)])
            if cached is not None:
                attempts.append(Attempt(provider.name, provider.model, "cache_hit"))
                return self._success(report, source, provider, cached, started, attempts, True)

        deadline = started + self.settings.total_timeout_seconds
        failures: list[str] = []
        for provider in self.providers:
            breaker = self.breakers.get(provider_key(provider))
            if not breaker.allow():
                detail = (
                    f"skipped: failed {breaker.recent_failures()} times in the last "
                    f"{breaker.window:g} s"
                )
                attempts.append(Attempt(provider.name, provider.model, "skipped", detail))
                failures.append(f"{provider.name} ({provider.model}): {detail}")
                continue
            response, answer, error, tries = self._call(provider, request, deadline, attempts)
            if answer is not None and response is not None:
                breaker.record_success()
                entry = {
                    "answer": answer.model_dump(),
                    "input_tokens": response.input_tokens,
                    "output_tokens": response.output_tokens,
                    "cached_input_tokens": response.cached_input_tokens,
                }
                self._cache_set(keys[id(provider)], entry)
                return self._success(report, source, provider, entry, started, attempts, False)
            if tries == 0:  # the budget ran out before this provider: not its fault
                break
            breaker.record_failure()
            detail = error.detail if error else "failed"
            if tries > 1:
                detail += " (retried once)"
            failures.append(f"{provider.name} ({provider.model}): {detail}")
            logger.info("AI provider %s failed: %s", provider.name, self._redact(detail))
            if time.perf_counter() >= deadline:
                break
        skipped = [p for p in self.providers if not any(a.provider == p.name for a in attempts)]
        for provider in skipped:
            failures.append(f"{provider.name} ({provider.model}): not tried, no time left")
        warning = "AI analysis unavailable, static results only: " + "; ".join(failures)
        return self._static(report, started, [warning], attempts)

    def _call(
        self,
        provider: Provider,
        request: LLMRequest,
        deadline: float,
        attempts: list[Attempt],
    ) -> tuple[LLMResponse | None, Answer | None, ProviderError | None, int]:
        error: ProviderError | None = None
        tries = 0
        for attempt in (1, 2):
            remaining = deadline - time.perf_counter()
            if remaining <= 0.05:
                error = error or ProviderError(FailureKind.TIMEOUT, "no time left in the budget")
                break
            tries += 1
            began = time.perf_counter()
            try:
                response = provider.complete(
                    request, timeout=min(self.settings.timeout_seconds, remaining)
                )
                answer = parse_answer(response.text)
            except ProviderError as exc:
                error = exc
            except Exception as exc:  # an SDK bug must not break the analysis
                error = ProviderError(FailureKind.UNEXPECTED, type(exc).__name__)
            else:
                attempts.append(
                    Attempt(provider.name, provider.model, "ok", "", time.perf_counter() - began)
                )
                return response, answer, None, tries
            attempts.append(
                Attempt(
                    provider.name,
                    provider.model,
                    error.kind.value,
                    self._redact(error.detail),
                    time.perf_counter() - began,
                )
            )
            left = deadline - time.perf_counter()
            if attempt == 1 and error.kind.retryable and left > self.retry_delay + 0.05:
                self._sleep(self.retry_delay)
                continue
            break
        return None, None, error, tries

    # ------------------------------------------------------------------ results

    def _success(
        self,
        report: Report,
        source: str,
        provider: Provider,
        entry: dict[str, Any],
        started: float,
        attempts: list[Attempt],
        from_cache: bool,
    ) -> AIResult:
        answer = Answer.model_validate(entry["answer"])
        merged = merge_answer(report, source, answer, service=provider.service)
        warnings = [self._redact(w) for w in merged.warnings]
        merged.report.warnings.extend(warnings)
        ai_time = time.perf_counter() - started
        merged.report.processing_time = report.processing_time + ai_time
        input_tokens = 0 if from_cache else int(entry.get("input_tokens", 0))
        output_tokens = 0 if from_cache else int(entry.get("output_tokens", 0))
        cached_tokens = 0 if from_cache else int(entry.get("cached_input_tokens", 0))
        cost = (
            0.0
            if from_cache
            else estimate_cost(provider.model, input_tokens, output_tokens, cached_tokens)
        )
        return AIResult(
            report=merged.report,
            service_used=provider.service,
            model_used=provider.model,
            provider=provider.name,
            input_tokens=input_tokens,
            output_tokens=output_tokens,
            cached_input_tokens=cached_tokens,
            cost_usd=cost,
            ai_time=ai_time,
            cache_hit=from_cache,
            warnings=warnings,
            attempts=attempts,
        )

    def _static(
        self,
        report: Report,
        started: float,
        warnings: list[str],
        attempts: list[Attempt] | None = None,
    ) -> AIResult:
        result = copy.deepcopy(report)
        clean = [self._redact(w) for w in warnings]
        result.warnings.extend(clean)
        ai_time = time.perf_counter() - started
        result.processing_time = report.processing_time + ai_time
        return AIResult(report=result, ai_time=ai_time, warnings=clean, attempts=attempts or [])

    def _cache_get(self, key: str) -> dict[str, Any] | None:
        try:
            entry = self.cache.get(key)
            if entry is not None:
                Answer.model_validate(entry["answer"])
            return entry
        except Exception:  # a broken store or entry is a miss
            logger.warning("AI answer cache read failed; treating it as a miss")
            return None

    def _cache_set(self, key: str, entry: dict[str, Any]) -> None:
        try:
            self.cache.set(key, entry)
        except Exception:
            logger.warning("AI answer cache write failed; answer not cached")

    def _redact(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, "[redacted]")
        return text


_SERVICES = {"openai": "OpenAI", "gemini": "Gemini"}

# ---------------------------------------------------------------------- module API

_DEFAULT_CACHE: AnswerCache = LRUAnswerCache()
_DEFAULT_BREAKERS = BreakerBoard()
_layers: dict[str, AILayer] = {}
_layers_lock = threading.Lock()


def use_answer_cache(cache: AnswerCache) -> None:
    """Make ``cache`` the answer cache of every shared layer, present and future (the
    service backs it with its result cache store, so an answer is paid for once across
    processes and restarts). Process-wide; the default is an in-process LRU."""
    global _DEFAULT_CACHE  # noqa: PLW0603 - one process-wide default, swapped on purpose
    with _layers_lock:
        _DEFAULT_CACHE = cache
        for layer in _layers.values():
            layer.cache = cache


@lru_cache(maxsize=1)
def get_ai_settings() -> AISettings:
    """The AI settings from the environment, read once. A bad value is a
    :class:`ConfigError` naming the variable (never echoing its value). On AWS, keys
    named by ``*_API_KEY_SECRET_ARN`` are read from Secrets Manager here, at first use
    (:mod:`contract_analyzer.aws.secrets`)."""
    from contract_analyzer.aws.secrets import ai_key_overrides

    try:
        return AISettings(**ai_key_overrides())
    except ValidationError as exc:
        names = sorted({_env_name(error["loc"]) for error in exc.errors()})
        raise ConfigError(f"invalid AI setting: {', '.join(names)}") from None


def _env_name(loc: tuple[int | str, ...]) -> str:
    field_name = str(loc[0]) if loc else "?"
    info = AISettings.model_fields.get(field_name)
    alias = info.validation_alias if info is not None else None
    return alias if isinstance(alias, str) else field_name


def layer_for(settings: AISettings | None = None) -> AILayer:
    """The shared :class:`AILayer` of a configuration (process-wide cache and breakers)."""
    settings = settings if settings is not None else get_ai_settings()
    key = settings.identity()
    with _layers_lock:
        layer = _layers.get(key)
        if layer is None:
            layer = _layers[key] = AILayer(
                settings, cache=_DEFAULT_CACHE, breakers=_DEFAULT_BREAKERS
            )
        return layer


def enrich_report(
    report: Report,
    source: str,
    *,
    settings: AISettings | None = None,
    use_ai: bool | None = None,
) -> AIResult:
    """Enrich the static ``report`` of ``source`` with the first AI provider that
    answers; see :meth:`AILayer.enrich`. ``settings`` default to the environment."""
    return layer_for(settings).enrich(report, source, use_ai=use_ai)


def describe_providers(settings: AISettings | None = None) -> list[dict[str, Any]]:
    """The provider chain for ``/health``: name, display name, model, whether it is
    configured, and its breaker state. Never a key or a URL."""
    return layer_for(settings).describe()


def ai_available(settings: AISettings | None = None) -> bool:
    """At least one AI provider is configured."""
    return layer_for(settings).enabled
