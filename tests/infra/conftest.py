"""Fixtures of the serverless tests: a moto server on loopback (real HTTP, real boto3
calls), the AWS environment pointed at it, and the resources the handlers use."""

from __future__ import annotations

import socket
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))

AWS_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_REGION": "us-east-1",
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def moto_url() -> Iterator[str]:
    """A moto server on loopback for the module's tests."""
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


@pytest.fixture
def aws(moto_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """The environment pointed at the moto server; yields a boto3 client factory."""
    import boto3

    from contract_analyzer.aws.clients import reset_clients

    for name, value in AWS_ENV.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_url)
    for name in ("AWS_PROFILE", "NOTIFY_TOPIC_ARN", "STATS_TABLE", "EVENT_BUS_NAME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AI_PROVIDERS", "none")
    reset_clients()

    def make(service: str) -> Any:
        return boto3.client(service, endpoint_url=moto_url, region_name="us-east-1")

    yield make
    reset_clients()
