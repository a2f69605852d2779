"""The S3, notification and daily-report handlers, the after-analysis pipeline and the
secrets loader, end to end against moto in server mode (real boto3 over HTTP)."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote_plus

import pytest
from infra_helpers import ROOT

from contract_analyzer.aws.local import LocalContext

BUCKET = "contract-analyzer-dev-123456789012-us-east-1"
EVENTS = ROOT / "events"
VULNERABLE_BANK = (ROOT / "examples" / "VulnerableBank.sol").read_text()
SAFE = "pragma solidity ^0.8.0;\ncontract Safe {\n    uint256 public x;\n}\n"

Make = Callable[[str], Any]


def _event(name: str) -> dict[str, Any]:
    event: dict[str, Any] = json.loads((EVENTS / name).read_text())
    return event


def s3_event(bucket: str, key: str) -> dict[str, Any]:
    """The notification S3 sends for a PUT, key URL-encoded as S3 encodes it."""
    event = _event("s3-put-event.json")
    record = event["Records"][0]
    record["s3"]["bucket"]["name"] = bucket
    record["s3"]["object"]["key"] = quote_plus(key, safe="/")
    return event


@pytest.fixture
def stack(aws: Make, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """The stack's resources in moto: bucket, stats table, topic with an SQS queue
    subscribed (to read what was published), the environment the template sets."""
    s3, sns, sqs, dynamodb = aws("s3"), aws("sns"), aws("sqs"), aws("dynamodb")
    s3.create_bucket(Bucket=BUCKET)
    dynamodb.create_table(
        TableName="stats",
        AttributeDefinitions=[{"AttributeName": "day", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "day", "KeyType": "HASH"}],
        BillingMode="PAY_PER_REQUEST",
    )
    topic = sns.create_topic(Name="notifications")["TopicArn"]
    queue_url = sqs.create_queue(QueueName="inbox")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])[
        "Attributes"
    ]["QueueArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn)
    monkeypatch.setenv("REPORTS_BUCKET", BUCKET)
    monkeypatch.setenv("NOTIFY_TOPIC_ARN", topic)
    monkeypatch.setenv("STATS_TABLE", "stats")
    monkeypatch.setenv("ENVIRONMENT", "dev")
    yield {"s3": s3, "sns": sns, "sqs": sqs, "dynamodb": dynamodb, "queue": queue_url}
    for table in dynamodb.list_tables()["TableNames"]:
        dynamodb.delete_table(TableName=table)
    objects = s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])
    for item in objects:
        s3.delete_object(Bucket=BUCKET, Key=item["Key"])
    s3.delete_bucket(Bucket=BUCKET)
    sns.delete_topic(TopicArn=topic)
    sqs.delete_queue(QueueUrl=queue_url)


def published(stack: dict[str, Any]) -> list[dict[str, Any]]:
    """The SNS notifications that reached the subscribed queue."""
    answer = stack["sqs"].receive_message(
        QueueUrl=stack["queue"], MaxNumberOfMessages=10, WaitTimeSeconds=1
    )
    return [json.loads(m["Body"]) for m in answer.get("Messages", [])]


# ---------------------------------------------------------------------- S3 trigger


def test_an_uploaded_contract_gets_its_report_and_a_notification(stack: dict[str, Any]) -> None:
    from contract_analyzer.aws import lambda_s3

    key = "contracts/my team/Vulnerable Bank+v2.sol"
    stack["s3"].put_object(Bucket=BUCKET, Key=key, Body=VULNERABLE_BANK.encode())
    event = s3_event(BUCKET, key)
    assert (
        event["Records"][0]["s3"]["object"]["key"] == "contracts/my+team/Vulnerable+Bank%2Bv2.sol"
    )

    answer = lambda_s3.handler(event, LocalContext("s3-trigger"))

    assert answer["processed"] == [
        {"key": key, "report_key": "reports/my team/Vulnerable Bank+v2.json", "status": "ok"}
    ]
    body = stack["s3"].get_object(Bucket=BUCKET, Key="reports/my team/Vulnerable Bank+v2.json")
    report = json.loads(body["Body"].read())
    assert [(f["type"], f["line_number"]) for f in report["findings"]] == [
        ("reentrancy", 7),
        ("unchecked_call", 7),
    ]
    assert report["overall_security_score"] == 25
    assert report["source_object"]["key"] == key
    assert report["ai"]["service_used"] == "static"

    [notification] = published(stack)
    assert notification["MessageAttributes"]["event_type"]["Value"] == "analysis"
    assert notification["MessageAttributes"]["max_severity"]["Value"] == "critical"
    message = json.loads(notification["Message"])
    assert message["counts"]["critical"] == 1 and message["counts"]["high"] == 1
    assert message["location"] == f"s3://{BUCKET}/reports/my team/Vulnerable Bank+v2.json"
    assert notification["Subject"] == "[dev] 1 critical, 1 high in VulnerableBank"

    from contract_analyzer.aws.stats import read_day

    today = datetime.now(UTC).date().isoformat()
    counters = read_day(today)
    assert counters["analyses"] == 1 and counters["severe"] == 1
    assert counters["sources"] == {"s3": 1}
    assert counters["detectors"] == {"reentrancy": 1, "unchecked_call": 1}


def test_a_clean_contract_gets_a_report_and_no_notification(stack: dict[str, Any]) -> None:
    from contract_analyzer.aws import lambda_s3

    stack["s3"].put_object(Bucket=BUCKET, Key="contracts/Safe.sol", Body=SAFE.encode())
    answer = lambda_s3.handler(s3_event(BUCKET, "contracts/Safe.sol"), LocalContext("s3"))
    assert answer["processed"][0]["status"] == "ok"
    report = json.loads(
        stack["s3"].get_object(Bucket=BUCKET, Key="reports/Safe.json")["Body"].read()
    )
    assert report["overall_security_score"] == 100
    assert published(stack) == []


def test_bad_objects_get_an_error_report_and_others_are_skipped(stack: dict[str, Any]) -> None:
    from contract_analyzer.aws import lambda_s3

    stack["s3"].put_object(Bucket=BUCKET, Key="contracts/Binary.sol", Body=b"\xff\xfe\x00\x01")
    stack["s3"].put_object(Bucket=BUCKET, Key="contracts/Empty.sol", Body=b"   \n")
    event = s3_event(BUCKET, "contracts/Binary.sol")
    event["Records"] += [
        s3_event(BUCKET, "contracts/Empty.sol")["Records"][0],
        s3_event(BUCKET, "reports/Safe.json")["Records"][0],
        s3_event(BUCKET, "contracts/readme.txt")["Records"][0],
    ]
    answer = lambda_s3.handler(event, LocalContext("s3"))
    assert [p["status"] for p in answer["processed"]] == ["error", "error"]
    assert answer["skipped"] == ["reports/Safe.json", "contracts/readme.txt"]
    binary = json.loads(
        stack["s3"].get_object(Bucket=BUCKET, Key="reports/Binary.json")["Body"].read()
    )
    assert binary["status"] == "error"
    assert binary["error"]["message"] == "the file is not UTF-8 text"
    empty = json.loads(
        stack["s3"].get_object(Bucket=BUCKET, Key="reports/Empty.json")["Body"].read()
    )
    assert empty["status"] == "error" and empty["error"]["message"]


def test_the_s3_test_event_and_wrapped_records(stack: dict[str, Any]) -> None:
    from contract_analyzer.aws import lambda_s3

    answer = lambda_s3.handler(_event("s3-test-event.json"), LocalContext("s3"))
    assert answer == {"processed": [], "skipped": [], "test_event": True}
    # The same notification delivered through SQS (S3 -> SQS -> Lambda).
    stack["s3"].put_object(Bucket=BUCKET, Key="contracts/Safe.sol", Body=SAFE.encode())
    wrapped = {
        "Records": [
            {"eventSource": "aws:sqs", "body": json.dumps(s3_event(BUCKET, "contracts/Safe.sol"))}
        ]
    }
    answer = lambda_s3.handler(wrapped, LocalContext("s3"))
    assert [p["key"] for p in answer["processed"]] == ["contracts/Safe.sol"]
    test_in_sqs = {
        "Records": [{"eventSource": "aws:sqs", "body": json.dumps(_event("s3-test-event.json"))}]
    }
    assert lambda_s3.handler(test_in_sqs, LocalContext("s3"))["processed"] == []


def test_the_sample_s3_event_runs(stack: dict[str, Any]) -> None:
    from contract_analyzer.aws import lambda_s3

    stack["s3"].put_object(
        Bucket=BUCKET, Key="contracts/my team/Vulnerable Bank.sol", Body=VULNERABLE_BANK.encode()
    )
    answer = lambda_s3.handler(_event("s3-put-event.json"), LocalContext("s3"))
    assert answer["processed"][0]["report_key"] == "reports/my team/Vulnerable Bank.json"


# ---------------------------------------------------------------------- daily report


def test_the_daily_report_counts_yesterday_writes_s3_and_publishes(stack: dict[str, Any]) -> None:
    from contract_analyzer.aws import lambda_report
    from contract_analyzer.aws.events import AnalysisSummary
    from contract_analyzer.aws.stats import record

    yesterday = (datetime.now(UTC) - timedelta(days=1)).replace(hour=12)
    findings = [
        {"type": "reentrancy", "severity": "critical"},
        {"type": "unchecked_call", "severity": "high"},
        {"type": "tx_origin", "severity": "high"},
    ]
    for source, subset in (("api", findings), ("s3", findings[:1]), ("worker", [])):
        summary = AnalysisSummary.from_findings(
            subset, source=source, analysis_type="security", timestamp=yesterday.isoformat()
        )
        summary.duration_ms = 30.0
        record(summary)

    report = lambda_report.handler(_event("schedule-event.json"), LocalContext("report"))

    day = yesterday.date().isoformat()
    assert report["day"] == day
    assert report["analyses"] == 3
    assert report["analyses_with_critical_or_high"] == 2
    assert report["severities"] == {"critical": 2, "high": 2, "medium": 0, "low": 0, "info": 0}
    assert report["sources"] == {"api": 1, "s3": 1, "worker": 1}
    assert report["top_detectors"][0] == {"type": "reentrancy", "findings": 2}
    assert report["mean_duration_ms"] == 30.0
    stored = json.loads(
        stack["s3"].get_object(Bucket=BUCKET, Key=f"summaries/daily/{day}.json")["Body"].read()
    )
    assert stored["analyses"] == 3
    [notification] = published(stack)
    assert notification["MessageAttributes"]["event_type"]["Value"] == "daily_report"
    assert json.loads(notification["Message"])["top_detectors"] == report["top_detectors"]


def test_the_daily_report_of_a_quiet_day_and_a_bad_day(stack: dict[str, Any]) -> None:
    from contract_analyzer.aws import lambda_report

    report = lambda_report.handler({"day": "2026-01-01"}, LocalContext("report"))
    assert report["analyses"] == 0 and report["top_detectors"] == []
    with pytest.raises(ValueError, match="'day' must be a date"):
        lambda_report.handler({"day": "yesterday"}, LocalContext("report"))


# ---------------------------------------------------------------------- notifications


def test_the_notify_function_formats_findings_reports_and_alarms() -> None:
    from contract_analyzer.aws import lambda_notify

    answer = lambda_notify.handler(_event("sns-notification-event.json"), LocalContext("notify"))
    kinds = [d["kind"] for d in answer["delivered"]]
    assert kinds == ["analysis", "alarm"]
    assert answer["delivered"][0]["text"].startswith(
        "[dev] 1 critical and 1 high findings in VulnerableBank via s3; first: reentrancy at line 7"
    )
    assert "contract-analyzer-dev-api-errors is ALARM" in answer["delivered"][1]["text"]
    daily = {
        "Records": [
            {
                "Sns": {
                    "Message": json.dumps(
                        {
                            "event_type": "daily_report",
                            "day": "2026-11-25",
                            "analyses": 4,
                            "severities": {"critical": 1},
                        }
                    ),
                    "MessageAttributes": {},
                }
            },
            {"Sns": {"Message": "not json", "Subject": "hello"}},
        ]
    }
    answer = lambda_notify.handler(daily, LocalContext("notify"))
    assert [d["kind"] for d in answer["delivered"]] == ["daily_report", "unknown"]
    assert "4 analyses, 1 critical" in answer["delivered"][0]["text"]
    assert answer["delivered"][1]["text"] == "hello"


# ---------------------------------------------------------------------- API


def test_the_api_publishes_critical_findings_and_counts_them(
    stack: dict[str, Any], tmp_path: Path
) -> None:
    # In a fresh process, as Lambda runs it (importing the API module in this one would
    # leave Mangum's event loop behind for other tests to trip over).
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONTRACT_ANALYZER_")}
    env.update(CONTRACT_ANALYZER_DATA_DIR=str(tmp_path), CACHE_BACKEND="memory")
    script = (
        "import json, sys\n"
        "from contract_analyzer.aws import lambda_api\n"
        "from contract_analyzer.aws.local import LocalContext\n"
        "events = [json.load(open(p)) for p in sys.argv[1:]]\n"
        "health = dict(events[0], httpMethod='GET', path='/health', body=None)\n"
        "codes = [lambda_api.handler(e, LocalContext('api'))['statusCode']\n"
        "         for e in [*events, health]]\n"
        "lambda_api.app.state.pool.close()\n"
        "print('CODES', codes)\n"
    )
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            script,
            *(str(EVENTS / n) for n in ("analyze-event.json", "analyze-event-v2.json")),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "CODES [200, 200, 200]" in result.stdout
    notifications = published(stack)
    assert len(notifications) == 2
    message = json.loads(notifications[0]["Message"])
    assert message["source"] == "api"
    assert {json.loads(n["Message"])["request_id"] for n in notifications} == {
        "sam-local-vulnerable-bank-1",
        "JKJaXmPLvHcESHA=",
    }
    assert [f["type"] for f in message["top_findings"]] == ["reentrancy", "unchecked_call"]
    from contract_analyzer.aws.stats import read_day

    counters = read_day(datetime.now(UTC).date().isoformat())
    assert counters["sources"] == {"api": 2}  # /health is not an analysis


def test_a_failing_notification_never_fails_the_analysis(
    aws: Make, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from contract_analyzer.aws.events import AnalysisSummary, after_analysis

    monkeypatch.setenv("NOTIFY_TOPIC_ARN", "arn:aws:sns:us-east-1:123456789012:missing")
    monkeypatch.setenv("STATS_TABLE", "missing-table")
    summary = AnalysisSummary.from_findings(
        [{"type": "reentrancy", "severity": "critical"}], source="api", analysis_type="security"
    )
    with caplog.at_level(logging.WARNING, logger="contract_analyzer"):
        after_analysis(summary)
    messages = [r.getMessage() for r in caplog.records]
    assert any("step stats failed" in m for m in messages)
    assert any("step notification failed" in m for m in messages)


# ---------------------------------------------------------------------- secrets


def test_ai_keys_come_from_secrets_manager_once_and_never_show(
    aws: Make, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from contract_analyzer.ai.enrich import get_ai_settings
    from contract_analyzer.aws.secrets import SecretsLoader, ai_key_overrides

    secrets = aws("secretsmanager")
    openai_arn = secrets.create_secret(Name="openai-key", SecretString="sk-test-openai-123")["ARN"]
    gemini_arn = secrets.create_secret(
        Name="gemini-key", SecretString=json.dumps({"api_key": "gm-test-456"})
    )["ARN"]
    for name in ("OPENAI_API_KEY", "GEMINI_API_KEY", "GOOGLE_API_KEY", "OPENAI_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    env = {"OPENAI_API_KEY_SECRET_ARN": openai_arn, "GEMINI_API_KEY_SECRET_ARN": gemini_arn}

    calls: list[str] = []
    loader = SecretsLoader()
    real_fetch = loader._fetch
    loader._fetch = lambda arn: calls.append(arn) or real_fetch(arn)  # type: ignore[func-returns-value]
    assert ai_key_overrides(env, loader) == {
        "openai_api_key": "sk-test-openai-123",
        "gemini_api_key": "gm-test-456",
    }
    assert ai_key_overrides(env, loader)  # cached: no second read
    assert sorted(calls) == sorted([openai_arn, gemini_arn])
    # A key given directly wins over its secret.
    assert "openai_api_key" not in ai_key_overrides({**env, "OPENAI_API_KEY": "x"}, loader)

    # Through the AI settings, as the functions read them.
    monkeypatch.setenv("OPENAI_API_KEY_SECRET_ARN", openai_arn)
    monkeypatch.setenv("AI_PROVIDERS", "openai,gemini")
    get_ai_settings.cache_clear()
    try:
        # INFO as on Lambda (botocore's own DEBUG lines print response bodies).
        with caplog.at_level(logging.INFO):
            settings = get_ai_settings()
        assert settings.configured_providers() == ("openai",)
        assert settings.openai_api_key is not None
        assert settings.openai_api_key.get_secret_value() == "sk-test-openai-123"
        assert "sk-test-openai-123" not in repr(settings)
    finally:
        get_ai_settings.cache_clear()

    # A secret that cannot be read leaves the provider off, with a warning that names the
    # variable, not the ARN or a value.
    missing = {"OPENAI_API_KEY_SECRET_ARN": openai_arn.replace("openai-key", "nope")}
    with caplog.at_level(logging.WARNING):
        assert ai_key_overrides(missing, SecretsLoader()) == {}
    warning = [r.getMessage() for r in caplog.records if "cannot read" in r.getMessage()][-1]
    assert "OPENAI_API_KEY_SECRET_ARN" in warning and "ResourceNotFoundException" in warning
    assert "nope" not in warning
    text = caplog.text
    assert "sk-test-openai-123" not in text and "gm-test-456" not in text


def test_clients_are_warmed_in_the_background_only_when_needed(
    aws: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    from contract_analyzer.aws import clients
    from contract_analyzer.aws.events import warm_clients

    assert warm_clients() is None  # nothing to publish: boto3 stays unloaded
    monkeypatch.setenv("STATS_TABLE", "stats")
    thread = warm_clients()
    assert thread is not None
    thread.join(timeout=30)
    assert set(clients._clients) == {"dynamodb"}
