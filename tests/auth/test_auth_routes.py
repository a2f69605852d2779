"""Every route refuses a caller without credentials, in every auth mode.

The test walks the app's own route table, so a route added later (the jobs routes, or
anything else) is covered without editing this file; the open paths are the deliberate
exceptions listed in :data:`EXEMPT`.
"""

from __future__ import annotations

import re
from typing import Any

import fastapi.routing
import pytest
from auth_helpers import MakeApp
from fastapi import FastAPI
from starlette.routing import Mount

from contract_analyzer.auth.middleware import EXEMPT_PATHS
from service.service_helpers import assert_error_shape

EXEMPT = {"/health", "/docs", "/docs/oauth2-redirect", "/openapi.json", "/redoc"}
"""The deliberate exceptions: liveness and the API documentation."""

PROTECTED_MODES = ["api_key", "jwt", "api_key_or_jwt"]


def _flat_routes(app: FastAPI) -> list[Any]:
    """The app's routes with included routers expanded (FastAPI includes routers lazily
    and exposes the effective routes through ``iter_route_contexts``)."""
    expand = getattr(fastapi.routing, "iter_route_contexts", None)
    return list(expand(app.routes)) if expand else list(app.routes)


def route_requests(app: FastAPI) -> list[tuple[str, str]]:
    """(method, concrete path) for every method of every route in the app's table."""
    found: list[tuple[str, str]] = []
    for route in _flat_routes(app):
        path = str(getattr(route, "path", "") or "")
        if isinstance(getattr(route, "original_route", route), Mount):
            path = path.rstrip("/") + "/anything"
            methods = {"GET", "POST"}
        else:
            methods = set(getattr(route, "methods", None) or {"GET"})
        assert path.startswith("/"), f"a route without a path: {route!r}"
        concrete = re.sub(r"\{[^}]+\}", "x0", path)
        found.extend((method, concrete) for method in sorted(methods - {"HEAD"}))
    return found


def _send(client: Any, method: str, path: str, headers: dict[str, str] | None = None) -> Any:
    body = b'{"contract_code": "contract A {}"}' if method in ("POST", "PUT", "PATCH") else None
    return client.request(
        method, path, content=body, headers={"Content-Type": "application/json", **(headers or {})}
    )


def test_the_exempt_list_is_the_documented_one() -> None:
    assert set(EXEMPT_PATHS) == EXEMPT


@pytest.mark.parametrize("mode", PROTECTED_MODES)
def test_every_route_refuses_without_credentials(make_app: MakeApp, mode: str) -> None:
    app, client = make_app(auth_mode=mode)

    # A route added after the app was made (as the jobs routes are) is covered too.
    @app.get("/added-later/{item}")
    async def added_later(item: str) -> dict[str, str]:
        return {"item": item}

    requests = route_requests(app)
    paths = {path for _, path in requests}
    assert {"/analyze", "/analyze/batch", "/detectors", "/added-later/x0"} <= paths
    checked = 0
    for method, path in requests:
        if path in EXEMPT:
            continue
        for headers in (
            None,
            {"X-API-Key": "ca_0123456789abcdef_" + "A" * 43},
            {"Authorization": "Bearer not.a.token"},
            {"X-API-Key": ""},
            {"Authorization": ""},
        ):
            response = _send(client, method, path, headers)
            assert response.status_code == 401, (mode, method, path, headers, response.text)
            assert_error_shape(response.json(), "unauthorized", response.headers["x-request-id"])
            assert "www-authenticate" in response.headers
            checked += 1
    assert checked >= 5 * 4


@pytest.mark.parametrize("mode", PROTECTED_MODES)
def test_the_exceptions_are_open(make_app: MakeApp, mode: str) -> None:
    _, client = make_app(auth_mode=mode)
    assert client.get("/health").status_code == 200
    assert client.get("/docs").status_code == 200
    assert client.get("/openapi.json").status_code == 200
    assert client.get("/docs/oauth2-redirect").status_code == 200


@pytest.mark.parametrize(
    "path", ["/health/", "/docs/", "/docs/x", "//health", "/HEALTH", "/nope", "/openapi.json/"]
)
def test_only_the_exact_exempt_paths_are_open(make_app: MakeApp, path: str) -> None:
    _, client = make_app(auth_mode="api_key")
    for method in ("GET", "POST", "DELETE", "OPTIONS"):
        response = client.request(method, path)
        assert response.status_code == 401, (method, path)


def test_unknown_paths_and_methods_answer_401_before_404_or_405(make_app: MakeApp) -> None:
    _, client = make_app(auth_mode="jwt")
    assert client.get("/no/such/route").status_code == 401
    assert client.delete("/analyze").status_code == 401


def test_auth_none_leaves_every_route_open(make_app: MakeApp) -> None:
    app, client = make_app()
    for method, path in route_requests(app):
        if method == "POST":
            continue  # would run an analysis; GET is enough to see nobody asks
        assert _send(client, method, path).status_code != 401, path


@pytest.mark.parametrize(
    ("mode", "schemes"),
    [("api_key", {"ApiKey"}), ("jwt", {"Bearer"}), ("api_key_or_jwt", {"ApiKey", "Bearer"})],
)
def test_openapi_declares_the_credentials(make_app: MakeApp, mode: str, schemes: set[str]) -> None:
    _, client = make_app(auth_mode=mode)
    document = client.get("/openapi.json").json()
    assert set(document["components"]["securitySchemes"]) == schemes
    analyze = document["paths"]["/analyze"]["post"]
    assert {"401", "403", "429"} <= set(analyze["responses"])
    assert document["paths"]["/health"]["get"]["security"] == []


def test_the_lambda_handler_applies_the_same_check(tmp_path: Any) -> None:
    """The Lambda API handler (Mangum around the same app) in api_key mode: an API
    Gateway event without a key is a 401 in the error shape, with the key a 200 carrying
    the rate-limit headers."""
    import json
    import os
    import subprocess
    import sys

    from contract_analyzer.auth.keys import generate_key
    from contract_analyzer.auth.sqlite_store import SQLiteKeyStore
    from service.service_helpers import EVENTS

    key, record = generate_key("lambda", "free")
    SQLiteKeyStore(tmp_path / "keys.sqlite3").create(record)
    event = json.loads((EVENTS / "analyze-event.json").read_text())
    event.update(httpMethod="GET", path="/detectors", body=None, isBase64Encoded=False)
    event["headers"] = {"Accept": "application/json"}
    event["multiValueHeaders"] = {}
    code = f"""
import json, sys
from contract_analyzer.aws import lambda_api
from contract_analyzer.aws.local import LocalContext
event = json.loads({json.dumps(json.dumps(event))})
answers = []
for headers in ({{}}, {{"X-API-Key": {key!r}}}):
    e = dict(event, headers={{**event["headers"], **headers}})
    r = lambda_api.handler(e, LocalContext("api"))
    answers.append([r["statusCode"], {{k.lower(): v for k, v in r["headers"].items()}}, r["body"]])
print("ANSWERS " + json.dumps(answers))
"""
    env = {
        **os.environ,
        "AUTH_MODE": "api_key",
        "CONTRACT_ANALYZER_DATA_DIR": str(tmp_path),
        "AWS_LAMBDA_FUNCTION_NAME": "contract-analyzer-api",
    }
    done = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    line = next(text for text in done.stdout.splitlines() if text.startswith("ANSWERS "))
    (refused_status, refused_headers, refused_body), (ok_status, ok_headers, _) = json.loads(
        line[len("ANSWERS ") :]
    )
    assert refused_status == 401
    assert_error_shape(json.loads(refused_body), "unauthorized", refused_headers["x-request-id"])
    assert ok_status == 200 and ok_headers["x-ratelimit-limit"] == "10"
    assert key not in done.stdout + done.stderr
