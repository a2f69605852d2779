"""Settings of the AI layer, read from the environment.

=========================  =========================================================
Environment variable       Meaning
=========================  =========================================================
``OPENAI_API_KEY``         key of the ``openai`` provider
``OPENAI_BASE_URL``        any OpenAI-compatible server (Ollama, vLLM, llama.cpp...);
                           set alone, without a key, it enables the provider too
``OPENAI_MODEL``           model of the ``openai`` provider
``GEMINI_API_KEY``         key of the ``gemini`` provider (``GOOGLE_API_KEY`` also
                           accepted; ``GEMINI_API_KEY`` wins when both are set)
``GOOGLE_GEMINI_BASE_URL`` another Gemini endpoint (a proxy, a test server)
``GEMINI_MODEL``           model of the ``gemini`` provider
``AI_PROVIDERS``           order of the fallback chain, comma separated
                           (default ``openai,gemini``; ``none`` turns AI off)
``AI_TIMEOUT_SECONDS``     time limit of one provider call (default 20)
``AI_TOTAL_TIMEOUT_SECONDS`` time limit of the whole chain, retries and fallbacks
                           included (default 45)
``AI_MAX_SOURCE_CHARS``    larger sources are not sent to a provider (default 200,000)
``AI_MAX_OUTPUT_TOKENS``   cap on the answer's length (default 8,192)
=========================  =========================================================

The default models are defined here and nowhere else: :data:`DEFAULT_OPENAI_MODEL` and
:data:`DEFAULT_GEMINI_MODEL`, cheap general models current in November 2026 (their
prices are in :mod:`contract_analyzer.ai.pricing`). Keys are :class:`SecretStr`: they
never show in ``repr``, logs, warnings or :func:`describe_providers`.
"""

from __future__ import annotations

import hashlib
from typing import Annotated, Any

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from contract_analyzer.errors import ConfigError

#: OpenAI's current small general model (GA March 2026, no shutdown date announced;
#: gpt-5-mini and gpt-4o-mini have announced shutdowns).
DEFAULT_OPENAI_MODEL = "gpt-5.4-mini"
#: Google's current low-cost Flash model (Gemini 3.5 Flash-Lite); cheaper than the
#: OpenAI default, which suits the fallback.
DEFAULT_GEMINI_MODEL = "gemini-3.5-flash-lite"

KNOWN_PROVIDERS = ("openai", "gemini")
_OFF = ("", "none", "off", "static")


class AISettings(BaseSettings):
    """Configuration of the AI providers (plain environment variables, no prefix)."""

    model_config = SettingsConfigDict(
        extra="ignore", frozen=True, validate_by_name=True, validate_by_alias=True
    )

    openai_api_key: SecretStr | None = Field(default=None, validation_alias="OPENAI_API_KEY")
    openai_base_url: str | None = Field(
        default=None, validation_alias="OPENAI_BASE_URL", repr=False
    )
    openai_model: str = Field(default=DEFAULT_OPENAI_MODEL, validation_alias="OPENAI_MODEL")
    gemini_api_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("GEMINI_API_KEY", "GOOGLE_API_KEY")
    )
    gemini_base_url: str | None = Field(
        default=None, validation_alias="GOOGLE_GEMINI_BASE_URL", repr=False
    )
    gemini_model: str = Field(default=DEFAULT_GEMINI_MODEL, validation_alias="GEMINI_MODEL")
    providers: Annotated[tuple[str, ...], NoDecode] = Field(
        default=KNOWN_PROVIDERS, validation_alias="AI_PROVIDERS"
    )
    timeout_seconds: float = Field(default=20.0, gt=0, validation_alias="AI_TIMEOUT_SECONDS")
    total_timeout_seconds: float = Field(
        default=45.0, gt=0, validation_alias="AI_TOTAL_TIMEOUT_SECONDS"
    )
    max_source_chars: int = Field(default=200_000, ge=1, validation_alias="AI_MAX_SOURCE_CHARS")
    max_output_tokens: int = Field(default=8192, ge=256, validation_alias="AI_MAX_OUTPUT_TOKENS")

    @field_validator("openai_api_key", "gemini_api_key", mode="before")
    @classmethod
    def _blank_key_is_none(cls, value: Any) -> Any:
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @field_validator("openai_base_url", "gemini_base_url", mode="before")
    @classmethod
    def _blank_url_is_none(cls, value: Any) -> Any:
        if isinstance(value, str):
            return value.strip().rstrip("/") or None
        return value

    @field_validator("openai_model", "gemini_model", mode="before")
    @classmethod
    def _blank_model_is_default(cls, value: Any, info: Any) -> Any:
        if isinstance(value, str) and not value.strip():
            return (
                DEFAULT_OPENAI_MODEL if info.field_name == "openai_model" else DEFAULT_GEMINI_MODEL
            )
        return value.strip() if isinstance(value, str) else value

    @field_validator("providers", mode="before")
    @classmethod
    def _split_providers(cls, value: Any) -> Any:
        if isinstance(value, str):
            if value.strip().lower() in _OFF:
                return ()
            value = [part.strip().lower() for part in value.split(",") if part.strip()]
        names = tuple(value)
        unknown = [n for n in names if n not in KNOWN_PROVIDERS]
        if unknown:
            raise ConfigError(
                f"AI_PROVIDERS: unknown provider {unknown[0]!r}; "
                f"choose from {', '.join(KNOWN_PROVIDERS)}"
            )
        return tuple(dict.fromkeys(names))

    # ------------------------------------------------------------------ queries

    def is_configured(self, name: str) -> bool:
        """The provider has what it needs to be called (a key, or a base URL)."""
        if name == "openai":
            return self.openai_api_key is not None or self.openai_base_url is not None
        if name == "gemini":
            return self.gemini_api_key is not None
        return False

    def configured_providers(self) -> tuple[str, ...]:
        """Names of the providers of the chain that can be called, in order."""
        return tuple(name for name in self.providers if self.is_configured(name))

    def model_for(self, name: str) -> str:
        return self.openai_model if name == "openai" else self.gemini_model

    def base_url_for(self, name: str) -> str | None:
        return self.openai_base_url if name == "openai" else self.gemini_base_url

    def secrets(self) -> tuple[str, ...]:
        """Every secret value, for redaction. Never log the result."""
        keys = (self.openai_api_key, self.gemini_api_key)
        return tuple(k.get_secret_value() for k in keys if k is not None and k.get_secret_value())

    def identity(self) -> str:
        """A digest of every setting, secrets included, to tell configurations apart
        without keeping the secrets themselves."""
        parts = [repr(self.model_dump(exclude={"openai_api_key", "gemini_api_key"}))]
        parts.extend(self.secrets())
        return hashlib.sha256("\x00".join(parts).encode()).hexdigest()
