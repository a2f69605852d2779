"""infra/deploy.sh: shellcheck clean; its prerequisite checks, deploy, test and cleanup
commands run against stub ``aws`` and ``sam`` executables on PATH (nothing reaches AWS)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import pytest
from infra_helpers import ROOT

SCRIPT = ROOT / "infra" / "deploy.sh"

STUB = """#!{python}
import json, os, sys
args = sys.argv[1:]
with open(os.environ["STUB_LOG"], "a") as log:
    log.write(json.dumps([os.path.basename(sys.argv[0]), *args]) + "\\n")
name = os.path.basename(sys.argv[0])
if name == "sam":
    print("Deploying with parameters: " + " ".join(args))
    sys.exit(int(os.environ.get("STUB_SAM_EXIT", "0")))
if args[:2] == ["configure", "get"]:
    region = os.environ.get("STUB_CONFIGURED_REGION", "")
    print(region)
    sys.exit(0 if region else 1)
if args[:2] == ["sts", "get-caller-identity"]:
    if os.environ.get("STUB_NO_CREDENTIALS"):
        print("Unable to locate credentials", file=sys.stderr)
        sys.exit(255)
    print("123456789012")
    sys.exit(0)
if args[:2] == ["cloudformation", "describe-stacks"]:
    query = args[args.index("--query") + 1]
    outputs = json.loads(os.environ.get("STUB_OUTPUTS", "{{}}"))
    for key, value in outputs.items():
        if "'" + key + "'" in query:
            print(value)
            sys.exit(0)
    if "[].[OutputKey,OutputValue]" in query:
        for key, value in outputs.items():
            print(key + "\\t" + value)
        sys.exit(0)
    print("None")
    sys.exit(0)
if args[:2] == ["apigateway", "get-api-key"]:
    print(os.environ["STUB_API_KEY"])
    sys.exit(0)
sys.exit(0)
"""


@pytest.fixture
def stubs(tmp_path: Path) -> Iterator[dict[str, Any]]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name in ("aws", "sam"):
        path = bin_dir / name
        path.write_text(STUB.format(python=sys.executable))
        path.chmod(0o755)
    log = tmp_path / "calls.jsonl"
    log.touch()
    build = tmp_path / "lambda"
    build.mkdir()
    env = {
        "PATH": f"{bin_dir}:/usr/bin:/bin",
        "HOME": str(tmp_path),
        "STUB_LOG": str(log),
        "AWS_REGION": "eu-west-1",
        "BUILD_DIR": str(build),
        "PYTHON": sys.executable,
    }
    yield {"env": env, "bin": bin_dir, "log": log}


def run(stubs: dict[str, Any], *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**stubs["env"], **env}
    return subprocess.run(
        ["bash", str(SCRIPT), *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=environment,
        stdin=subprocess.DEVNULL,
        check=False,
    )


def calls(stubs: dict[str, Any]) -> list[list[str]]:
    return [json.loads(line) for line in stubs["log"].read_text().splitlines()]


def test_shellcheck_finds_nothing() -> None:
    shellcheck = Path(sys.executable).parent / "shellcheck"
    result = subprocess.run(
        [str(shellcheck), "--severity=style", str(SCRIPT)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_missing_clis_are_named_with_where_to_get_them(stubs: dict[str, Any]) -> None:
    (stubs["bin"] / "sam").unlink()
    result = run(stubs, "check")
    assert result.returncode == 1
    assert "the AWS SAM CLI (sam) is not installed: pip install aws-sam-cli" in result.stderr
    (stubs["bin"] / "aws").unlink()
    result = run(stubs, "check")
    assert "the AWS CLI (aws) is not installed" in result.stderr
    assert "(sam) is not installed" in result.stderr


def test_a_region_is_required(stubs: dict[str, Any]) -> None:
    env = {k: v for k, v in stubs["env"].items() if k != "AWS_REGION"}
    stubs["env"] = env
    result = run(stubs, "check")
    assert result.returncode == 1
    assert "error: no AWS region: export AWS_REGION=" in result.stderr
    result = run(stubs, "check", STUB_CONFIGURED_REGION="ap-south-1")
    assert result.returncode == 0
    assert "region ap-south-1" in result.stderr


def test_credentials_are_required(stubs: dict[str, Any]) -> None:
    result = run(stubs, "check", STUB_NO_CREDENTIALS="1")
    assert result.returncode == 1
    assert (
        "error: no valid AWS credentials: run 'aws configure' or 'aws sso login'" in result.stderr
    )
    result = run(stubs, "check")
    assert result.returncode == 0, result.stderr
    assert "prerequisites OK: aws, sam, credentials, region eu-west-1" in result.stderr


def test_deploy_passes_the_stage_and_keys_without_ever_printing_them(
    stubs: dict[str, Any],
) -> None:
    secret = "sk-live-Zx9SuperSecretKey"
    result = run(
        stubs,
        "deploy",
        "staging",
        SKIP_BUILD="1",
        ENABLE_AI="true",
        OPENAI_API_KEY=secret,
        ALARM_EMAIL="ops@example.com",
        STUB_OUTPUTS=json.dumps({"AnalyzeEndpoint": "https://x/v1/analyze"}),
    )
    assert result.returncode == 0, result.stderr
    assert secret not in result.stdout + result.stderr
    assert "OpenAIAPIKey=****" in result.stderr
    assert "AnalyzeEndpoint\thttps://x/v1/analyze" in result.stdout
    [sam] = [c for c in calls(stubs) if c[0] == "sam"]
    assert sam[1] == "deploy"
    assert sam[sam.index("--config-env") + 1] == "staging"
    assert sam[sam.index("--stack-name") + 1] == "contract-analyzer-staging"
    overrides = sam[sam.index("--parameter-overrides") + 1 :]
    assert "Environment=staging" in overrides
    assert "EnableTracing=true" in overrides  # from samconfig.toml [staging]
    assert f"OpenAIAPIKey={secret}" in overrides  # the key reaches sam, as NoEcho
    assert "AlarmEmail=ops@example.com" in overrides
    assert not any(o.startswith("GeminiAPIKey=") for o in overrides)


def test_deploy_refuses_a_bad_stage_and_ai_without_keys(stubs: dict[str, Any]) -> None:
    result = run(stubs, "deploy", "qa", SKIP_BUILD="1")
    assert result.returncode == 1
    assert "unknown environment 'qa': choose dev, staging or prod" in result.stderr
    result = run(stubs, "deploy", "dev", SKIP_BUILD="1", ENABLE_AI="true")
    assert result.returncode == 1
    assert "ENABLE_AI=true but no OPENAI_API_KEY or GEMINI_API_KEY" in result.stderr
    assert not [c for c in calls(stubs) if c[0] == "sam"]


def test_cleanup_needs_a_confirmation(stubs: dict[str, Any]) -> None:
    result = run(stubs, "cleanup", "dev", STUB_OUTPUTS=json.dumps({"ReportsBucketName": "b"}))
    assert result.returncode == 1
    assert "refusing to delete without confirmation" in result.stderr
    assert not [c for c in calls(stubs) if "delete-stack" in c]
    result = run(
        stubs, "cleanup", "dev", "--yes", STUB_OUTPUTS=json.dumps({"ReportsBucketName": "b"})
    )
    assert result.returncode == 0, result.stderr
    commands = [c[1:3] for c in calls(stubs) if c[0] == "aws"]
    assert ["cloudformation", "delete-stack"] in commands
    assert ["cloudformation", "wait"] in commands
    assert ["s3api", "delete-bucket"] in commands
    delete_bucket = next(c for c in calls(stubs) if c[1:3] == ["s3api", "delete-bucket"])
    assert delete_bucket[delete_bucket.index("--bucket") + 1] == "b"


class _Api(BaseHTTPRequestHandler):
    """The deployed API: accepts ``accepted`` keys, answers 403 to the first ``cold``
    requests of a new key (API Gateway learning it) and to any other key."""

    seen: list[dict[str, Any]] = []
    accepted: Any = staticmethod(lambda key: key == "key-123")
    cold = 0

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        key = self.headers.get("x-api-key")
        _Api.seen.append({"key": key, "body": body})
        ok = _Api.accepted(key) and len(_Api.seen) > _Api.cold
        answer = json.dumps({"analysis_report": {"overall_security_score": 25}}).encode()
        self.send_response(200 if ok else 403)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def deployed_api() -> Iterator[str]:
    """The fake deployed API; yields its /analyze endpoint."""
    _Api.seen, _Api.cold = [], 0
    _Api.accepted = staticmethod(lambda key: key == "key-123")
    server = HTTPServer(("127.0.0.1", 0), _Api)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/v1/analyze"
    finally:
        server.shutdown()
        server.server_close()


def test_the_smoke_test_posts_vulnerable_bank_with_the_given_api_key(
    stubs: dict[str, Any], deployed_api: str
) -> None:
    outputs = json.dumps({"AnalyzeEndpoint": deployed_api, "ApiKeysTableName": "keys"})
    result = run(stubs, "test", "dev", STUB_OUTPUTS=outputs, API_KEY="key-123")
    assert result.returncode == 0, result.stderr
    assert "OK: the deployed API analysed VulnerableBank" in result.stderr
    assert "key-123" not in result.stdout + result.stderr
    [request] = _Api.seen
    assert request["key"] == "key-123"
    assert request["body"]["contract_name"] == "VulnerableBank"
    assert "contract VulnerableBank" in request["body"]["contract_code"]
    result = run(stubs, "test", "dev", STUB_OUTPUTS=outputs, API_KEY="wrong")
    assert result.returncode == 1 and "the API answered HTTP 403" in result.stderr
    assert len(_Api.seen) == 2  # a key of the caller's is not retried
    assert os.environ.get("AWS_ACCESS_KEY_ID") != "real"


def test_the_smoke_test_makes_a_temporary_key_and_revokes_it(
    stubs: dict[str, Any], deployed_api: str, aws: Any, moto_url: str
) -> None:
    """Without API_KEY, `deploy.sh test` creates a free-plan key through `contract-analyzer
    keys` (here against moto: the key table in DynamoDB, the usage plans in API
    Gateway), waits for API Gateway to accept it, and revokes it at the end."""
    import boto3

    from contract_analyzer.auth.keys import hash_secret, parse_key

    # The stubbed stack is in eu-west-1 (the stubs' AWS_REGION).
    dynamodb = boto3.client("dynamodb", endpoint_url=moto_url, region_name="eu-west-1")
    apigateway = boto3.client("apigateway", endpoint_url=moto_url, region_name="eu-west-1")
    table = "smoke-keys"
    dynamodb.create_table(
        TableName=table,
        KeySchema=[{"AttributeName": "key_id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "key_id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    plans = {
        name: apigateway.create_usage_plan(name=f"smoke-{name}")["id"] for name in ("free", "pro")
    }
    _Api.accepted = staticmethod(lambda key: bool(key) and key.startswith("ca_"))
    _Api.cold = 1
    outputs = json.dumps(
        {
            "AnalyzeEndpoint": deployed_api,
            "ApiKeysTableName": table,
            "ApiGatewayUsagePlans": json.dumps(plans),
        }
    )
    aws_env = {name: os.environ[name] for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")}
    result = run(
        stubs,
        "test",
        "dev",
        STUB_OUTPUTS=outputs,
        SMOKE_RETRY_SECONDS="0",
        AWS_ENDPOINT_URL=moto_url,
        **aws_env,
    )
    assert result.returncode == 0, result.stderr
    keys_used = {request["key"] for request in _Api.seen}
    assert len(_Api.seen) == 2 and len(keys_used) == 1  # one retry while the key was new
    [key] = keys_used
    assert key not in result.stdout + result.stderr
    [item] = dynamodb.scan(TableName=table)["Items"]
    assert item["plan"]["S"] == "free" and "revoked_at" in item
    parsed = parse_key(key)
    assert parsed is not None and parsed[0] == item["key_id"]["S"]
    assert hash_secret(bytes.fromhex(item["salt"]["S"]), parsed[1]) == item["secret_hash"]["S"]
    [gateway_key] = apigateway.get_api_keys(includeValues=True)["items"]
    assert gateway_key["value"] == key and gateway_key["enabled"] is False
    members = apigateway.get_usage_plan_keys(usagePlanId=plans["free"])["items"]
    assert [m["id"] for m in members] == [gateway_key["id"]]


def test_keys_runs_the_cli_against_the_stacks_table_and_plans(stubs: dict[str, Any]) -> None:
    outputs = json.dumps({"AnalyzeEndpoint": "https://example.invalid/v1/analyze"})
    result = run(stubs, "keys", "dev", "list", STUB_OUTPUTS=outputs)
    assert result.returncode == 1
    assert "has no API keys (deployed with AuthMode=jwt" in result.stderr
    result = run(stubs, "keys", STUB_OUTPUTS=outputs)
    assert result.returncode == 1 and "keys needs an action" in result.stderr


def test_the_workflow_lints_tests_builds_and_deploys_with_oidc() -> None:
    import yaml

    text = (ROOT / ".github" / "workflows" / "deploy.yml").read_text()
    workflow = yaml.safe_load(text)
    jobs = workflow["jobs"]
    assert list(jobs) == ["test", "build", "deploy"]
    assert any("scripts/test" in str(step.get("run", "")) for step in jobs["test"]["steps"])
    assert any("sam validate --lint" in str(step.get("run", "")) for step in jobs["test"]["steps"])
    assert jobs["deploy"]["permissions"]["id-token"] == "write"
    assert workflow["permissions"] == {"contents": "read"}
    credentials = next(
        s for s in jobs["deploy"]["steps"] if "configure-aws-credentials" in s.get("uses", "")
    )
    assert "role-to-assume" in credentials["with"]
    assert "aws-access-key-id" not in text and "AWS_SECRET_ACCESS_KEY" not in text
    runs = " ".join(str(s.get("run", "")) for s in jobs["deploy"]["steps"])
    assert "infra/deploy.sh deploy" in runs and "infra/deploy.sh test" in runs
