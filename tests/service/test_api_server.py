"""A real ``contract-analyzer serve`` on a free loopback port, spoken to over HTTP."""

from __future__ import annotations

import json
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from service_helpers import (
    CURL_BODY,
    assert_error_shape,
    http_request,
    pid_alive,
    running_server,
)


def _children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        found.update(int(p) for p in (task / "children").read_text().split())
    return found


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    with running_server(CONTRACT_ANALYZER_MAX_BODY_BYTES="100000") as running:
        yield running


def test_the_issue_curl_over_real_http(server: tuple[subprocess.Popen[bytes], int]) -> None:
    _, port = server
    status, headers, raw = http_request(
        port,
        "POST",
        "/analyze",
        CURL_BODY.encode(),
        {"Content-Type": "application/json", "X-Request-ID": "over-http-1"},
    )
    assert status == 200
    assert headers["x-request-id"] == "over-http-1"
    assert "server" not in headers
    body = json.loads(raw)
    report = body["analysis_report"]
    assert [(v["type"], v["line_number"]) for v in report["vulnerabilities"]] == [
        ("reentrancy", 7),
        ("unchecked_call", 7),
    ]
    assert report["overall_security_score"] == 25
    assert body["request_id"] == "over-http-1"


def test_errors_over_real_http(server: tuple[subprocess.Popen[bytes], int]) -> None:
    _, port = server
    status, headers, raw = http_request(
        port, "POST", "/analyze", b"{not json", {"Content-Type": "application/json"}
    )
    assert status == 400
    assert_error_shape(json.loads(raw), "invalid_json", headers["x-request-id"])
    big = b'{"contract_code": "' + b"a" * 200_000 + b'"}'
    status, headers, raw = http_request(
        port, "POST", "/analyze", big, {"Content-Type": "application/json"}
    )
    assert status == 413
    assert_error_shape(json.loads(raw), "payload_too_large", headers["x-request-id"])
    status, _, raw = http_request(port, "GET", "/openapi.json")
    assert status == 200 and "/analyze/batch" in json.loads(raw)["paths"]


def test_stopping_the_server_stops_its_workers(
    server: tuple[subprocess.Popen[bytes], int],
) -> None:
    process, _ = server
    workers = _children(process.pid)
    assert workers, "serve should have an analysis worker process"
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=15) == 0
    deadline = time.monotonic() + 5
    while any(pid_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(pid_alive(pid) for pid in workers)
