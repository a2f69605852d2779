"""Every error of the API has one shape, a request id, and never a traceback."""

from __future__ import annotations

import asyncio
import os
import signal
import time
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from service_helpers import (
    ECHO_HANDLER,
    EXIT,
    HOOKED_HANDLER,
    RAISE,
    SLOW,
    VULNERABLE_BANK_REQUEST,
    assert_error_shape,
    pid_alive,
)

from contract_analyzer.config import Settings
from contract_analyzer.errors import AnalysisTimeoutError, InputError, UsageError
from contract_analyzer.service.app import create_app
from contract_analyzer.service.errors import status_for
from contract_analyzer.service.pool import AnalysisPool

JSON = {"Content-Type": "application/json"}


@pytest.mark.parametrize(
    ("body", "status", "code", "needle"),
    [
        (b"{", 400, "invalid_json", "not valid JSON"),
        (b'{"contract_code": "x",}', 400, "invalid_json", "not valid JSON"),
        (b"{}", 422, "validation_error", "'contract_code' is required"),
        (b'{"contract_code": ""}', 422, "validation_error", "contract_code"),
        (b'{"contract_code": "  \\n\\t "}', 422, "validation_error", "empty"),
        (b'{"contract_code": 42}', 422, "validation_error", "valid string"),
        (b'{"contract_code": ["a"]}', 422, "validation_error", "valid string"),
        (b'{"contract_code": "x", "contract_name": 7}', 422, "validation_error", "contract_name"),
        (b'{"contract_code": "x", "analysis_type": "fast"}', 422, "validation_error", "'full'"),
        (b'{"contract_code": "x\\u0000y"}', 422, "validation_error", "NUL"),
        (b"[]", 422, "validation_error", "invalid"),
        (b"null", 422, "validation_error", "invalid"),
        (b'"just a string"', 422, "validation_error", "invalid"),
    ],
)
def test_bad_analyze_bodies(
    client: TestClient, body: bytes, status: int, code: str, needle: str
) -> None:
    response = client.post("/analyze", content=body, headers=JSON)
    assert response.status_code == status, response.text
    payload = response.json()
    assert_error_shape(payload, code, response.headers["x-request-id"])
    assert needle in payload["error"]["message"]


def test_several_problems_are_counted_in_one_sentence(client: TestClient) -> None:
    response = client.post("/analyze", json={"contract_code": 1, "analysis_type": 2})
    assert response.status_code == 422
    message = response.json()["error"]["message"]
    assert message.endswith("(and 1 more problem).")


def test_a_body_not_sent_as_json_is_415(client: TestClient) -> None:
    response = client.post("/analyze", content=b'{"contract_code": "contract A {}"}')
    assert response.status_code == 415
    assert_error_shape(response.json(), "unsupported_media_type")
    form = client.post("/analyze", data={"contract_code": "contract A {}"})
    assert form.status_code == 415


def test_bad_batch_bodies(client: TestClient) -> None:
    cases: list[tuple[Any, str]] = [
        ({"files": {}}, "at least 1"),
        ({"files": []}, "valid dictionary"),
        ({"files": [{"name": "A.sol", "content": "contract A {}"}]}, "valid dictionary"),
        ({"files": {"A.sol": 1}}, "valid string"),
        ({"files": {"A.sol": " \n "}}, "'A.sol'"),
        ({"files": {" ": "contract A {}"}}, "blank"),
        ({"files": {"A.sol": "contract A {}"}, "analysis_type": "x"}, "'full'"),
        ({"contract_code": "contract A {}"}, "'files' is required"),
        ({"files": {f"F{i}.sol": "contract A {}" for i in range(201)}}, "200"),
    ]
    for body, needle in cases:
        response = client.post("/analyze/batch", json=body)
        assert response.status_code == 422, (body, response.text)
        payload = response.json()
        assert_error_shape(payload, "validation_error", response.headers["x-request-id"])
        assert needle in payload["error"]["message"], payload


def test_unknown_format_is_422(client: TestClient) -> None:
    response = client.post("/analyze?format=pdf", json=VULNERABLE_BANK_REQUEST)
    assert response.status_code == 422
    assert_error_shape(response.json(), "validation_error")
    assert "format" in response.json()["error"]["message"]
    detectors = client.get("/detectors?analysis_type=nope")
    assert detectors.status_code == 422


def test_404_and_405(client: TestClient) -> None:
    missing = client.get("/nope")
    assert missing.status_code == 404
    assert_error_shape(missing.json(), "not_found", missing.headers["x-request-id"])
    wrong = client.get("/analyze")
    assert wrong.status_code == 405
    assert wrong.headers["allow"] == "POST"
    assert_error_shape(wrong.json(), "method_not_allowed", wrong.headers["x-request-id"])
    assert client.delete("/health").status_code == 405


def test_413_from_content_length_before_reading(client: TestClient) -> None:
    body = b'{"contract_code": "' + b"a" * (65 * 1024) + b'"}'
    response = client.post("/analyze", content=body, headers=JSON)
    assert response.status_code == 413
    assert_error_shape(response.json(), "payload_too_large", response.headers["x-request-id"])
    assert "65,536" in response.json()["error"]["message"]


def test_413_while_streaming_a_body_without_content_length(client: TestClient) -> None:
    chunks_sent = 0

    def chunks() -> Iterator[bytes]:
        nonlocal chunks_sent
        yield b'{"contract_code": "'
        for _ in range(200):
            chunks_sent += 1
            yield b"a" * 4096
        yield b'"}'

    response = client.post("/analyze", content=chunks(), headers=JSON)
    assert response.status_code == 413
    assert "content-length" not in {k.lower() for k in response.request.headers}
    assert_error_shape(response.json(), "payload_too_large", response.headers["x-request-id"])


def test_request_id_is_echoed_generated_or_replaced(client: TestClient) -> None:
    mine = "client-req-42.a:b/c"
    echoed = client.post("/analyze", json=VULNERABLE_BANK_REQUEST, headers={"X-Request-ID": mine})
    assert echoed.headers["x-request-id"] == mine
    assert echoed.json()["request_id"] == mine
    error = client.post("/analyze", content=b"{", headers={**JSON, "X-Request-ID": mine})
    assert error.headers["x-request-id"] == mine
    assert error.json()["error"]["request_id"] == mine
    assert client.get("/nope", headers={"X-Request-ID": mine}).headers["x-request-id"] == mine
    generated = {client.get("/health").headers["x-request-id"] for _ in range(3)}
    assert len(generated) == 3
    bad = client.get("/health", headers={"X-Request-ID": "has spaces and <html>"})
    assert bad.headers["x-request-id"] != "has spaces and <html>"
    too_long = client.get("/health", headers={"X-Request-ID": "a" * 200})
    assert too_long.headers["x-request-id"] != "a" * 200


def test_an_analysis_bug_is_a_500_in_the_error_shape(client: TestClient) -> None:
    response = client.post(
        "/analyze", json={"contract_code": f"contract A {{}}\n{RAISE}\n"}, headers={}
    )
    assert response.status_code == 500
    payload = response.json()
    assert_error_shape(payload, "internal_error", response.headers["x-request-id"])
    assert "a bug in the analysis" not in response.text


def test_a_worker_that_dies_is_replaced(client: TestClient) -> None:
    pool: AnalysisPool = client.app.state.pool  # type: ignore[attr-defined]
    restarts = pool.restarts
    response = client.post("/analyze", json={"contract_code": f"contract A {{}}\n{EXIT}\n"})
    assert response.status_code == 500
    assert_error_shape(response.json(), "internal_error")
    assert pool.restarts == restarts + 1
    again = client.post("/analyze", json=VULNERABLE_BANK_REQUEST)
    assert again.status_code == 200
    assert client.get("/health").json()["analysis_workers"]["alive"] == 2


def test_an_exception_in_a_route_is_a_500_without_traceback() -> None:
    app = create_app(Settings(), pool=AnalysisPool(1, warmup=False))

    async def explode() -> None:
        raise RuntimeError("secret internals")

    app.add_api_route("/explode", explode)
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/explode", headers={"X-Request-ID": "boom-1"})
    assert response.status_code == 500
    assert_error_shape(response.json(), "internal_error", "boom-1")
    assert response.headers["x-request-id"] == "boom-1"
    assert "secret" not in response.text and "Traceback" not in response.text


@pytest.fixture(scope="module")
def slow_app() -> Iterator[tuple[FastAPI, TestClient]]:
    settings = Settings(analysis_timeout_seconds=1.0)
    app = create_app(settings, pool=AnalysisPool(1, handler=HOOKED_HANDLER))
    with TestClient(app, raise_server_exceptions=False) as client:
        yield app, client


def test_timeout_is_504_and_the_worker_is_killed(slow_app: tuple[FastAPI, TestClient]) -> None:
    app, client = slow_app
    pool: AnalysisPool = app.state.pool
    (busy_pid,) = pool.pids()
    started = time.monotonic()
    response = client.post(
        "/analyze",
        json={"contract_code": f"contract A {{}}\n{SLOW}\n"},
        headers={"X-Request-ID": "slow-1"},
    )
    elapsed = time.monotonic() - started
    assert response.status_code == 504
    assert_error_shape(response.json(), "analysis_timeout", "slow-1")
    assert response.headers["x-request-id"] == "slow-1"
    assert 1.0 <= elapsed < 5.0
    assert not pid_alive(busy_pid), "the worker that ran over is still running"
    assert pool.restarts == 1
    (new_pid,) = pool.pids()
    assert new_pid != busy_pid
    after = client.post("/analyze", json=VULNERABLE_BANK_REQUEST)
    assert after.status_code == 200
    assert after.json()["analysis_report"]["overall_security_score"] == 25


def test_timeout_with_real_analysis_of_a_huge_valid_contract() -> None:
    body = "\n".join(
        f"    function f{i}(uint256 a) public returns (uint256) {{ total += a * {i}; "
        f"return total; }}"
        for i in range(6000)
    )
    source = f"pragma solidity ^0.8.0;\ncontract Huge {{\n    uint256 total;\n{body}\n}}\n"
    settings = Settings(analysis_timeout_seconds=0.05, max_body_bytes=4 * 1024 * 1024)
    app = create_app(settings, pool=AnalysisPool(1))
    with TestClient(app, raise_server_exceptions=False) as client:
        pool: AnalysisPool = app.state.pool
        (pid,) = pool.pids()
        response = client.post("/analyze", json={"contract_code": source})
        assert response.status_code == 504
        assert_error_shape(response.json(), "analysis_timeout")
        assert not pid_alive(pid)


def test_status_table() -> None:
    assert status_for(InputError("x")) == 422
    assert status_for(UsageError("x")) == 400
    assert status_for(AnalysisTimeoutError("x")) == 504


def test_pool_refuses_work_after_close() -> None:
    from contract_analyzer.service.pool import PoolClosedError

    pool = AnalysisPool(1, handler=ECHO_HANDLER, warmup=False)
    pool.close()
    with pytest.raises(PoolClosedError):
        asyncio.run(pool.run({"kind": "warmup"}, 1.0))


def test_pool_reraises_analyzer_errors() -> None:
    pool = AnalysisPool(1, warmup=False)

    async def scenario() -> None:
        await pool.start()
        with pytest.raises(UsageError):
            await pool.run(
                {"kind": "analyze", "source": "contract A {}", "analysis_type": "nope"}, 5.0
            )
        with pytest.raises(InputError):
            await pool.run({"kind": "batch", "sources": {}, "analysis_type": "security"}, 5.0)

    try:
        asyncio.run(scenario())
    finally:
        pool.close()
    assert pool.pids() == []


def test_a_worker_that_died_while_idle_is_replaced_before_use() -> None:
    pool = AnalysisPool(1, handler=ECHO_HANDLER, warmup=False)

    async def scenario() -> None:
        await pool.start()
        (pid,) = pool.pids()
        os.kill(pid, signal.SIGKILL)
        while pid_alive(pid):
            await asyncio.sleep(0.01)
        job = {"kind": "echo", "n": 1}
        answer = await pool.run(job, 10.0)
        assert answer.value == job
        assert 0 < answer.seconds < 10
        assert pool.restarts == 1

    try:
        asyncio.run(scenario())
    finally:
        pool.close()
