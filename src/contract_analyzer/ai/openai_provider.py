"""The ``openai`` provider: Chat Completions with a strict JSON schema, through the
official ``openai`` SDK (imported on first use).

Any OpenAI-compatible server works through ``OPENAI_BASE_URL``: Ollama
(``http://localhost:11434/v1``), vLLM (``http://host:8000/v1``), llama.cpp's
``llama-server`` (``http://host:8080/v1``). Such servers usually ignore the key; when
none is set, a placeholder is sent.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from contract_analyzer.ai.base import (
    FailureKind,
    LLMRequest,
    LLMResponse,
    ProviderError,
    missing_sdk,
    status_failure,
)

if TYPE_CHECKING:
    from openai import OpenAI

_PLACEHOLDER_KEY = "not-needed"  # local servers accept anything; the SDK wants a string


class OpenAIProvider:
    """Chat Completions (``POST {base}/chat/completions``) with ``response_format`` of
    type ``json_schema`` (structured outputs, strict)."""

    name = "openai"
    service = "OpenAI"

    def __init__(self, *, model: str, api_key: str | None, base_url: str | None) -> None:
        self.model = model
        self.endpoint = base_url or "https://api.openai.com/v1"
        self._api_key = api_key
        self._client: OpenAI | None = None
        self._lock = threading.Lock()

    def _get_client(self) -> OpenAI:
        with self._lock:
            if self._client is None:
                try:
                    from openai import OpenAI  # lazy: keeps cold starts small
                except ImportError:
                    raise missing_sdk("openai") from None
                self._client = OpenAI(
                    api_key=self._api_key or _PLACEHOLDER_KEY,
                    base_url=self.endpoint,  # explicit: never picked up from elsewhere
                    max_retries=0,  # the chain decides about retries
                )
            return self._client

    def complete(self, request: LLMRequest, *, timeout: float) -> LLMResponse:
        client = self._get_client()
        import openai

        try:
            completion = client.chat.completions.create(
                model=self.model,
                messages=[
                    {"role": "system", "content": request.system},
                    {"role": "user", "content": request.user},
                ],
                response_format={
                    "type": "json_schema",
                    "json_schema": {
                        "name": request.schema_name,
                        "strict": True,
                        "schema": request.schema,
                    },
                },
                max_completion_tokens=request.max_output_tokens,
                timeout=timeout,
            )
        except openai.APITimeoutError:
            raise ProviderError(FailureKind.TIMEOUT, f"timed out after {timeout:g} s") from None
        except openai.APIConnectionError:
            raise ProviderError(FailureKind.CONNECTION, "connection failed") from None
        except openai.APIStatusError as exc:
            raise status_failure(exc.status_code) from None
        except (openai.APIResponseValidationError, ValueError):
            # a body that is not the API's JSON (a proxy's error page...)
            raise ProviderError(FailureKind.INVALID_ANSWER, "response was not understood") from None
        except openai.OpenAIError as exc:
            raise ProviderError(FailureKind.UNEXPECTED, type(exc).__name__) from None
        return _response(completion, self.model)

    def close(self) -> None:
        with self._lock:
            if self._client is not None:
                self._client.close()
                self._client = None


def _response(completion: Any, model: str) -> LLMResponse:
    choices = getattr(completion, "choices", None) or []
    if not choices:
        raise ProviderError(FailureKind.INVALID_ANSWER, "answer had no choices")
    choice = choices[0]
    if choice.finish_reason == "length":
        raise ProviderError(FailureKind.INVALID_ANSWER, "answer was cut off (token limit)")
    message = choice.message
    if getattr(message, "refusal", None):
        raise ProviderError(FailureKind.INVALID_ANSWER, "model refused to answer")
    text = message.content
    if not isinstance(text, str) or not text.strip():
        raise ProviderError(FailureKind.INVALID_ANSWER, "answer was empty")
    usage = getattr(completion, "usage", None)
    input_tokens = int(getattr(usage, "prompt_tokens", 0) or 0)
    output_tokens = int(getattr(usage, "completion_tokens", 0) or 0)
    details = getattr(usage, "prompt_tokens_details", None)
    cached = int(getattr(details, "cached_tokens", 0) or 0)
    return LLMResponse(
        text=text,
        model=str(getattr(completion, "model", None) or model),
        input_tokens=input_tokens,
        output_tokens=output_tokens,
        cached_input_tokens=cached,
    )
