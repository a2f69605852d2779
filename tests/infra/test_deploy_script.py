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
    seen: list[dict[str, Any]] = []

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        _Api.seen.append({"key": self.headers.get("x-api-key"), "body": body})
        answer = json.dumps({"analysis_report": {"overall_security_score": 25}}).encode()
        self.send_response(200 if self.headers.get("x-api-key") == "key-123" else 403)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args: Any) -> None:
        pass


def test_the_smoke_test_posts_vulnerable_bank_with_the_api_key(stubs: dict[str, Any]) -> None:
    server = HTTPServer(("127.0.0.1", 0), _Api)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        endpoint = f"http://127.0.0.1:{server.server_port}/v1/analyze"
        outputs = json.dumps({"AnalyzeEndpoint": endpoint, "ApiKeyId": "abc123"})
        result = run(stubs, "test", "dev", STUB_OUTPUTS=outputs, STUB_API_KEY="key-123")
        assert result.returncode == 0, result.stderr
        assert "OK: the deployed API analysed VulnerableBank" in result.stderr
        assert "key-123" not in result.stdout + result.stderr
        [request] = _Api.seen
        assert request["key"] == "key-123"
        assert request["body"]["contract_name"] == "VulnerableBank"
        assert "contract VulnerableBank" in request["body"]["contract_code"]
        result = run(stubs, "test", "dev", STUB_OUTPUTS=outputs, STUB_API_KEY="wrong")
        assert result.returncode == 1 and "the API answered HTTP 403" in result.stderr
    finally:
        server.shutdown()
        server.server_close()
    assert os.environ.get("AWS_ACCESS_KEY_ID") != "real"


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
