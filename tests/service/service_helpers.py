"""Shared pieces of the service tests: a job handler with test hooks, sample requests.

The hooks let a test make an analysis slow, fail or kill its worker without touching the
engine: :func:`hooked_job` runs in the worker processes (it is importable there because
the pool passes ``sys.path`` on to its workers).
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
EVENTS = ROOT / "events"
HOOKED_HANDLER = "service_helpers:hooked_job"
ECHO_HANDLER = "service_helpers:echo_job"

SLOW = "// TEST-HOOK: slow"
RAISE = "// TEST-HOOK: raise"
EXIT = "// TEST-HOOK: exit"

# The body of the curl command, byte for byte.
CURL_BODY = (
    '{"contract_code": "pragma solidity ^0.8.0;\\n\\ncontract VulnerableBank {\\n    '
    "mapping(address => uint256) public balances;\\n    \\n    function withdraw(uint256 "
    'amount) public {\\n        (bool success, ) = msg.sender.call{value: amount}(\\"\\");'
    '\\n        balances[msg.sender] -= amount;\\n    }\\n}", "contract_name": '
    '"VulnerableBank", "analysis_type": "security"}'
)
VULNERABLE_BANK_REQUEST: dict[str, Any] = json.loads(CURL_BODY)


def hooked_job(job: dict[str, Any]) -> Any:
    """The real job handler, except when the source carries a test-hook comment."""
    source = str(job.get("source", ""))
    if SLOW in source:
        time.sleep(120)
    if RAISE in source:
        raise RuntimeError("a bug in the analysis (test hook)")
    if EXIT in source:
        os._exit(3)
    from contract_analyzer.service.worker import run_job

    return run_job(job)


def echo_job(job: dict[str, Any]) -> Any:
    """A job handler that does not need the engine: answers the job itself."""
    return job


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def assert_error_shape(body: Any, code: str, request_id: str | None = None) -> None:
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message", "request_id"}, body
    assert body["error"]["code"] == code, body
    message = body["error"]["message"]
    assert isinstance(message, str) and message.endswith(".") and "Traceback" not in message
    if request_id is not None:
        assert body["error"]["request_id"] == request_id


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        status = Path(f"/proc/{pid}/stat").read_text().split()[2]
    except OSError:
        return False
    return status != "Z"


def console_script() -> str:
    beside = Path(sys.executable).with_name("contract-analyzer")
    found = str(beside) if beside.exists() else shutil.which("contract-analyzer")
    assert found, "the contract-analyzer console script is not installed"
    return found


def http_request(
    port: int,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


@contextlib.contextmanager
def running_server(**env: str) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    """``contract-analyzer serve`` on a free loopback port, up and answering /health."""
    port = free_port()
    environment = {
        **os.environ,
        "CONTRACT_ANALYZER_ANALYSIS_WORKERS": "1",
        "CONTRACT_ANALYZER_ACCESS_LOG": "false",
        **env,
    }
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            [console_script(), "serve", "--port", str(port)],
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 30
            while True:
                with contextlib.suppress(OSError):
                    if http_request(port, "GET", "/health")[0] == 200:
                        break
                if process.poll() is not None or time.monotonic() > deadline:
                    process.kill()
                    process.wait()
                    log.seek(0)
                    output = log.read().decode(errors="replace")
                    raise AssertionError(f"serve did not come up on port {port}:\n{output}")
                time.sleep(0.1)
            yield process, port
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
