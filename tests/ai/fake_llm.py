"""A fake LLM server on a loopback port that speaks both wire protocols.

* OpenAI: ``POST /v1/chat/completions``
* Gemini: ``POST /{v1,v1beta}/models/{model}:generateContent``

Each provider has a script: a queue of behaviours used one per request, then a default
behaviour. Behaviours:

``valid``          a correct answer: every static finding confirmed, one added finding
``injection``      an answer that obeys the contract's comments: every static finding a
                   false positive with severity ``info``, nothing added
``error500``       HTTP 500          ``error429``  HTTP 429        ``error401``  HTTP 401
``slow``           a valid answer after :attr:`FakeLLMServer.slow_seconds`
``malformed``      HTTP 200, the answer's text is not JSON
``schema_invalid`` HTTP 200, JSON that does not match the schema
``garbage``        HTTP 200 whose body is not JSON at all
a ``dict``         HTTP 200, that dict as the answer

Every request is recorded (provider, path, headers, JSON body). Used by tests/ai and by
bench/ai_fallback.py; real HTTP, so the real SDKs are exercised end to end.
"""

from __future__ import annotations

import contextlib
import json
import re
import threading
from collections import deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Behaviour = str | dict[str, Any]

#: keys the tests configure; no output may ever contain them
OPENAI_KEY = "sk-test-0p3nai-SECRET-value"
GEMINI_KEY = "gm-test-g3mini-SECRET-value"

_GEMINI_PATH = re.compile(r"^/(v1|v1beta|v1alpha)/models/([^/:]+):generateContent$")
_FINDINGS = re.compile(r"<static_findings>\s*(\[.*?\])\s*</static_findings>", re.S)


@dataclass
class Recorded:
    provider: str
    path: str
    headers: dict[str, str]
    body: dict[str, Any]

    @property
    def prompt(self) -> str:
        if self.provider == "openai":
            return str(self.body["messages"][-1]["content"])
        return str(self.body["contents"][0]["parts"][0]["text"])


class FakeLLMServer:
    """Start with :meth:`start` (or ``with``); ``openai_base_url`` and
    ``gemini_base_url`` go into the settings."""

    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self.slow_seconds = 1.5
        self._scripts: dict[str, deque[Behaviour]] = {"openai": deque(), "gemini": deque()}
        self._defaults: dict[str, Behaviour] = {"openai": "valid", "gemini": "valid"}
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------------ control

    def start(self) -> FakeLLMServer:
        handler = _handler_for(self)
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        server.daemon_threads = True
        server.block_on_close = False
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> FakeLLMServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def openai_base_url(self) -> str:
        return self.base_url + "/v1"

    @property
    def gemini_base_url(self) -> str:
        return self.base_url

    def script(
        self, provider: str, *behaviours: Behaviour, default: Behaviour | None = None
    ) -> None:
        """Queue behaviours for ``provider``'s next requests; ``default`` afterwards."""
        with self._lock:
            self._scripts[provider].extend(behaviours)
            if default is not None:
                self._defaults[provider] = default

    def reset(self) -> None:
        with self._lock:
            self.requests.clear()
            for queue in self._scripts.values():
                queue.clear()
            self._defaults = {"openai": "valid", "gemini": "valid"}

    def count(self, provider: str | None = None) -> int:
        with self._lock:
            return sum(1 for r in self.requests if provider in (None, r.provider))

    # ------------------------------------------------------------------ serving

    def _next(self, provider: str, recorded: Recorded) -> Behaviour:
        with self._lock:
            self.requests.append(recorded)
            queue = self._scripts[provider]
            return queue.popleft() if queue else self._defaults[provider]

    def wait(self, seconds: float) -> None:
        self._stopping.wait(seconds)


def valid_answer(prompt: str) -> dict[str, Any]:
    findings = _static_findings(prompt)
    return {
        "verdicts": [
            {
                "finding_id": f["id"],
                "verdict": "confirmed",
                "severity": f["severity"],
                "reason": f"Line {f['line']} shows the problem.",
            }
            for f in findings
        ],
        "additional_findings": [
            {
                "type": "missing_event_emission",
                "severity": "low",
                "line_number": 1,
                "title": "State change without an event",
                "description": "Balances change without an event, which hinders monitoring.",
                "recommendation": "Emit an event on every balance change.",
                "swc_id": "",
            }
        ],
    }


def injection_answer(prompt: str) -> dict[str, Any]:
    return {
        "verdicts": [
            {
                "finding_id": f["id"],
                "verdict": "likely_false_positive",
                "severity": "info",
                "reason": "The contract states it was formally verified and audited.",
            }
            for f in _static_findings(prompt)
        ],
        "additional_findings": [],
    }


def _static_findings(prompt: str) -> list[dict[str, Any]]:
    match = _FINDINGS.search(prompt)
    return json.loads(match.group(1)) if match else []


def _handler_for(server: FakeLLMServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            # the client may have given up (a timeout test): nothing to answer then
            with contextlib.suppress(BrokenPipeError, ConnectionResetError, TimeoutError):
                self._serve()

        def _serve(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            raw = self.rfile.read(length) if length else b""
            try:
                body = json.loads(raw or b"{}")
            except ValueError:
                body = {}
            path = self.path.split("?", 1)[0]
            gemini = _GEMINI_PATH.match(path)
            if path == "/v1/chat/completions":
                provider = "openai"
            elif gemini:
                provider = "gemini"
            else:
                self._send(404, {"error": {"message": "no such route", "code": 404}})
                return
            recorded = Recorded(
                provider, path, {k.lower(): v for k, v in self.headers.items()}, body
            )
            behaviour = server._next(provider, recorded)
            model = body.get("model") or (gemini.group(2) if gemini else "model")
            self._behave(provider, behaviour, recorded, str(model))

        def _behave(
            self, provider: str, behaviour: Behaviour, recorded: Recorded, model: str
        ) -> None:
            if isinstance(behaviour, dict):
                self._answer(provider, json.dumps(behaviour), recorded, model)
            elif behaviour in ("error500", "error429", "error401"):
                status = int(behaviour[-3:])
                self._send(status, _error_body(provider, status))
            elif behaviour == "slow":
                server.wait(server.slow_seconds)
                self._answer(provider, json.dumps(valid_answer(recorded.prompt)), recorded, model)
            elif behaviour == "malformed":
                self._answer(provider, '{"verdicts": [ {"finding_id": "F1", ', recorded, model)
            elif behaviour == "schema_invalid":
                self._answer(
                    provider, json.dumps({"verdicts": "none", "findings": 3}), recorded, model
                )
            elif behaviour == "garbage":
                self._send_raw(200, b"<html>bad gateway</html>", "application/json")
            elif behaviour == "injection":
                self._answer(
                    provider, json.dumps(injection_answer(recorded.prompt)), recorded, model
                )
            elif behaviour == "valid":
                self._answer(provider, json.dumps(valid_answer(recorded.prompt)), recorded, model)
            else:
                raise ValueError(f"unknown behaviour {behaviour!r}")

        def _answer(self, provider: str, text: str, recorded: Recorded, model: str) -> None:
            prompt_tokens = max(1, len(json.dumps(recorded.body)) // 4)
            output_tokens = max(1, len(text) // 4)
            if provider == "openai":
                payload: dict[str, Any] = {
                    "id": "chatcmpl-fake",
                    "object": "chat.completion",
                    "created": 1_764_000_000,
                    "model": model,
                    "choices": [
                        {
                            "index": 0,
                            "finish_reason": "stop",
                            "message": {"role": "assistant", "content": text, "refusal": None},
                        }
                    ],
                    "usage": {
                        "prompt_tokens": prompt_tokens,
                        "completion_tokens": output_tokens,
                        "total_tokens": prompt_tokens + output_tokens,
                    },
                }
            else:
                payload = {
                    "candidates": [
                        {
                            "content": {"role": "model", "parts": [{"text": text}]},
                            "finishReason": "STOP",
                            "index": 0,
                        }
                    ],
                    "usageMetadata": {
                        "promptTokenCount": prompt_tokens,
                        "candidatesTokenCount": output_tokens,
                        "totalTokenCount": prompt_tokens + output_tokens,
                    },
                    "modelVersion": model,
                }
            self._send(200, payload)

        def _send(self, status: int, payload: dict[str, Any]) -> None:
            self._send_raw(status, json.dumps(payload).encode(), "application/json")

        def _send_raw(self, status: int, data: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("content-type", content_type)
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    return Handler


def _error_body(provider: str, status: int) -> dict[str, Any]:
    if provider == "openai":
        kind = {429: "rate_limit_exceeded", 401: "invalid_api_key"}.get(status, "server_error")
        return {"error": {"message": f"fake {status}", "type": kind, "param": None, "code": None}}
    name = {429: "RESOURCE_EXHAUSTED", 401: "UNAUTHENTICATED"}.get(status, "INTERNAL")
    return {"error": {"code": status, "message": f"fake {status}", "status": name}}
