"""moto in server mode on loopback, for the storage and jobs tests: boto3 talks HTTP to
it exactly as it would to AWS (``AWS_ENDPOINT_URL``), with dummy credentials.

Each test module's conftest starts one server per test process (session fixture) and
points the environment at it for each test; tables and queues get unique names, so
tests never see each other's data.
"""

from __future__ import annotations

import contextlib
import logging
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

AWS_TEST_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_REGION": "us-east-1",
}
_CLEARED = ("AWS_PROFILE", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE")


@contextlib.contextmanager
def moto_server() -> Iterator[str]:
    """A ThreadedMotoServer on a free loopback port; yields its URL."""
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


def point_at(monkeypatch: pytest.MonkeyPatch, endpoint: str) -> None:
    """Environment of one test: the moto endpoint, dummy credentials, one region."""
    monkeypatch.setenv("AWS_ENDPOINT_URL", endpoint)
    for name, value in AWS_TEST_ENV.items():
        monkeypatch.setenv(name, value)
    for name in _CLEARED:
        monkeypatch.delenv(name, raising=False)
    # The handlers' shared boto3 clients (contract_analyzer.aws.clients, also used to
    # read secrets) are made per process: forget any made for another endpoint.
    from contract_analyzer.aws.clients import reset_clients

    reset_clients()


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def boto(service: str) -> Any:
    import boto3

    return boto3.client(service)


def make_bucket(prefix: str = "cache/") -> Any:
    """A new S3 bucket on the moto server, as an overflow blob store."""
    from contract_analyzer.storage.aws import S3BlobStore

    name = unique("overflow")
    boto("s3").create_bucket(Bucket=name)
    return S3BlobStore(name, prefix)
