"""Crash test of the local job queue: a real ``contract-analyzer serve`` gets 50 jobs, is
killed with SIGKILL while it runs them, and is started again on the same data
directory. Every job ends ``succeeded``; none is lost; none is run to completion
twice (a job finished before the kill keeps its result byte for byte)."""

from __future__ import annotations

import json
import signal
import time
from pathlib import Path
from typing import Any

from service_helpers import http_request, running_server

from contract_analyzer.storage.sqlite import SQLiteJobStore, SQLiteQueue

JOBS = 50
FUNCTIONS = 800  # about 0.15 s of analysis per job: the kill lands mid-run


def _source(n: int) -> str:
    body = "\n".join(
        f"    function f{i}(uint256 a) public returns (uint256) {{ total += a * {i}; "
        "return total; }"
        for i in range(FUNCTIONS)
    )
    return (
        f"pragma solidity ^0.8.0;\ncontract Busy {{\n    uint256 total;\n{body}\n}}\n// job {n}\n"
    )


def _get(port: int, job_id: str) -> dict[str, Any]:
    status, _, raw = http_request(port, "GET", f"/jobs/{job_id}")
    assert status == 200, raw
    body: dict[str, Any] = json.loads(raw)
    return body


def _findings(job: dict[str, Any]) -> list[tuple[str, int]]:
    report = job["result"]["analysis_report"]
    return [(v["type"], v["line_number"]) for v in report["vulnerabilities"]]


def test_killed_server_loses_no_job_and_finishes_none_twice(tmp_path: Path) -> None:
    env = {
        "CONTRACT_ANALYZER_DATA_DIR": str(tmp_path),
        "CONTRACT_ANALYZER_CACHE_BACKEND": "off",  # every job really runs
        "CONTRACT_ANALYZER_ANALYSIS_WORKERS": "2",
        "CONTRACT_ANALYZER_JOBS_CONCURRENCY": "2",
        "CONTRACT_ANALYZER_MAX_BODY_BYTES": str(4 * 1024 * 1024),
    }
    job_ids: list[str] = []
    with running_server(**env) as (server, port):
        for n in range(JOBS):
            status, _, raw = http_request(
                port,
                "POST",
                "/jobs",
                json.dumps({"contract_code": _source(n)}).encode(),
                {"Content-Type": "application/json"},
            )
            assert status == 202, raw
            job_ids.append(json.loads(raw)["job_id"])
        deadline = time.monotonic() + 30
        while _get(port, job_ids[6])["status"] == "queued":  # kill while it runs
            assert time.monotonic() < deadline, "the jobs do not run"
            time.sleep(0.01)
        server.send_signal(signal.SIGKILL)
        server.wait()
    # The job store as the dead server left it.
    before: dict[str, dict[str, Any]] = {}
    store = SQLiteJobStore(tmp_path / "jobs.sqlite3")
    for job_id in job_ids:
        job = store.get(job_id)
        assert job is not None
        before[job_id] = {"status": job.status, "result": job.result, "attempts": job.attempts}
    store.close()
    done_before = [j for j in job_ids if before[j]["status"] == "succeeded"]
    interrupted = [j for j in job_ids if before[j]["status"] == "running"]
    held = SQLiteQueue(tmp_path / "jobs.sqlite3").depth()["in_flight"]
    assert 1 <= len(done_before) < JOBS, "the kill did not land mid-run"
    assert interrupted or held, "no job was running when the server was killed"

    with running_server(**env) as (_, port):
        deadline = time.monotonic() + 90
        final: dict[str, dict[str, Any]] = {}
        for job_id in job_ids:
            while True:
                body = _get(port, job_id)
                if body["status"] in ("succeeded", "failed"):
                    final[job_id] = body
                    break
                assert time.monotonic() < deadline, f"job {job_id} stayed {body['status']}"
                time.sleep(0.05)

    assert {job_id: body["status"] for job_id, body in final.items()} == dict.fromkeys(
        job_ids, "succeeded"
    )
    for job_id in done_before:  # finished once: the same result, byte for byte
        assert final[job_id]["result"] == before[job_id]["result"]
        assert final[job_id]["attempts"] == before[job_id]["attempts"] == 1
    for job_id in interrupted:  # running at the kill: taken back and run again
        assert final[job_id]["attempts"] == before[job_id]["attempts"] + 1
    expected = _findings(final[job_ids[0]])
    assert expected, "the busy contract has findings"
    assert all(_findings(final[j]) == expected for j in job_ids)
