"""boto3 clients, created on first use and reused for the life of the execution
environment (boto3 is imported here, lazily, never at module import of a handler).

``AWS_ENDPOINT_URL`` (tests: a moto server on loopback) and the region come from the
environment, as boto3 reads them natively.
"""

from __future__ import annotations

import threading
from typing import Any

_clients: dict[str, Any] = {}
_lock = threading.Lock()


def client(service: str) -> Any:
    """The shared boto3 client of ``service`` (``"s3"``, ``"sns"``...)."""
    found = _clients.get(service)
    if found is not None:
        return found
    with _lock:
        found = _clients.get(service)
        if found is None:
            import boto3
            from botocore.config import Config

            config = Config(retries={"mode": "standard", "max_attempts": 3}, connect_timeout=3)
            found = _clients[service] = boto3.client(service, config=config)
        return found


def reset_clients() -> None:
    """Forget every client (tests that change the endpoint or credentials)."""
    with _lock:
        _clients.clear()


def env_setting(name: str, default: str = "") -> str:
    """Setting ``name`` as the handlers read it at call time: ``CONTRACT_ANALYZER_<NAME>``
    or plain ``<NAME>`` (the prefixed one wins, as in :mod:`contract_analyzer.config`)."""
    import os

    value = os.environ.get(f"CONTRACT_ANALYZER_{name}") or os.environ.get(name)
    return value.strip() if value and value.strip() else default
