"""The HTTP API through FastAPI's test client: every route, the wire contract, formats."""

from __future__ import annotations

import json
import re
import uuid

from fastapi.testclient import TestClient
from service_helpers import CURL_BODY, VULNERABLE_BANK_REQUEST

from contract_analyzer.config import Settings
from contract_analyzer.service.app import create_app
from contract_analyzer.service.pool import AnalysisPool
from contract_analyzer.service.worker import NOT_SOLIDITY_WARNING
from contract_analyzer.version import ENGINE_ID, __version__

ISO_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")
WIRE_FINDING_FIELDS = {
    "type",
    "severity",
    "line_number",
    "description",
    "recommendation",
    "swc_id",
    "title",
    "confidence",
    "end_line",
    "contract",
    "function",
    "code_snippet",
    "source",
}


def test_the_issue_curl_gives_two_findings_at_line_7_and_score_25(client: TestClient) -> None:
    response = client.post(
        "/analyze", content=CURL_BODY, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 200
    body = response.json()
    # The wire contract, plus the result cache's added fields (cached_request_id and
    # cached_at only on a hit: docs/api.md, Caching).
    assert set(body) - {"cached_request_id", "cached_at"} == {
        "request_id",
        "contract_name",
        "analysis_type",
        "analysis_report",
        "timestamp",
        "message",
        "cached",
    }
    report = body["analysis_report"]
    found = [(v["type"], v["severity"], v["line_number"]) for v in report["vulnerabilities"]]
    assert found == [("reentrancy", "critical", 7), ("unchecked_call", "high", 7)]
    assert report["overall_security_score"] == 25
    assert report["summary"]["critical"] == 1 and report["summary"]["high"] == 1
    assert report["summary"]["total"] == 2
    assert report["service_used"] == "static"
    assert report["model_used"] == ENGINE_ID
    assert isinstance(report["processing_time"], float) and report["processing_time"] >= 0
    for vulnerability in report["vulnerabilities"]:
        assert set(vulnerability) >= WIRE_FINDING_FIELDS
        assert vulnerability["contract"] == "VulnerableBank"
        assert vulnerability["function"] == "withdraw"
        assert vulnerability["source"] == "static"
    assert body["contract_name"] == "VulnerableBank"
    assert body["analysis_type"] == "security"
    assert ISO_UTC.match(body["timestamp"]), body["timestamp"]
    assert body["message"] == "Contract analysis completed successfully"
    assert body["request_id"] == response.headers["x-request-id"]
    uuid.UUID(body["request_id"])


def test_defaults_security_and_the_last_declared_contract(client: TestClient) -> None:
    source = (
        "pragma solidity ^0.8.0;\ncontract First {}\ncontract Second {\n"
        "    function f() public {}\n}\n"
    )
    body = client.post("/analyze", json={"contract_code": source}).json()
    assert body["analysis_type"] == "security"
    assert body["contract_name"] == "Second"
    assert body["analysis_report"]["contracts"] == ["First", "Second"]
    assert body["analysis_report"]["overall_security_score"] == 100


def test_every_analysis_type_is_accepted(client: TestClient) -> None:
    for analysis_type in ("security", "gas", "quality", "full"):
        response = client.post(
            "/analyze", json={**VULNERABLE_BANK_REQUEST, "analysis_type": analysis_type}
        )
        assert response.status_code == 200, response.text
        assert response.json()["analysis_type"] == analysis_type
    full = client.post("/analyze", json={**VULNERABLE_BANK_REQUEST, "analysis_type": "full"})
    types = {v["type"] for v in full.json()["analysis_report"]["vulnerabilities"]}
    assert {"reentrancy", "unchecked_call"} <= types


def test_text_that_is_not_solidity_is_200_with_no_findings_and_a_warning(
    client: TestClient,
) -> None:
    for text in (
        "def withdraw(amount):\n    return amount + 1\n",
        "<html><body>hello</body></html>",
        "The quick brown fox jumps over the lazy dog.",
    ):
        response = client.post("/analyze", json={"contract_code": text})
        assert response.status_code == 200
        body = response.json()
        report = body["analysis_report"]
        assert report["vulnerabilities"] == []
        assert report["overall_security_score"] == 100
        assert report["warnings"][0] == NOT_SOLIDITY_WARNING, text
        assert report["syntax_errors"], text
        assert body["message"].startswith("Contract analysis completed with warnings")


def test_a_fragment_is_analysed(client: TestClient) -> None:
    fragment = (
        "function withdraw(uint256 amount) public {\n"
        '    (bool ok, ) = msg.sender.call{value: amount}("");\n'
        "    balances[msg.sender] -= amount;\n}\n"
    )
    body = client.post("/analyze", json={"contract_code": fragment}).json()
    report = body["analysis_report"]
    assert any(v["line_number"] == 2 for v in report["vulnerabilities"]), report
    assert NOT_SOLIDITY_WARNING not in report["warnings"]


def test_format_sarif(client: TestClient) -> None:
    response = client.post("/analyze?format=sarif", json=VULNERABLE_BANK_REQUEST)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/sarif+json")
    assert response.headers["x-request-id"]
    sarif = response.json()
    assert sarif["version"] == "2.1.0"
    results = sarif["runs"][0]["results"]
    assert [(r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"])
            for r in results] == [("reentrancy", 7), ("unchecked_call", 7)]  # fmt: skip


def test_format_markdown_and_json(client: TestClient) -> None:
    response = client.post("/analyze?format=markdown", json=VULNERABLE_BANK_REQUEST)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/markdown")
    assert "**Security score:** 25/100" in response.text
    explicit = client.post("/analyze?format=json", json=VULNERABLE_BANK_REQUEST).json()
    assert explicit["analysis_report"]["overall_security_score"] == 25


BASE = "pragma solidity ^0.8.0;\ncontract Base {\n    address internal owner;\n}\n"
BANK = (
    'pragma solidity ^0.8.0;\nimport "./Base.sol";\n'
    "contract Bank is Base {\n    mapping(address => uint256) public balances;\n"
    "    function withdraw(uint256 amount) public {\n"
    '        (bool ok, ) = msg.sender.call{value: amount}("");\n'
    "        balances[msg.sender] -= amount;\n    }\n}\n"
)


def test_batch_resolves_imports_and_findings_carry_their_file(client: TestClient) -> None:
    request = {
        "files": {"contracts/Base.sol": BASE, "contracts/Bank.sol": BANK},
        "analysis_type": "security",
    }
    response = client.post("/analyze/batch", json=request)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["request_id"] == response.headers["x-request-id"]
    assert ISO_UTC.match(body["timestamp"])
    report = body["analysis_report"]
    assert [f["name"] for f in report["files"]] == ["contracts/Base.sol", "contracts/Bank.sol"]
    assert report["files"][1]["contract_name"] == "Bank"
    assert not any("not among the submitted files" in w for w in report["files"][1]["warnings"])
    found = {(v["file"], v["type"], v["line_number"]) for v in report["vulnerabilities"]}
    assert ("contracts/Bank.sol", "reentrancy", 6) in found
    assert report["overall_security_score"] == report["files"][1]["overall_security_score"]
    assert report["model_used"] == ENGINE_ID and report["service_used"] == "static"
    sarif = client.post("/analyze/batch?format=sarif", json=request).json()
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in sarif["runs"][0]["results"]
    }
    assert uris == {"contracts/Bank.sol"}


def test_batch_warns_about_a_missing_import(client: TestClient) -> None:
    request = {"files": {"Bank.sol": BANK}}
    body = client.post("/analyze/batch", json=request).json()
    assert any("./Base.sol" in w for w in body["analysis_report"]["files"][0]["warnings"])


def test_health(client: TestClient) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["version"] == __version__
    assert body["analysis_workers"]["alive"] == body["analysis_workers"]["size"] == 2
    providers = body["ai_providers"]
    assert [p["name"] for p in providers] == ["openai", "gemini"]
    assert not any(p["configured"] for p in providers)  # no keys in the test environment
    assert all(set(p) >= {"name", "service", "model", "configured"} for p in providers)
    assert "key" not in response.text.lower() and "http" not in json.dumps(providers)
    assert ISO_UTC.match(body["timestamp"])
    assert response.headers["x-request-id"]


def test_detectors_catalogue(client: TestClient) -> None:
    body = client.get("/detectors").json()
    assert body["count"] == len(body["detectors"]) > 0
    ids = {d["id"] for d in body["detectors"]}
    assert {"reentrancy", "unchecked_call"} <= ids
    security = client.get("/detectors?analysis_type=security").json()
    assert all("security" in d["analysis_types"] for d in security["detectors"])
    assert security["count"] <= body["count"]


def test_openapi_and_docs(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert {"/analyze", "/analyze/batch", "/health", "/detectors"} <= set(spec["paths"])
    operation = spec["paths"]["/analyze"]["post"]
    examples = operation["requestBody"]["content"]["application/json"]["examples"]
    assert examples["vulnerable_bank"]["value"] == VULNERABLE_BANK_REQUEST
    responses = operation["responses"]
    assert {"200", "400", "413", "422", "500", "504"} <= set(responses)
    assert responses["422"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/ErrorResponse"
    )
    assert "example" in responses["200"]["content"]["application/json"]
    docs = client.get("/docs")
    assert docs.status_code == 200 and "swagger" in docs.text.lower()


def test_the_response_example_in_the_spec_matches_a_real_answer(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    example = spec["paths"]["/analyze"]["post"]["responses"]["200"]["content"]["application/json"][
        "example"
    ]
    real = client.post("/analyze", json=VULNERABLE_BANK_REQUEST).json()
    assert set(example) == set(real) - {"cached_request_id", "cached_at"}  # sent on a hit
    batch = spec["components"]["schemas"]["BatchRequest"]["examples"][0]
    assert client.post("/analyze/batch", json=batch).status_code == 200
    assert set(example["analysis_report"]) == set(real["analysis_report"])
    assert set(example["analysis_report"]["vulnerabilities"][0]) <= set(
        real["analysis_report"]["vulnerabilities"][0]
    )
    assert json.dumps(example)  # serialisable


def test_no_cors_headers_by_default(client: TestClient) -> None:
    response = client.get("/health", headers={"Origin": "https://elsewhere.example"})
    assert "access-control-allow-origin" not in response.headers
    preflight = client.options(
        "/analyze",
        headers={"Origin": "https://elsewhere.example", "Access-Control-Request-Method": "POST"},
    )
    assert "access-control-allow-origin" not in preflight.headers
    assert preflight.headers["x-request-id"]


def test_cors_when_configured() -> None:
    settings = Settings(cors_allow_origins=["https://app.example"])
    app = create_app(settings, pool=AnalysisPool(1, warmup=False))
    with TestClient(app) as client:
        preflight = client.options(
            "/analyze",
            headers={
                "Origin": "https://app.example",
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "content-type,x-request-id",
            },
        )
        assert preflight.status_code == 200
        assert preflight.headers["access-control-allow-origin"] == "https://app.example"
        assert "POST" in preflight.headers["access-control-allow-methods"]
        assert preflight.headers["x-request-id"]
        simple = client.get("/health", headers={"Origin": "https://app.example"})
        assert simple.headers["access-control-allow-origin"] == "https://app.example"
        assert "X-Request-ID" in simple.headers["access-control-expose-headers"]
        other = client.get("/health", headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in other.headers
