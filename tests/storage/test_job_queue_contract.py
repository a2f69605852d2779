"""One contract for every job queue (memory, SQLite, SQS on moto): at-least-once
delivery, visibility timeouts, delays, receive counts, and the dead-letter queue after
``max_receives`` receives."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from typing import Any

from contract_analyzer.storage.base import JobQueue
from contract_analyzer.storage.sqlite import SQLiteQueue
from moto_helpers import boto

MAX_RECEIVES = 3  # as the fixtures in conftest.py make the queues


def _receive(queue: Any, **kwargs: Any) -> list[Any]:
    kwargs.setdefault("visibility_seconds", 30)
    return list(queue.receive(**kwargs))


def test_is_a_job_queue(job_queue: Any) -> None:
    assert isinstance(job_queue, JobQueue)
    assert job_queue.max_receives == MAX_RECEIVES


def test_send_receive_delete(job_queue: Any) -> None:
    message_id = job_queue.send({"type": "run", "job_id": "j1"})
    assert message_id
    [delivery] = _receive(job_queue)
    assert delivery.body == {"type": "run", "job_id": "j1"}
    assert delivery.receive_count == 1 and delivery.receipt
    assert _receive(job_queue) == []  # in flight: invisible
    job_queue.delete(delivery)
    job_queue.release(delivery)  # a stale receipt is harmless
    assert _receive(job_queue) == []


def test_release_makes_it_visible_again_and_counts(job_queue: Any) -> None:
    job_queue.send({"type": "run", "job_id": "j2"})
    [first] = _receive(job_queue)
    job_queue.release(first, delay_seconds=0)
    [second] = _receive(job_queue)
    assert second.body == first.body and second.receive_count == 2
    assert second.receipt != first.receipt


def test_visibility_timeouts_extensions_and_delays(job_queue: Any) -> None:
    """Three clocks at once (one wait): a visibility timeout that runs out, one that a
    heartbeat extends, and a delayed message."""
    job_queue.send({"type": "run", "job_id": "expires"})
    [expiring] = _receive(job_queue, visibility_seconds=1)
    job_queue.send({"type": "run", "job_id": "extended"})
    [extended] = _receive(job_queue, visibility_seconds=1)
    job_queue.extend(extended, visibility_seconds=30)
    job_queue.send({"type": "callback", "job_id": "delayed", "attempt": 2}, delay_seconds=1)
    assert _receive(job_queue, max_messages=10) == []
    time.sleep(1.3)
    got = {d.body["job_id"]: d for d in _receive(job_queue, max_messages=10)}
    assert set(got) == {"expires", "delayed"}
    assert got["expires"].receive_count == 2 and got["expires"].receipt != expiring.receipt
    assert got["delayed"].body == {"type": "callback", "job_id": "delayed", "attempt": 2}


def test_several_messages_each_once(job_queue: Any) -> None:
    sent = {f"m{i}" for i in range(7)}
    for job_id in sorted(sent):
        job_queue.send({"type": "run", "job_id": job_id})
    seen: list[str] = []
    for _ in range(10):
        batch = _receive(job_queue, max_messages=5)
        seen.extend(d.body["job_id"] for d in batch)
        for delivery in batch:
            job_queue.delete(delivery)
        if len(seen) >= len(sent):
            break
    assert sorted(seen) == sorted(sent)


def test_long_poll_returns_when_a_message_arrives(job_queue: Any) -> None:
    timer = threading.Timer(0.3, job_queue.send, args=({"type": "run", "job_id": "late"},))
    timer.start()
    started = time.monotonic()
    got = _receive(job_queue, wait_seconds=5)
    elapsed = time.monotonic() - started
    timer.join()
    assert [d.body["job_id"] for d in got] == ["late"]
    assert elapsed < 3.0


def test_dead_letter_after_max_receives(job_queue: Any) -> None:
    job_queue.send({"type": "run", "job_id": "poison"})
    for count in range(1, MAX_RECEIVES + 1):
        [delivery] = _receive(job_queue)
        assert delivery.receive_count == count
        job_queue.release(delivery)
    assert _receive(job_queue) == []  # the next receive moved it to the dead-letter queue
    assert {"type": "run", "job_id": "poison"} in job_queue.dead_letters()


# ---------------------------------------------------------------------- backend specifics


def test_sqs_message_that_is_not_json_is_marked_invalid(job_queue: Any) -> None:
    if job_queue.name != "sqs":
        return
    boto("sqs").send_message(QueueUrl=job_queue.queue_url, MessageBody="not json{")
    [delivery] = _receive(job_queue)
    assert delivery.body["type"] == "invalid"


def test_sqlite_recover_takes_back_the_messages_of_a_dead_process(tmp_path: Path) -> None:
    path = tmp_path / "jobs.sqlite3"
    dead_server = SQLiteQueue(path)
    dead_server.owner = "some-host:999999:1"  # a process that is gone
    dead_server.send({"type": "run", "job_id": "j"})
    [held] = dead_server.receive(visibility_seconds=600)
    assert held.receive_count == 1
    restarted = SQLiteQueue(path)
    assert restarted.receive() == []  # still invisible (600 s)
    released = restarted.recover(alive=lambda owner: owner != "some-host:999999:1")
    assert released == [{"type": "run", "job_id": "j"}]
    [again] = restarted.receive()
    assert again.receive_count == 2


def test_sqlite_owner_liveness() -> None:
    from contract_analyzer.storage.sqlite import owner_alive, process_token

    assert owner_alive(process_token())
    host = process_token().split(":")[0]
    assert not owner_alive(f"{host}:999999999:1")
    assert owner_alive("another-host:1:1")  # can't tell: assumed alive


def test_sqlite_queue_survives_reopening(tmp_path: Path) -> None:
    path = tmp_path / "jobs.sqlite3"
    SQLiteQueue(path).send({"type": "run", "job_id": "persisted"})
    [delivery] = SQLiteQueue(path).receive()
    assert json.dumps(delivery.body) == json.dumps({"type": "run", "job_id": "persisted"})
