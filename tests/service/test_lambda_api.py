"""The Lambda handler on API Gateway REST (v1) and HTTP API (v2) events, compared with
the answer the same request gets over HTTP."""

from __future__ import annotations

import asyncio
import base64
import copy
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest
from fastapi.testclient import TestClient
from service_helpers import EVENTS, VULNERABLE_BANK_REQUEST, assert_error_shape

from contract_analyzer.aws.local import LocalContext

VOLATILE = ("request_id", "timestamp", "cached", "cached_request_id", "cached_at")


@pytest.fixture(scope="module")
def lambda_module() -> Iterator[ModuleType]:
    from contract_analyzer.aws import lambda_api

    created = _ensure_event_loop()
    try:
        yield lambda_api
    finally:
        lambda_api.app.state.pool.close()
        if created is not None:
            asyncio.set_event_loop(None)
            created.close()


def _ensure_event_loop() -> asyncio.AbstractEventLoop | None:
    """Mangum runs on the thread's current event loop, and an earlier test in this
    process may have left the thread without one (asyncio.run does): make one then."""
    try:
        asyncio.get_event_loop_policy().get_event_loop()
    except RuntimeError:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        return loop
    return None


def _event(name: str) -> dict[str, Any]:
    event: dict[str, Any] = json.loads((EVENTS / name).read_text())
    return event


def _invoke(module: ModuleType, event: dict[str, Any]) -> dict[str, Any]:
    response: dict[str, Any] = module.handler(event, LocalContext("test-api"))
    return response


def _stable(body: dict[str, Any]) -> dict[str, Any]:
    body = copy.deepcopy(body)
    for key in VOLATILE:
        body.pop(key, None)
    body["analysis_report"].pop("processing_time", None)
    return body


def test_the_events_carry_the_vulnerable_bank_request() -> None:
    for name in ("analyze-event.json", "analyze-event-v2.json"):
        event = _event(name)
        assert json.loads(event["body"]) == VULNERABLE_BANK_REQUEST
    assert _event("analyze-event.json")["httpMethod"] == "POST"
    assert _event("analyze-event-v2.json")["version"] == "2.0"


@pytest.mark.parametrize("name", ["analyze-event.json", "analyze-event-v2.json"])
def test_handler_answers_like_http(lambda_module: ModuleType, name: str) -> None:
    event = _event(name)
    response = _invoke(lambda_module, event)
    assert response["statusCode"] == 200
    assert response["isBase64Encoded"] is False
    headers = {k.lower(): v for k, v in response["headers"].items()}
    assert headers["content-type"] == "application/json"
    body = json.loads(response["body"])
    assert body["request_id"] == headers["x-request-id"]
    if "httpMethod" in event:  # v1: the caller's X-Request-ID header is echoed
        assert body["request_id"] == "sam-local-vulnerable-bank-1"
    else:  # v2 without the header: API Gateway's request id
        assert body["request_id"] == event["requestContext"]["requestId"]
    # No `with`: that would run the lifespan, whose end closes the shared pool.
    client = TestClient(lambda_module.app)
    over_http = client.post(
        "/analyze", content=event["body"], headers={"Content-Type": "application/json"}
    ).json()
    assert _stable(body) == _stable(over_http)
    report = body["analysis_report"]
    assert [(v["type"], v["line_number"]) for v in report["vulnerabilities"]] == [
        ("reentrancy", 7),
        ("unchecked_call", 7),
    ]
    assert report["overall_security_score"] == 25


def test_handler_errors_have_the_error_shape(lambda_module: ModuleType) -> None:
    v1 = _event("analyze-event.json")
    v1["body"] = "{not json"
    response = _invoke(lambda_module, v1)
    assert response["statusCode"] == 400
    assert_error_shape(json.loads(response["body"]), "invalid_json", "sam-local-vulnerable-bank-1")
    v2 = _event("analyze-event-v2.json")
    v2["rawPath"] = v2["requestContext"]["http"]["path"] = "/nowhere"
    response = _invoke(lambda_module, v2)
    assert response["statusCode"] == 404
    assert_error_shape(json.loads(response["body"]), "not_found", "JKJaXmPLvHcESHA=")


def test_handler_health_markdown_and_base64_body(lambda_module: ModuleType) -> None:
    v1 = _event("analyze-event.json")
    health = {**v1, "httpMethod": "GET", "path": "/health", "body": None}
    response = _invoke(lambda_module, health)
    assert response["statusCode"] == 200
    assert json.loads(response["body"])["status"] == "ok"

    v2 = _event("analyze-event-v2.json")
    v2["rawQueryString"] = "format=markdown"
    response = _invoke(lambda_module, v2)
    assert response["statusCode"] == 200
    assert response["isBase64Encoded"] is False
    assert "**Security score:** 25/100" in response["body"]

    v2 = _event("analyze-event-v2.json")
    v2["rawQueryString"] = "format=sarif"
    v2["body"] = base64.b64encode(v2["body"].encode()).decode()
    v2["isBase64Encoded"] = True
    response = _invoke(lambda_module, v2)
    assert response["statusCode"] == 200
    assert response["isBase64Encoded"] is False
    assert json.loads(response["body"])["version"] == "2.1.0"


def test_invoke_local_prints_the_handler_answer() -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from contract_analyzer.cli import main; sys.exit(main())",
            "invoke-local",
            str(EVENTS / "analyze-event.json"),
            "--handler",
            "api",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    response = json.loads(result.stdout)
    assert response["statusCode"] == 200
    body = json.loads(response["body"])
    assert body["analysis_report"]["overall_security_score"] == 25


def test_invoke_local_answers_like_lambda_when_the_authorizer_refuses() -> None:
    """The sample token's signature is a placeholder: the authorizer raises
    ``Unauthorized`` (API Gateway's 401), and invoke-local prints Lambda's error answer -
    ``errorType`` is the exception's class name, as the Python runtime reports it."""
    env = {
        **{
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("JWT_", "CONTRACT_ANALYZER_JWT_"))
        },
        "JWT_HS256_SECRET": "a-shared-secret-of-at-least-32-bytes-for-hs256!",
    }
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from contract_analyzer.cli import main; sys.exit(main())",
            "invoke-local",
            str(EVENTS / "authorizer-event.json"),
            "--handler",
            "authorizer",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env=env,
    )
    assert result.returncode == 1, result.stderr
    assert json.loads(result.stdout) == {
        "errorMessage": "Unauthorized",
        "errorType": "Unauthorized",
    }
    assert "Traceback" not in result.stderr
    assert "the authorizer handler raised Unauthorized" in result.stderr


def test_invoke_local_mirrors_any_handler_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from contract_analyzer.aws import lambda_authorizer
    from contract_analyzer.cli import main
    from contract_analyzer.config import get_settings

    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_NAME", "authorizer")  # invoke-local sets it
    for name in ("JWT_JWKS_URL", "JWT_HS256_SECRET", "JWT_HS256_SECRET_ARN"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(f"CONTRACT_ANALYZER_{name}", raising=False)
    get_settings.cache_clear()
    lambda_authorizer.reset()
    try:
        status = main(
            ["invoke-local", str(EVENTS / "authorizer-event.json"), "--handler", "authorizer"]
        )
    finally:
        get_settings.cache_clear()
        lambda_authorizer.reset()
    captured = capsys.readouterr()
    assert status == 1
    answer = json.loads(captured.out)
    assert answer == {
        "errorMessage": "JWT authentication needs JWT_JWKS_URL or JWT_HS256_SECRET "
        "(or JWT_HS256_SECRET_ARN)",
        "errorType": "ConfigError",
    }
    assert "Traceback" not in captured.err


def test_invoke_local_refuses_a_bad_event_file(tmp_path: Any) -> None:
    bad = tmp_path / "event.json"
    bad.write_text("[1, 2")
    from contract_analyzer.cli import main

    assert main(["invoke-local", str(bad)]) == 2
    assert main(["invoke-local", str(tmp_path / "missing.json")]) == 2


def test_importing_the_handler_stays_light() -> None:
    code = (
        "import sys, json; import contract_analyzer.aws.lambda_api; "
        "print(json.dumps(sorted(sys.modules)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    modules = json.loads(result.stdout)
    heavy = ("boto3", "botocore", "openai", "google.genai", "tree_sitter", "uvicorn")
    ours = ("contract_analyzer.engine", "contract_analyzer.parsing", "contract_analyzer.detectors")
    loaded = [m for m in modules if m.startswith(heavy + ours)]
    assert loaded == [], loaded


def test_on_lambda_the_handler_serves_without_pydantic_v1() -> None:
    """The cold-start trim (contract_analyzer.aws.coldstart): FastAPI's Pydantic v1 checks
    find no v1 package, and the API still validates, analyses and documents itself."""
    code = """
import json, sys
from contract_analyzer.aws import lambda_api
from contract_analyzer.aws.local import LocalContext
event = json.load(open(sys.argv[1]))
answer = lambda_api.handler(event, LocalContext("api"))
schema = lambda_api.handler(
    {**event, "httpMethod": "GET", "path": "/openapi.json", "body": None}, LocalContext("api")
)
bad = lambda_api.handler({**event, "body": '{"contract_code": 3}'}, LocalContext("api"))
print(json.dumps({
    "v1": "pydantic.v1" in sys.modules and sys.modules["pydantic.v1"] is not None,
    "score": json.loads(answer["body"])["analysis_report"]["overall_security_score"],
    "paths": sorted(json.loads(schema["body"])["paths"]),
    "bad": bad["statusCode"],
}))
"""
    environment = {**os.environ, "AWS_LAMBDA_FUNCTION_NAME": "contract-analyzer-api"}
    result = subprocess.run(
        [sys.executable, "-c", code, str(EVENTS / "analyze-event.json")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env=environment,
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.splitlines()[-1])
    assert seen["v1"] is False
    assert seen["score"] == 25
    assert "/analyze" in seen["paths"] and "/jobs" in seen["paths"]
    assert seen["bad"] == 422
