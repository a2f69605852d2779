"""The provider protocol: one structured-JSON completion, or a classified failure.

A provider turns an :class:`LLMRequest` (system text, user text, JSON schema) into an
:class:`LLMResponse` (the answer's text and token counts), or raises
:class:`ProviderError` with a :class:`FailureKind`. It does no retries and no
validation of the answer's content: the chain does both. Failure details are written
by us (status codes, kinds), never copied from an SDK's exception text, so they cannot
carry a key, a URL with credentials or a server's echo of the prompt.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol, runtime_checkable


class FailureKind(StrEnum):
    TIMEOUT = "timeout"
    RATE_LIMITED = "rate_limited"
    SERVER_ERROR = "server_error"
    CONNECTION = "connection_error"
    INVALID_ANSWER = "invalid_answer"
    CLIENT_ERROR = "client_error"
    UNEXPECTED = "unexpected_error"

    @property
    def retryable(self) -> bool:
        """Worth one quick retry on the same provider. A timeout is not (the retry
        would double the wait); a 429 is not (a quick retry meets the same limit); a
        4xx such as a bad key or an unknown model will not heal."""
        return self in _RETRYABLE


_RETRYABLE = frozenset(
    {FailureKind.SERVER_ERROR, FailureKind.CONNECTION, FailureKind.INVALID_ANSWER}
)


class ProviderError(Exception):
    """A provider call failed. ``detail`` is short, ours, and free of secrets."""

    def __init__(self, kind: FailureKind, detail: str, *, status: int | None = None) -> None:
        super().__init__(f"{kind.value}: {detail}")
        self.kind = kind
        self.detail = detail
        self.status = status


@dataclass(frozen=True)
class LLMRequest:
    """What to ask: instructions, the material, and the JSON schema of the answer."""

    system: str
    user: str
    schema: dict[str, Any]
    schema_name: str
    max_output_tokens: int


@dataclass(frozen=True)
class LLMResponse:
    """The answer's text (JSON expected) and what it cost in tokens."""

    text: str
    model: str
    input_tokens: int = 0
    output_tokens: int = 0
    cached_input_tokens: int = 0


@runtime_checkable
class Provider(Protocol):
    """An LLM behind one small interface.

    ``name`` is the configuration name (``openai``), ``service`` the display name that
    reports show (``OpenAI``), ``model`` the model asked for, ``endpoint`` what tells
    two deployments of the same provider apart (hashed into cache keys, never shown).
    """

    name: str
    service: str
    model: str
    endpoint: str

    def complete(self, request: LLMRequest, *, timeout: float) -> LLMResponse:
        """One call, no retries. Raises :class:`ProviderError`."""
        ...

    def close(self) -> None:
        """Release connections."""
        ...


def missing_sdk(package: str) -> ProviderError:
    """The failure when the provider's SDK is not installed."""
    return ProviderError(
        FailureKind.CLIENT_ERROR,
        f"the {package} package is not installed (pip install 'contract-analyzer[ai]')",
    )


def status_failure(status: int) -> ProviderError:
    """The failure for an HTTP error status."""
    if status == 429:
        return ProviderError(FailureKind.RATE_LIMITED, "HTTP 429 (rate limited)", status=status)
    if status >= 500:
        return ProviderError(
            FailureKind.SERVER_ERROR, f"HTTP {status} (server error)", status=status
        )
    if status in (401, 403):
        return ProviderError(
            FailureKind.CLIENT_ERROR, f"HTTP {status} (key rejected)", status=status
        )
    if status == 404:
        return ProviderError(
            FailureKind.CLIENT_ERROR, "HTTP 404 (unknown model or endpoint)", status=status
        )
    return ProviderError(FailureKind.CLIENT_ERROR, f"HTTP {status}", status=status)
