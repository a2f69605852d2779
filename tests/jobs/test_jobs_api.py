"""POST /jobs and GET /jobs/{job_id} on the local backend (SQLite job store and queue,
job runners in the server process): results, failures, idempotency, signed callbacks
with retries, and recovery after a restart."""

from __future__ import annotations

import copy
import json
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from jobs_helpers import SECRET, CallbackReceiver, wait_for_job
from service_helpers import HOOKED_HANDLER, SLOW, assert_error_shape

from contract_analyzer.config import Settings
from contract_analyzer.service import callbacks
from contract_analyzer.service.app import create_app
from contract_analyzer.service.jobs import recover_local
from contract_analyzer.service.pool import AnalysisPool
from contract_analyzer.storage.base import Job
from contract_analyzer.storage.sqlite import SQLiteJobStore, SQLiteQueue

ROOT = Path(__file__).resolve().parents[2]
BANK = (ROOT / "examples" / "VulnerableBank.sol").read_text()


def _fresh() -> str:
    return f"{BANK}\n// {uuid.uuid4()}\n"


def _settings(data_dir: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "data_dir": data_dir,
        "analysis_timeout_seconds": 1.5,
        "callback_secret": SECRET,
        "callback_allow_private_networks": True,
        "callback_retry_seconds": 0.1,
        "callback_max_attempts": 3,
        "jobs_concurrency": 2,
    }
    values.update(overrides)
    return Settings(**values)


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    settings = _settings(tmp_path_factory.mktemp("jobs"))
    app = create_app(settings, pool=AnalysisPool(2, handler=HOOKED_HANDLER))
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


def test_a_job_runs_and_its_result_is_the_analyze_answer(client: TestClient) -> None:
    source = _fresh()
    response = client.post(
        "/jobs", json={"contract_code": source}, headers={"X-Request-ID": "job-req-1"}
    )
    assert response.status_code == 202
    accepted = response.json()
    assert set(accepted) == {"job_id", "status", "status_url"}
    assert accepted["status"] == "queued"
    assert response.headers["location"] == accepted["status_url"]
    assert accepted["status_url"].endswith(f"/jobs/{accepted['job_id']}")
    done = wait_for_job(client, accepted["job_id"])
    assert done["status"] == "succeeded" and done["error"] is None
    assert done["kind"] == "analyze" and done["attempts"] == 1
    assert done["request_id"] == "job-req-1" == done["result"]["request_id"]
    assert done["created_at"] <= done["started_at"] <= done["finished_at"]
    direct = client.post("/analyze", json={"contract_code": source}).json()
    assert direct["cached"] is True and direct["cached_request_id"] == "job-req-1"
    volatile = ("request_id", "timestamp", "cached", "cached_request_id", "cached_at")
    expected = {k: v for k, v in direct.items() if k not in volatile}
    assert {k: v for k, v in done["result"].items() if k not in volatile} == expected
    assert done["result"]["analysis_report"]["overall_security_score"] == 25


def test_a_batch_job(client: TestClient) -> None:
    files = {"contracts/Bank.sol": _fresh(), "contracts/Other.sol": "contract Other {}\n"}
    accepted = client.post("/jobs", json={"files": files, "analysis_type": "full"}).json()
    done = wait_for_job(client, accepted["job_id"])
    assert done["status"] == "succeeded" and done["kind"] == "batch"
    report = done["result"]["analysis_report"]
    assert [f["name"] for f in report["files"]] == list(files)
    assert done["result"]["analysis_type"] == "full"


def test_unknown_jobs_are_404_in_the_error_shape(client: TestClient) -> None:
    for job_id in (str(uuid.uuid4()), "not-a-job", "idempotency%23abc"):
        response = client.get(f"/jobs/{job_id}")
        assert response.status_code == 404
        assert_error_shape(response.json(), "not_found", response.headers["x-request-id"])


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "contract_code"),
        ({"contract_code": "contract A {}", "files": {"a.sol": "contract A {}"}}, "not both"),
        ({"contract_code": None}, "null"),
        ({"contract_code": "   "}, "empty"),
        ({"files": {}}, "files"),
        ({"contract_code": "contract A {}", "callback_url": "ftp://example.com/x"}, "http"),
        ({"contract_code": "contract A {}", "callback_url": "https://u:p@example.com/"}, "host"),
        ({"contract_code": "contract A {}", "analysis_type": "everything"}, "analysis_type"),
    ],
)
def test_bad_job_requests_are_422(client: TestClient, body: dict[str, Any], field: str) -> None:
    response = client.post("/jobs", json=body)
    assert response.status_code == 422, response.text
    assert_error_shape(response.json(), "validation_error")
    assert field in response.json()["error"]["message"]


def test_bad_idempotency_key_is_422(client: TestClient) -> None:
    response = client.post(
        "/jobs",
        json={"contract_code": "contract A {}"},
        headers={"Idempotency-Key": "has spaces in it"},
    )
    assert response.status_code == 422
    assert "Idempotency-Key" in response.json()["error"]["message"]


def test_idempotency_key_gives_the_same_job(client: TestClient) -> None:
    key = f"ci-run-{uuid.uuid4()}"
    body = {"contract_code": _fresh()}
    first = client.post("/jobs", json=body, headers={"Idempotency-Key": key})
    again = client.post("/jobs", json=body, headers={"Idempotency-Key": key})
    assert first.status_code == again.status_code == 202
    assert again.json()["job_id"] == first.json()["job_id"]
    assert again.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    conflict = client.post(
        "/jobs", json={"contract_code": _fresh()}, headers={"Idempotency-Key": key}
    )
    assert conflict.status_code == 409
    assert_error_shape(conflict.json(), "idempotency_conflict")
    other = client.post("/jobs", json=body, headers={"Idempotency-Key": key + "-2"})
    assert other.json()["job_id"] != first.json()["job_id"]


def test_an_analysis_error_fails_the_job_at_once(client: TestClient) -> None:
    accepted = client.post("/jobs", json={"contract_code": f"contract A {{}}\n{SLOW}\n"}).json()
    done = wait_for_job(client, accepted["job_id"], timeout=20)
    assert done["status"] == "failed" and done["result"] is None
    assert done["error"]["code"] == "analysis_timeout"
    assert done["attempts"] == 1


# ---------------------------------------------------------------------- callbacks


def test_callback_is_signed_and_verifiable(client: TestClient) -> None:
    with CallbackReceiver() as receiver:
        accepted = client.post(
            "/jobs", json={"contract_code": _fresh(), "callback_url": receiver.url}
        ).json()
        done = wait_for_job(
            client,
            accepted["job_id"],
            check=lambda b: b["callback"]["status"] == "delivered",
        )
    assert done["callback"]["attempts"] == 1 and done["callback"]["delivered_at"]
    [call] = receiver.received
    assert call.path == "/hooks/analysis?team=7"
    headers = call.headers
    assert headers["content-type"] == "application/json"
    assert headers["x-contract-analyzer-event"] == "job.succeeded"
    assert headers["x-contract-analyzer-job-id"] == accepted["job_id"]
    assert headers["x-contract-analyzer-delivery"] == accepted["job_id"]
    signature = headers["x-contract-analyzer-signature"]
    assert callbacks.verify(SECRET.encode(), signature, call.body)
    assert not callbacks.verify(b"another secret", signature, call.body)
    assert not callbacks.verify(SECRET.encode(), signature, call.body + b" ")
    payload = json.loads(call.body)
    assert payload["job_id"] == accepted["job_id"] and payload["status"] == "succeeded"
    assert payload["result"]["analysis_report"]["overall_security_score"] == 25


def test_callback_is_retried_with_backoff(client: TestClient) -> None:
    with CallbackReceiver(statuses=[503, 500]) as receiver:
        accepted = client.post(
            "/jobs", json={"contract_code": _fresh(), "callback_url": receiver.url}
        ).json()
        done = wait_for_job(
            client,
            accepted["job_id"],
            check=lambda b: b["callback"]["status"] == "delivered",
        )
    assert done["callback"]["attempts"] == 3
    attempts = [r.headers["x-contract-analyzer-attempt"] for r in receiver.received]
    assert attempts == ["1", "2", "3"]
    assert len({r.body for r in receiver.received}) == 1  # the same document each time


def test_callback_gives_up(client: TestClient) -> None:
    with CallbackReceiver(statuses=[500, 500, 500, 500]) as receiver:
        accepted = client.post(
            "/jobs", json={"contract_code": _fresh(), "callback_url": receiver.url}
        ).json()
        done = wait_for_job(
            client, accepted["job_id"], check=lambda b: b["callback"]["status"] == "failed"
        )
        assert len(receiver.received) == 3
    assert done["status"] == "succeeded"
    assert done["callback"]["last_error"] == "HTTP 500"


def test_a_4xx_answer_is_not_retried(client: TestClient) -> None:
    with CallbackReceiver(statuses=[410]) as receiver:
        accepted = client.post(
            "/jobs", json={"contract_code": _fresh(), "callback_url": receiver.url}
        ).json()
        done = wait_for_job(
            client, accepted["job_id"], check=lambda b: b["callback"]["status"] == "failed"
        )
        assert len(receiver.received) == 1
    assert done["callback"]["attempts"] == 1 and done["callback"]["last_error"] == "HTTP 410"


def test_a_failed_job_is_called_back_too(client: TestClient) -> None:
    with CallbackReceiver() as receiver:
        accepted = client.post(
            "/jobs",
            json={"contract_code": f"contract B {{}}\n{SLOW}\n", "callback_url": receiver.url},
        ).json()
        wait_for_job(
            client,
            accepted["job_id"],
            timeout=20,
            check=lambda b: b["callback"]["status"] == "delivered",
        )
    [call] = receiver.received
    assert call.headers["x-contract-analyzer-event"] == "job.failed"
    assert json.loads(call.body)["error"]["code"] == "analysis_timeout"


def test_callbacks_to_private_addresses_are_refused_at_delivery(tmp_path: Path) -> None:
    settings = _settings(tmp_path, callback_allow_private_networks=False)
    with (
        CallbackReceiver() as receiver,
        TestClient(create_app(settings, pool=AnalysisPool(1))) as strict,
    ):
        accepted = strict.post(
            "/jobs", json={"contract_code": _fresh(), "callback_url": receiver.url}
        )
        assert accepted.status_code == 202  # the URL's shape is fine
        done = wait_for_job(
            strict,
            accepted.json()["job_id"],
            check=lambda b: b["callback"]["status"] == "failed",
        )
        assert receiver.received == []
    assert done["status"] == "succeeded"
    assert done["callback"]["attempts"] == 1
    assert "non-public address" in done["callback"]["last_error"]


def test_callbacks_need_a_secret(tmp_path: Path) -> None:
    settings = _settings(tmp_path, callback_secret=None)
    with TestClient(create_app(settings, pool=AnalysisPool(1, warmup=False))) as unsigned:
        response = unsigned.post(
            "/jobs",
            json={"contract_code": "contract A {}", "callback_url": "https://ci.example.com/h"},
        )
    assert response.status_code == 422
    assert "CALLBACK_SECRET" in response.json()["error"]["message"]


def test_signature_helpers() -> None:
    body = b'{"job_id": "x"}'
    header = callbacks.sign(b"k", body, timestamp=1_700_000_000)
    assert header.startswith("t=1700000000,v1=")
    assert callbacks.verify(b"k", header, body, now=1_700_000_100)
    assert not callbacks.verify(b"k", header, body, now=1_700_000_000 + 301)  # replayed
    assert not callbacks.verify(b"k", "v1=abc", body)
    assert not callbacks.verify(b"k", "t=soon,v1=abc", body)
    assert callbacks.retry_delay(1, 10) == 10 and callbacks.retry_delay(3, 10) == 90
    assert callbacks.retry_delay(20, 10) == 900


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/x",
        "http://localhost/x",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.8/",
        "http://[::1]/",
    ],
)
def test_delivery_refuses_non_public_addresses(url: str) -> None:
    result = callbacks.deliver(url, b"{}", {}, timeout=1, allow_private=False)
    assert not result.ok and not result.retry
    assert result.detail.startswith("refused")


# ---------------------------------------------------------------------- recovery


def test_recovery_of_the_local_queue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "jobs.sqlite3"
    store, queue = SQLiteJobStore(path), SQLiteQueue(path, max_receives=3)
    request = {"contract_code": "contract A {}", "analysis_type": "security"}

    def job() -> Job:
        return Job(job_id=str(uuid.uuid4()), kind="analyze", request=copy.deepcopy(request),
                   request_id="r", expires_at=time.time() + 600)  # fmt: skip

    interrupted, unsent, poisoned, finished = job(), job(), job(), job()
    for item in (interrupted, unsent, poisoned, finished):
        store.create(item)
    dead_server = SQLiteQueue(path, max_receives=3)
    dead_server.owner = "gone-host:1:1"
    dead_server.send({"type": "run", "job_id": interrupted.job_id})
    dead_server.receive(visibility_seconds=600)
    store.start(interrupted.job_id)
    queue.send({"type": "run", "job_id": poisoned.job_id})
    for _ in range(3):
        [delivery] = queue.receive()
        queue.release(delivery)
    assert queue.receive() == []  # dead now
    store.finish(finished.job_id, status="succeeded", result={})
    monkeypatch.setattr(
        "contract_analyzer.storage.sqlite.owner_alive", lambda owner: owner != "gone-host:1:1"
    )
    counts = recover_local(store, queue)
    assert counts == {"released": 1, "requeued": 1, "failed": 1}
    assert [store.get(j.job_id).status for j in (interrupted, unsent, poisoned, finished)] == [  # type: ignore[union-attr]
        "queued",
        "queued",
        "failed",
        "succeeded",
    ]
    bodies = sorted(d.body["job_id"] for d in queue.receive(max_messages=10))
    assert bodies == sorted([interrupted.job_id, unsent.job_id])


def test_the_worker_command_runs_local_jobs(tmp_path: Path) -> None:
    import os
    import subprocess

    from service_helpers import console_script

    path = tmp_path / "jobs.sqlite3"
    store, queue = SQLiteJobStore(path), SQLiteQueue(path)
    job = Job(
        job_id=str(uuid.uuid4()),
        kind="analyze",
        request={"contract_code": BANK, "analysis_type": "security"},
        request_id="from-the-cli",
        expires_at=time.time() + 600,
    )
    store.create(job)
    queue.send({"type": "run", "job_id": job.job_id})
    result = subprocess.run(
        [console_script(), "worker", "--once", "--poll-seconds", "0.5", "--concurrency", "1"],
        env={**os.environ, "CONTRACT_ANALYZER_DATA_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "from the sqlite queue" in result.stderr
    done = store.get(job.job_id)
    assert done is not None and done.status == "succeeded" and done.result is not None
    assert done.result["request_id"] == "from-the-cli"
    assert done.result["analysis_report"]["overall_security_score"] == 25
    assert queue.receive() == []


def test_status_url_behind_api_gateway_keeps_the_stage(tmp_path: Path) -> None:
    """Mangum hands the app ``/jobs``; the caller posted to ``/prod/jobs`` (the REST API's
    stage), which the event's ``requestContext.path`` says."""
    app = create_app(Settings(data_dir=tmp_path), pool=AnalysisPool(1, warmup=False))

    async def as_on_lambda(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            scope["aws.event"] = {"requestContext": {"path": "/prod" + scope["path"]}}
        await app(scope, receive, send)

    base = "https://abc123.execute-api.us-east-1.amazonaws.com"
    with TestClient(as_on_lambda, base_url=base) as gateway:
        response = gateway.post("/jobs", json={"contract_code": "contract A {}"})
    assert response.status_code == 202
    assert response.json()["status_url"].startswith(f"{base}/prod/jobs/")
    assert response.headers["location"] == response.json()["status_url"]
