"""A lazily created boto3 DynamoDB client for the auth stores (boto3 is imported on
first use, never when the API module is imported)."""

from __future__ import annotations

import threading
from typing import Any


class LazyDynamoDB:
    """Creates the client on first use, once, from any thread. boto3 reads the region,
    the credentials and ``AWS_ENDPOINT_URL`` (tests: moto on loopback) from the
    environment."""

    def __init__(self) -> None:
        self._client: Any = None
        self._lock = threading.Lock()

    @property
    def client(self) -> Any:
        if self._client is None:
            with self._lock:
                if self._client is None:
                    import boto3
                    from botocore.config import Config

                    config = Config(
                        connect_timeout=2,
                        read_timeout=5,
                        retries={"max_attempts": 3, "mode": "standard"},
                    )
                    self._client = boto3.client("dynamodb", config=config)
        return self._client


def error_code(exc: BaseException) -> str:
    """The AWS error code of a botocore ``ClientError`` ("" for anything else)."""
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        return str(response.get("Error", {}).get("Code", ""))
    return ""
