"""The ``gemini`` provider: ``generateContent`` with a response JSON schema, through the
official ``google-genai`` SDK (imported on first use).

``GOOGLE_GEMINI_BASE_URL`` points the SDK at another endpoint (a proxy or a test
server) through ``http_options``.
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
    from google.genai import Client

_DEFAULT_ENDPOINT = "https://generativelanguage.googleapis.com"


class GeminiProvider:
    """``POST {base}/{version}/models/{model}:generateContent`` with
    ``responseMimeType: application/json`` and ``responseJsonSchema``."""

    name = "gemini"
    service = "Gemini"

    def __init__(self, *, model: str, api_key: str, base_url: str | None) -> None:
        self.model = model
        self.endpoint = base_url or _DEFAULT_ENDPOINT
        self._api_key = api_key
        self._client: Client | None = None
        self._lock = threading.Lock()

    def _get_client(self) -> Client:
        with self._lock:
            if self._client is None:
                try:
                    from google import genai  # lazy: keeps cold starts small
                    from google.genai import types
                except ImportError:
                    raise missing_sdk("google-genai") from None
                self._client = genai.Client(
                    vertexai=False,  # whatever GOOGLE_GENAI_USE_VERTEXAI says
                    api_key=self._api_key,
                    http_options=types.HttpOptions(
                        base_url=self.endpoint,
                        # one attempt: the chain decides about retries
                        retry_options=types.HttpRetryOptions(attempts=1),
                    ),
                )
            return self._client

    def complete(self, request: LLMRequest, *, timeout: float) -> LLMResponse:
        client = self._get_client()
        import httpx2
        from google.genai import errors, types

        config = types.GenerateContentConfig(
            system_instruction=request.system,
            response_mime_type="application/json",
            response_json_schema=request.schema,
            max_output_tokens=request.max_output_tokens,
            http_options=types.HttpOptions(timeout=max(1, int(timeout * 1000))),
        )
        try:
            response = client.models.generate_content(
                model=self.model, contents=request.user, config=config
            )
        except errors.APIError as exc:
            raise status_failure(int(exc.code or 0)) from None
        except httpx2.TimeoutException:
            raise ProviderError(FailureKind.TIMEOUT, f"timed out after {timeout:g} s") from None
        except httpx2.TransportError:
            raise ProviderError(FailureKind.CONNECTION, "connection failed") from None
        except (ValueError, TypeError):
            # the SDK parses the body itself: garbage in the body lands here
            raise ProviderError(FailureKind.INVALID_ANSWER, "response was not understood") from None
        return _response(response, self.model)

    def close(self) -> None:
        with self._lock:
            if self._client is not None:
                self._client.close()
                self._client = None


def _response(response: Any, model: str) -> LLMResponse:
    candidates = getattr(response, "candidates", None) or []
    if not candidates:
        raise ProviderError(FailureKind.INVALID_ANSWER, "answer had no candidates (blocked?)")
    finish = str(getattr(candidates[0], "finish_reason", "") or "")
    if finish.endswith("MAX_TOKENS"):
        raise ProviderError(FailureKind.INVALID_ANSWER, "answer was cut off (token limit)")
    try:
        text = response.text
    except ValueError:
        text = None
    if not isinstance(text, str) or not text.strip():
        raise ProviderError(FailureKind.INVALID_ANSWER, "answer was empty")
    usage = getattr(response, "usage_metadata", None)
    input_tokens = int(getattr(usage, "prompt_token_count", 0) or 0)
    output_tokens = int(getattr(usage, "candidates_token_count", 0) or 0)
    # thinking is billed as output
    output_tokens += int(getattr(usage, "thoughts_token_count", 0) or 0)
    cached = int(getattr(usage, "cached_content_token_count", 0) or 0)
    return LLMResponse(
        text=text,
        model=str(getattr(response, "model_version", None) or model),
        input_tokens=input_tokens,
        output_tokens=output_tokens,
        cached_input_tokens=cached,
    )
