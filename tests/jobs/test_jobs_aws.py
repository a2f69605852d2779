"""Jobs on the AWS backend, through boto3 against moto in server mode: the API writes
DynamoDB and SQS, the worker Lambda handler consumes SQS batches with partial batch
failures, a poison message ends in the dead-letter queue after 3 receives with its job
failed, and ``contract-analyzer worker`` runs jobs from SQS and stops on SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from jobs_helpers import wait_for_job
from service_helpers import HOOKED_HANDLER, RAISE, console_script

from contract_analyzer.aws import lambda_worker
from contract_analyzer.aws.local import LocalContext
from contract_analyzer.config import Settings
from contract_analyzer.service.app import create_app
from contract_analyzer.service.jobs import WorkerRuntime
from contract_analyzer.service.pool import AnalysisPool
from contract_analyzer.storage.aws import (
    create_cache_table,
    create_jobs_table,
    create_queue_with_dlq,
)
from moto_helpers import boto, unique

ROOT = Path(__file__).resolve().parents[2]
BANK = (ROOT / "examples" / "VulnerableBank.sol").read_text()


def _fresh() -> str:
    return f"{BANK}\n// {uuid.uuid4()}\n"


@pytest.fixture
def aws_settings(aws_env: str, tmp_path: Path) -> Settings:
    """Settings of an AWS deployment: tables and queues made for this test on moto."""
    jobs_table, cache_table = unique("jobs"), unique("cache")
    create_jobs_table(jobs_table)
    create_cache_table(cache_table)
    queue_url, dlq_url = create_queue_with_dlq(unique("jobs"), max_receives=3)
    return Settings(
        data_dir=tmp_path,
        jobs_backend="aws",
        jobs_table=jobs_table,
        jobs_queue_url=queue_url,
        jobs_dlq_url=dlq_url,
        cache_backend="dynamodb",
        cache_table=cache_table,
        analysis_timeout_seconds=5,
    )


@pytest.fixture
def api(aws_settings: Settings) -> Iterator[TestClient]:
    app = create_app(aws_settings, pool=AnalysisPool(1, warmup=False))
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def worker(aws_settings: Settings) -> Iterator[WorkerRuntime]:
    """The Lambda handler's runtime, with the test hooks in its analysis worker."""
    runtime = WorkerRuntime(
        aws_settings, pool_size=1, pool=AnalysisPool(1, handler=HOOKED_HANDLER), heartbeat=False
    )
    lambda_worker.use_runtime(runtime)
    yield runtime
    lambda_worker.reset()


def _event(messages: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "Records": [
            {
                "messageId": m["MessageId"],
                "receiptHandle": m["ReceiptHandle"],
                "body": m["Body"],
                "attributes": m.get("Attributes", {}),
                "messageAttributes": {},
                "md5OfBody": m.get("MD5OfBody", ""),
                "eventSource": "aws:sqs",
                "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:jobs",
                "awsRegion": "us-east-1",
            }
            for m in messages
        ]
    }


def lambda_poll(queue_url: str) -> tuple[int, set[str]]:
    """What the Lambda service does once: receive a batch, invoke the handler, delete
    the records it did not report as failures. (Failed records are made visible at
    once here, instead of after their backoff, to keep the test short.) Returns the
    batch size and the failed message ids."""
    sqs = boto("sqs")
    messages = sqs.receive_message(
        QueueUrl=queue_url,
        MaxNumberOfMessages=10,
        MessageSystemAttributeNames=["ApproximateReceiveCount"],
    ).get("Messages", [])
    if not messages:
        return 0, set()
    answer = lambda_worker.handler(_event(messages), LocalContext("contract-analyzer-worker"))
    failed = {f["itemIdentifier"] for f in answer["batchItemFailures"]}
    for message in messages:
        if message["MessageId"] in failed:
            sqs.change_message_visibility(
                QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=0
            )
        else:
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
    return len(messages), failed


def _run_queue(queue_url: str, rounds: int = 10) -> None:
    for _ in range(rounds):
        size, _ = lambda_poll(queue_url)
        if size == 0:
            return


def test_jobs_through_dynamodb_sqs_and_the_lambda_worker(
    api: TestClient, worker: WorkerRuntime, aws_settings: Settings
) -> None:
    source = _fresh()
    accepted = api.post("/jobs", json={"contract_code": source}, headers={"X-Request-ID": "aws-1"})
    assert accepted.status_code == 202
    job_id = accepted.json()["job_id"]
    item = boto("dynamodb").get_item(
        TableName=aws_settings.jobs_table, Key={"job_id": {"S": job_id}}
    )["Item"]
    assert item["status"]["S"] == "queued" and "expires_at" in item
    assert api.get(f"/jobs/{job_id}").json()["status"] == "queued"
    size, failed = lambda_poll(aws_settings.jobs_queue_url)
    assert (size, failed) == (1, set())
    done = api.get(f"/jobs/{job_id}").json()
    assert done["status"] == "succeeded" and done["attempts"] == 1
    assert done["result"]["request_id"] == "aws-1"
    assert done["result"]["analysis_report"]["overall_security_score"] == 25
    # The worker filled the DynamoDB cache: the API answers the same source from it.
    direct = api.post("/analyze", json={"contract_code": source}).json()
    assert direct["cached"] is True and direct["cached_request_id"] == "aws-1"


def test_one_bad_message_does_not_fail_the_batch(
    api: TestClient, worker: WorkerRuntime, aws_settings: Settings
) -> None:
    good = api.post("/jobs", json={"files": {"Bank.sol": _fresh()}}).json()["job_id"]
    sqs = boto("sqs")
    sqs.send_message(QueueUrl=aws_settings.jobs_queue_url, MessageBody="{not json")
    sqs.send_message(
        QueueUrl=aws_settings.jobs_queue_url,
        MessageBody=json.dumps({"type": "run", "job_id": str(uuid.uuid4())}),
    )
    messages = sqs.receive_message(
        QueueUrl=aws_settings.jobs_queue_url,
        MaxNumberOfMessages=10,
        MessageSystemAttributeNames=["ApproximateReceiveCount"],
    )["Messages"]
    assert len(messages) == 3
    answer = lambda_worker.handler(_event(messages), LocalContext("worker"))
    by_id = {m["MessageId"]: json.loads(m["Body"]) if m["Body"][0] == "{" and "type" in m["Body"] else None for m in messages}  # fmt: skip
    failed = [f["itemIdentifier"] for f in answer["batchItemFailures"]]
    assert len(failed) == 2
    assert all(by_id[m] is None or by_id[m]["job_id"] != good for m in failed)
    assert api.get(f"/jobs/{good}").json()["status"] == "succeeded"


def test_a_poison_message_ends_in_the_dlq_and_its_job_fails(
    api: TestClient, worker: WorkerRuntime, aws_settings: Settings
) -> None:
    poison = {"contract_code": f"contract P {{}}\n{RAISE}\n// {uuid.uuid4()}\n"}
    job_id = api.post("/jobs", json=poison).json()["job_id"]
    for receive in (1, 2, 3):
        size, failed = lambda_poll(aws_settings.jobs_queue_url)
        assert size == 1 and len(failed) == 1, f"receive {receive}"
        status = api.get(f"/jobs/{job_id}").json()
        assert status["attempts"] == receive
        assert status["status"] == ("failed" if receive == 3 else "queued")
    assert lambda_poll(aws_settings.jobs_queue_url) == (0, set())  # moved to the DLQ
    dead = boto("sqs").receive_message(QueueUrl=aws_settings.jobs_dlq_url, MaxNumberOfMessages=10)
    assert [json.loads(m["Body"]) for m in dead["Messages"]] == [{"type": "run", "job_id": job_id}]
    failed_job = api.get(f"/jobs/{job_id}").json()
    assert failed_job["status"] == "failed" and failed_job["result"] is None
    assert failed_job["error"]["code"] == "job_failed"
    message = failed_job["error"]["message"]
    assert "failed 3 times" in message and "a bug in the analysis (test hook)" in message


def test_the_dlq_handler_fails_jobs_that_died_with_their_runner(
    api: TestClient, worker: WorkerRuntime, aws_settings: Settings
) -> None:
    job_id = api.post("/jobs", json={"contract_code": _fresh()}).json()["job_id"]
    record = {"MessageId": "m-1", "ReceiptHandle": "r-1", "Body": json.dumps({"type": "run", "job_id": job_id})}  # fmt: skip
    answer = lambda_worker.dlq_handler(_event([record]), LocalContext("dlq"))
    assert answer == {"batchItemFailures": []}
    status = api.get(f"/jobs/{job_id}").json()
    assert status["status"] == "failed" and "dead-letter queue" in status["error"]["message"]


def test_records_without_time_left_are_returned_untouched(
    api: TestClient, worker: WorkerRuntime, aws_settings: Settings
) -> None:
    job_id = api.post("/jobs", json={"contract_code": _fresh()}).json()["job_id"]
    messages = boto("sqs").receive_message(QueueUrl=aws_settings.jobs_queue_url)["Messages"]
    context = LocalContext("worker", timeout_seconds=1.0)
    answer = lambda_worker.handler(_event(messages), context)
    assert [f["itemIdentifier"] for f in answer["batchItemFailures"]] == [messages[0]["MessageId"]]
    assert api.get(f"/jobs/{job_id}").json()["attempts"] == 0


def test_importing_the_worker_handler_stays_light() -> None:
    code = (
        "import sys, json; import contract_analyzer.aws.lambda_worker; "
        "print(json.dumps(sorted(sys.modules)))"
    )
    result = subprocess.run(
        [os.sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    heavy = (
        "boto3",
        "botocore",
        "openai",
        "google.genai",
        "tree_sitter",
        "contract_analyzer.engine",
    )
    assert [m for m in json.loads(result.stdout) if m.startswith(heavy)] == []


# ---------------------------------------------------------------------- the worker command


def _worker_env(settings: Settings) -> dict[str, str]:
    return {
        **os.environ,
        "CONTRACT_ANALYZER_DATA_DIR": str(settings.data_dir),
        "JOBS_BACKEND": "aws",
        "JOBS_TABLE": settings.jobs_table,
        "JOBS_QUEUE_URL": settings.jobs_queue_url,
        "JOBS_DLQ_URL": settings.jobs_dlq_url,
        "CACHE_BACKEND": "dynamodb",
        "CACHE_TABLE": settings.cache_table,
    }


def test_the_worker_command_runs_jobs_from_sqs(api: TestClient, aws_settings: Settings) -> None:
    job_ids = [api.post("/jobs", json={"contract_code": _fresh()}).json()["job_id"] for _ in range(3)]  # fmt: skip
    result = subprocess.run(
        [console_script(), "worker", "--once", "--poll-seconds", "1", "--concurrency", "2"],
        env=_worker_env(aws_settings),
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "sqs queue" in result.stderr
    for job_id in job_ids:
        body = wait_for_job(api, job_id, timeout=5)
        assert body["status"] == "succeeded"


def test_the_worker_command_stops_gracefully_on_sigterm(aws_settings: Settings) -> None:
    process = subprocess.Popen(
        [console_script(), "worker", "--poll-seconds", "1", "--concurrency", "1"],
        env=_worker_env(aws_settings),
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stderr is not None
        line = process.stderr.readline()
        assert "worker: 1 job(s) at once" in line, line
        started = time.monotonic()
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
        assert time.monotonic() - started < 10
        assert "stopped after 0 message(s)" in process.stderr.read()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        if process.stderr is not None:
            process.stderr.close()


def test_the_callback_key_can_come_from_secrets_manager(aws_env: str, tmp_path: Path) -> None:
    from contract_analyzer.service.callbacks import signing_configured, signing_key

    arn = boto("secretsmanager").create_secret(
        Name=unique("callback"), SecretString=json.dumps({"callback_secret": "from-the-vault"})
    )["ARN"]
    settings = Settings(data_dir=tmp_path, callback_secret_arn=arn)
    assert signing_configured(settings)
    assert signing_key(settings) == b"from-the-vault"
    assert signing_key(Settings(data_dir=tmp_path, callback_secret="direct")) == b"direct"
    assert signing_key(Settings(data_dir=tmp_path)) is None


def test_a_finished_job_with_critical_findings_is_notified_and_measured(
    api: TestClient,
    worker: WorkerRuntime,
    aws_settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    sns, sqs = boto("sns"), boto("sqs")
    topic = sns.create_topic(Name=unique("notify"))["TopicArn"]
    inbox = sqs.create_queue(QueueName=unique("inbox"))["QueueUrl"]
    inbox_arn = sqs.get_queue_attributes(QueueUrl=inbox, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=inbox_arn)
    monkeypatch.setenv("NOTIFY_TOPIC_ARN", topic)
    job_id = api.post("/jobs", json={"contract_code": _fresh()}).json()["job_id"]
    capsys.readouterr()
    assert lambda_poll(aws_settings.jobs_queue_url) == (1, set())
    assert api.get(f"/jobs/{job_id}").json()["status"] == "succeeded"
    received = sqs.receive_message(QueueUrl=inbox, WaitTimeSeconds=1).get("Messages", [])
    assert len(received) == 1
    message = json.loads(json.loads(received[0]["Body"])["Message"])
    assert message["source"] == "worker" and message["location"] == f"job:{job_id}"
    assert message["counts"]["critical"] == 1 and message["counts"]["high"] == 1
    # Powertools: the invocation's metrics as one EMF document.
    documents = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line]
    emf = [d for d in documents if "_aws" in d]
    assert emf and emf[-1]["JobMessages"] == [1.0] and emf[-1]["Analyses"] == [1.0]
