"""AI provider keys from AWS Secrets Manager, read at first use and cached.

On AWS the template never puts a key in an environment variable: it stores each key in
Secrets Manager and gives the function the secret's ARN instead,

=============================  ==============================================
``OPENAI_API_KEY_SECRET_ARN``  secret holding the ``openai`` provider's key
``GEMINI_API_KEY_SECRET_ARN``  secret holding the ``gemini`` provider's key
=============================  ==============================================

:func:`ai_key_overrides` turns those into keyword arguments for
:class:`contract_analyzer.ai.settings.AISettings`; the AI layer calls it once, the first
time it reads its settings (the first request that may use AI), not at import. A key
given directly (``OPENAI_API_KEY``) wins over its secret, so a laptop needs no AWS.

The secret's value is the key itself, or a JSON object with the key under ``api_key``
(or under the variable's name, ``OPENAI_API_KEY`` / ``GEMINI_API_KEY``). Values are
cached for the life of the process; they never appear in logs, warnings or exceptions
(a failure names the variable and the AWS error code, not the ARN's value or the
secret). A secret that cannot be read leaves that provider unconfigured: the chain
falls back to the next provider, or to the static report, and a warning is logged.
boto3 retries throttling and transient errors itself (standard mode, 3 attempts).
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Callable, Mapping
from typing import Any

logger = logging.getLogger("contract_analyzer.aws.secrets")

SECRET_SOURCES: dict[str, tuple[str, str]] = {
    # AISettings field: (variable holding the secret's ARN, variable of a direct key)
    "openai_api_key": ("OPENAI_API_KEY_SECRET_ARN", "OPENAI_API_KEY"),
    "gemini_api_key": ("GEMINI_API_KEY_SECRET_ARN", "GEMINI_API_KEY"),
}
"""Which secret fills which AI setting."""

_DIRECT_ALIASES = {"GEMINI_API_KEY": ("GOOGLE_API_KEY",)}

Fetcher = Callable[[str], str]


class SecretError(Exception):
    """A secret could not be read. The message never holds the secret or its ARN."""


def _fetch_from_secrets_manager(arn: str) -> str:
    from contract_analyzer.aws.clients import client

    try:
        answer = client("secretsmanager").get_secret_value(SecretId=arn)
    except Exception as exc:
        code = getattr(exc, "response", {}).get("Error", {}).get("Code") or type(exc).__name__
        raise SecretError(str(code)) from None
    value = answer.get("SecretString")
    if not isinstance(value, str):
        raise SecretError("the secret has no string value")
    return value


class SecretsLoader:
    """Reads secrets once per process (thread-safe); ``fetch`` reads one by ARN."""

    def __init__(self, fetch: Fetcher | None = None) -> None:
        self._fetch = fetch or _fetch_from_secrets_manager
        self._values: dict[str, str] = {}
        self._lock = threading.Lock()

    def get(self, arn: str) -> str:
        """The secret's value; raises :class:`SecretError`. Successes are cached,
        failures are not (the next call tries again)."""
        with self._lock:
            if arn not in self._values:
                self._values[arn] = self._fetch(arn)
            return self._values[arn]

    def clear(self) -> None:
        with self._lock:
            self._values.clear()


def read_secret(
    arn: str, *fields: str, required: bool = False, loader: SecretsLoader | None = None
) -> str:
    """The value of the secret ``arn`` names, read once per process (thread-safe; a
    failure is not cached): the secret string as stored or, when it is a JSON object with
    a non-empty string under one of ``fields`` (first match wins), that string. A JSON
    object with none of them is used as it is, or with ``required`` refused. Raises
    :class:`SecretError`, whose message is the AWS error code (never the ARN or value)."""
    value = (loader or _LOADER).get(arn)
    if not fields or not value.lstrip().startswith("{"):
        return value
    try:
        data: Any = json.loads(value)
    except json.JSONDecodeError:
        return value
    if isinstance(data, dict):
        for name in fields:
            found = data.get(name)
            if isinstance(found, str) and found:
                return found
        if required:
            raise SecretError(f"the JSON secret has no {' or '.join(map(repr, fields))} string")
    return value


def _key_from_secret(value: str, variable: str) -> str:
    text = value.strip()
    if text.startswith("{"):
        try:
            data: Any = json.loads(text)
        except json.JSONDecodeError:
            return text
        if isinstance(data, dict):
            for name in ("api_key", variable, variable.lower()):
                found = data.get(name)
                if isinstance(found, str) and found.strip():
                    return found.strip()
            raise SecretError(f"the JSON secret has no 'api_key' (or '{variable}') string")
    return text


def ai_key_overrides(
    environ: Mapping[str, str] | None = None, loader: SecretsLoader | None = None
) -> dict[str, Any]:
    """Keys read from Secrets Manager, as ``AISettings`` keyword arguments.

    Empty (and boto3 never imported) when no ``*_SECRET_ARN`` variable is set."""
    env = os.environ if environ is None else environ
    loader = loader or _LOADER
    overrides: dict[str, Any] = {}
    for field, (arn_variable, direct) in SECRET_SOURCES.items():
        arn = (env.get(f"CONTRACT_ANALYZER_{arn_variable}") or env.get(arn_variable, "")).strip()
        direct_names = (direct, *_DIRECT_ALIASES.get(direct, ()))
        if not arn or any(env.get(name, "").strip() for name in direct_names):
            continue
        try:
            key = _key_from_secret(loader.get(arn), direct)
        except SecretError as exc:
            logger.warning(
                "cannot read the secret named by %s (%s); that AI provider stays off",
                arn_variable,
                exc,
            )
            continue
        if key:
            overrides[field] = key
    return overrides


_LOADER = SecretsLoader()
"""The process-wide loader (values cached for the life of the execution environment)."""
