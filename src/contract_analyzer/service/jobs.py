"""Asynchronous jobs: submission, the runner that executes queue messages, and the
loop that feeds it.

Two kinds of messages travel on the job queue (JSON bodies):

* ``{"type": "run", "job_id": ...}`` - run the job's analysis;
* ``{"type": "callback", "job_id": ..., "attempt": n}`` - deliver its callback.

:class:`JobRunner` handles one message and says what to do with it (delete it, or let
it come back after a delay). The same runner serves the server's own job runners
(``JOBS_BACKEND=local``), ``contract-analyzer worker`` and the SQS Lambda handler
(``contract_analyzer.aws.lambda_worker``), so a job behaves the same everywhere:

* the job is marked ``running`` (and its attempt counted) when a runner takes it;
* the outcome is written once: the store refuses to finish a finished job, so a
  redelivered message (a crash after the analysis, a visibility timeout that ran out)
  can never store a second, different result;
* an :class:`~contract_analyzer.errors.AnalyzerError` (input refused, time limit) fails
  the job at once: running it again would not help;
* anything else (a crashed analysis worker, a store that cannot be reached) lets the
  message come back with a backoff; on its last delivery (``JOBS_MAX_RECEIVES``, the
  queue's redrive count) the job is marked ``failed`` with the reason, and the
  message goes on to the dead-letter queue;
* a finished job with a ``callback_url`` gets a ``callback`` message: delivery is
  retried with exponential backoff as new delayed messages, so a retry survives a
  restart.

Restart recovery of the local queue (:meth:`JobService.recover`): messages held by a
process that is gone are made visible at once, jobs left ``running`` go back to
``queued``, and a queued job whose message is missing gets one again.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import math
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from contract_analyzer.config import Settings
from contract_analyzer.errors import AnalyzerError
from contract_analyzer.service import callbacks
from contract_analyzer.service.analysis import AnalysisService
from contract_analyzer.service.models import AnalyzeRequest, BatchRequest
from contract_analyzer.service.pool import AnalysisPool, PoolClosedError
from contract_analyzer.storage.base import (
    IDEMPOTENCY_WINDOW_SECONDS,
    Delivery,
    Idempotency,
    Job,
    JobQueue,
    JobStore,
)

log = logging.getLogger("contract_analyzer.jobs")

RETRY_BASE_SECONDS = 2.0
"""First delay before a failed job message comes back (doubled each delivery)."""


def iso(stamp: float | None) -> str | None:
    if stamp is None:
        return None
    moment = datetime.fromtimestamp(stamp, UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def job_document(job: Job, status_url: str) -> dict[str, Any]:
    """The body of ``GET /jobs/{job_id}`` (and of a callback)."""
    callback = None
    if job.callback is not None:
        callback = {
            "url": job.callback.get("url"),
            "status": job.callback.get("status") or "waiting",
            "attempts": int(job.callback.get("attempts") or 0),
            "last_error": job.callback.get("last_error"),
            "delivered_at": iso(job.callback.get("delivered_at")),
        }
    return {
        "job_id": job.job_id,
        "status": job.status,
        "kind": job.kind,
        "request_id": job.request_id,
        "status_url": status_url,
        "created_at": iso(job.created_at),
        "updated_at": iso(job.updated_at),
        "started_at": iso(job.started_at),
        "finished_at": iso(job.finished_at),
        "attempts": job.attempts,
        "result": job.result,
        "error": job.error,
        "callback": callback,
    }


@dataclass(frozen=True)
class Outcome:
    """What to do with a message: delete it (``done``), or let it come back after
    ``delay`` seconds."""

    done: bool
    delay: float = 0.0
    reason: str = ""


DONE = Outcome(True)


def describe(exc: BaseException) -> str:
    message = getattr(exc, "message", None) or str(exc)
    first = str(message).splitlines()[0][:300] if message else ""
    return f"{type(exc).__name__}: {first}" if first else type(exc).__name__


class JobRunner:
    """Handles one queue message at a time (see the module docstring)."""

    def __init__(
        self,
        settings: Settings,
        store: JobStore,
        queue: JobQueue,
        analysis: AnalysisService,
        *,
        heartbeat: bool = True,
        on_succeeded: Callable[[Job, dict[str, Any]], None] | None = None,
    ) -> None:
        self.settings = settings
        self.store = store
        self.queue = queue
        self.analysis = analysis
        self.heartbeat = heartbeat
        self.on_succeeded = on_succeeded
        """Called with the job and its result body once a run succeeded and its result
        is stored (the Lambda worker's metrics and notifications). Its errors are
        logged, never raised: the job is done."""

    async def handle(self, delivery: Delivery) -> Outcome:
        kind = delivery.body.get("type")
        job_id = delivery.body.get("job_id")
        if not isinstance(job_id, str) or kind not in ("run", "callback"):
            log.error("job message %s is not valid: %.200s", delivery.message_id, delivery.body)
            return Outcome(False, self._backoff(delivery), "invalid message")
        try:
            if kind == "run":
                return await self._run(delivery, job_id)
            attempt = delivery.body.get("attempt", 1)
            return await self._callback(job_id, attempt if isinstance(attempt, int) else 1)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # the store or the queue failed: try again later
            log.warning("job %s: message handling failed (%s); it will come back", job_id, exc)
            return Outcome(False, self._backoff(delivery), describe(exc))

    def _backoff(self, delivery: Delivery) -> float:
        return float(min(300.0, RETRY_BASE_SECONDS * 2.0 ** max(0, delivery.receive_count - 1)))

    # ------------------------------------------------------------------ run

    async def _run(self, delivery: Delivery, job_id: str) -> Outcome:
        job = await asyncio.to_thread(self.store.start, job_id)
        if job is None:
            existing = await asyncio.to_thread(self.store.get, job_id)
            if existing is None:
                log.error("job %s: no such job in the store; the message will come back", job_id)
                return Outcome(False, self._backoff(delivery), "unknown job")
            if existing.callback and existing.callback.get("status") == "pending":
                await self.schedule_callback(existing)
            return DONE  # already finished (a redelivery): nothing to do
        log.info("job %s: running (attempt %d)", job_id, job.attempts)
        beat = asyncio.create_task(self._keep_invisible(delivery)) if self.heartbeat else None
        try:
            result = await self._execute(job)
        except AnalyzerError as exc:
            await self._finish(job, "failed", error={"code": exc.code, "message": exc.message})
            return DONE
        except (PoolClosedError, asyncio.CancelledError) as exc:
            # Stopping: the job goes back to the queue untouched.
            with contextlib.suppress(Exception):
                self.store.requeue(job_id)
            if isinstance(exc, asyncio.CancelledError):
                raise
            return Outcome(False, 0.0, "shutting down")
        except Exception as exc:
            reason = describe(exc)
            if delivery.receive_count >= self.queue.max_receives:
                log.error(
                    "job %s: failed on its last delivery (%d): %s",
                    job_id,
                    delivery.receive_count,
                    reason,
                )
                await self._finish(
                    job,
                    "failed",
                    error={
                        "code": "job_failed",
                        "message": f"The job failed {delivery.receive_count} times; the "
                        f"last error: {reason}.",
                    },
                )
                return Outcome(False, 0.0, reason)  # on to the dead-letter queue
            log.warning("job %s: attempt %d failed (%s); retrying", job_id, job.attempts, reason)
            with contextlib.suppress(Exception):
                await asyncio.to_thread(self.store.requeue, job_id)
            return Outcome(False, self._backoff(delivery), reason)
        finally:
            if beat is not None:
                beat.cancel()
        await self._finish(job, "succeeded", result=result)
        return DONE

    async def _execute(self, job: Job) -> dict[str, Any]:
        option = job.request.get("use_ai")
        ai_option = option if isinstance(option, bool) else None
        if job.kind == "batch":
            answer = await self.analysis.batch(
                BatchRequest.model_validate(job.request),
                request_id=job.request_id,
                fmt="json",
                ai_option=ai_option,
                wait=math.inf,
            )
        else:
            answer = await self.analysis.analyze(
                AnalyzeRequest.model_validate(job.request),
                request_id=job.request_id,
                fmt="json",
                ai_option=ai_option,
                wait=math.inf,
            )
        return answer.body()

    async def _finish(
        self,
        job: Job,
        status: Any,
        *,
        result: dict[str, Any] | None = None,
        error: dict[str, Any] | None = None,
    ) -> None:
        from contract_analyzer.storage.base import ItemTooLargeError

        try:
            wrote = await asyncio.to_thread(
                self.store.finish, job.job_id, status=status, result=result, error=error
            )
        except ItemTooLargeError as exc:
            status, result = "failed", None
            error = {"code": "result_too_large", "message": str(exc)}
            wrote = await asyncio.to_thread(
                self.store.finish, job.job_id, status=status, error=error
            )
        if not wrote:
            log.info("job %s: already finished by another runner; result kept", job.job_id)
            return
        log.info("job %s: %s", job.job_id, status)
        if status == "succeeded" and result is not None and self.on_succeeded is not None:
            try:
                await asyncio.to_thread(self.on_succeeded, job, result)
            except Exception as exc:
                log.warning("job %s: after-run hook failed (%s)", job.job_id, describe(exc))
        if job.callback is not None:
            await self.schedule_callback(job)

    async def schedule_callback(self, job: Job) -> None:
        await asyncio.to_thread(
            self.queue.send, {"type": "callback", "job_id": job.job_id, "attempt": 1}
        )

    async def _keep_invisible(self, delivery: Delivery) -> None:
        visibility = float(self.settings.jobs_visibility_seconds)
        while True:
            await asyncio.sleep(visibility / 3)
            try:
                await asyncio.to_thread(self.queue.extend, delivery, visibility_seconds=visibility)
            except Exception as exc:
                log.warning("could not extend a job message's visibility (%s)", exc)

    # ------------------------------------------------------------------ callback

    async def _callback(self, job_id: str, attempt: int) -> Outcome:
        job = await asyncio.to_thread(self.store.get, job_id)
        if job is None or job.callback is None or job.callback.get("status") != "pending":
            return DONE
        state = dict(job.callback)
        secret = await asyncio.to_thread(callbacks.signing_key, self.settings)
        if secret is None:
            state.update(status="failed", last_error="no CALLBACK_SECRET configured")
            await asyncio.to_thread(self.store.set_callback, job_id, state)
            return DONE
        status_url = str(state.get("status_url") or f"/jobs/{job_id}")
        document = job_document(job, status_url)
        del document["callback"]  # the same body on every attempt
        body = json.dumps(document, separators=(",", ":")).encode()
        attempts = int(state.get("attempts") or 0) + 1
        headers = {
            callbacks.SIGNATURE_HEADER: callbacks.sign(secret, body),
            callbacks.EVENT_HEADER: f"job.{job.status}",
            callbacks.JOB_ID_HEADER: job_id,
            callbacks.DELIVERY_HEADER: job_id,
            callbacks.ATTEMPT_HEADER: str(attempts),
        }
        result = await asyncio.to_thread(
            callbacks.deliver,
            str(state.get("url")),
            body,
            headers,
            timeout=self.settings.callback_timeout_seconds,
            allow_private=self.settings.callback_allow_private_networks,
        )
        state["attempts"] = attempts
        if result.ok:
            state.update(status="delivered", last_error=None, delivered_at=time.time())
        elif result.retry and attempts < self.settings.callback_max_attempts:
            state.update(status="pending", last_error=result.detail)
            delay = callbacks.retry_delay(attempts, self.settings.callback_retry_seconds)
            await asyncio.to_thread(self.store.set_callback, job_id, state)
            await asyncio.to_thread(
                self.queue.send,
                {"type": "callback", "job_id": job_id, "attempt": attempts + 1},
                delay_seconds=delay,
            )
            log.info("job %s: callback attempt %d failed (%s)", job_id, attempts, result.detail)
            return DONE
        else:
            state.update(status="failed", last_error=result.detail)
            log.warning("job %s: callback given up (%s)", job_id, result.detail)
        await asyncio.to_thread(self.store.set_callback, job_id, state)
        return DONE

    async def mark_dead_letter(self, body: dict[str, Any], receives: int | None = None) -> None:
        """A job message reached the dead-letter queue: fail its job if it is not
        finished (the runner could not record why, e.g. the process died)."""
        job_id = body.get("job_id")
        if body.get("type") != "run" or not isinstance(job_id, str):
            return
        job = await asyncio.to_thread(self.store.get, job_id)
        if job is None or job.done:
            return
        count = f" after {receives} deliveries" if receives else ""
        await self._finish(
            job,
            "failed",
            error={
                "code": "job_failed",
                "message": f"The job's message went to the dead-letter queue{count}: every "
                "attempt to run it stopped before it could finish.",
            },
        )


def recover_local(store: JobStore, queue: JobQueue) -> dict[str, int]:
    """After a restart (local backend): take back the messages of dead processes,
    put their jobs back to ``queued``, queue again any unfinished job without a
    message, and fail the jobs whose message went to the dead-letter state."""
    from contract_analyzer.storage.sqlite import SQLiteJobStore, SQLiteQueue

    if not isinstance(queue, SQLiteQueue) or not isinstance(store, SQLiteJobStore):
        return {}
    if not queue.db.path.exists():  # a first start: nothing to recover
        return {"released": 0, "requeued": 0, "failed": 0}
    released = queue.recover()
    for body in released:
        if body.get("type") == "run" and isinstance(body.get("job_id"), str):
            store.requeue(body["job_id"])
    pending = queue.pending_job_ids()
    dead = {b.get("job_id") for b in queue.dead_letters() if b.get("type") == "run"}
    requeued = failed = 0
    for job_id, status in store.unfinished():
        if job_id in dead:
            finished = store.finish(
                job_id,
                status="failed",
                error={
                    "code": "job_failed",
                    "message": "The job's message went to the dead-letter state after "
                    f"{queue.max_receives} deliveries.",
                },
            )
            job = store.get(job_id)
            if finished and job is not None and job.callback is not None:
                queue.send({"type": "callback", "job_id": job_id, "attempt": 1})
            failed += 1
        elif job_id not in pending:
            if status == "running":
                store.requeue(job_id)
            queue.send({"type": "run", "job_id": job_id})
            requeued += 1
    if released or requeued or failed:
        log.warning(
            "job queue recovered: %d message(s) of stopped processes released, %d job(s) "
            "queued again, %d failed",
            len(released),
            requeued,
            failed,
        )
    return {"released": len(released), "requeued": requeued, "failed": failed}


class QueueConsumer:
    """Receives messages and hands them to a :class:`JobRunner`, ``concurrency`` at a
    time, until stopped: the loop of the server's job runners and of
    ``contract-analyzer worker``."""

    def __init__(
        self,
        runner: JobRunner,
        *,
        concurrency: int,
        wait_seconds: float,
        idle_seconds: float = 0.0,
        exit_when_idle: bool = False,
    ) -> None:
        self.runner = runner
        self.exit_when_idle = exit_when_idle
        self.queue = runner.queue
        self.concurrency = max(1, concurrency)
        self.wait_seconds = wait_seconds
        self.idle_seconds = idle_seconds
        self.processed = 0
        self._stopping = False
        self._wake: asyncio.Event | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self._busy = 0

    def start(self) -> None:
        self._stopping = False
        self._wake = asyncio.Event()
        self._tasks = [
            asyncio.create_task(self._loop(i), name=f"job-runner-{i}")
            for i in range(self.concurrency)
        ]

    def wake(self) -> None:
        if self._wake is not None:
            self._wake.set()

    @property
    def busy(self) -> int:
        return self._busy

    async def _loop(self, index: int) -> None:
        visibility = float(self.runner.settings.jobs_visibility_seconds)
        while not self._stopping:
            try:
                deliveries = await asyncio.to_thread(
                    self.queue.receive,
                    max_messages=1,
                    wait_seconds=self.wait_seconds,
                    visibility_seconds=visibility,
                )
            except Exception as exc:
                log.warning("job queue receive failed (%s); retrying in 1 s", exc)
                await asyncio.sleep(1.0)
                continue
            if not deliveries:
                if self.exit_when_idle:
                    return
                if self.idle_seconds > 0 and self._wake is not None:
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._wake.wait(), self.idle_seconds)
                    self._wake.clear()
                continue
            for delivery in deliveries:
                if self._stopping:
                    await asyncio.to_thread(self.queue.release, delivery, delay_seconds=0)
                    continue
                await self._process(delivery)

    async def _process(self, delivery: Delivery) -> None:
        self._busy += 1
        try:
            outcome = await self.runner.handle(delivery)
        except asyncio.CancelledError:
            with contextlib.suppress(Exception):
                self.queue.release(delivery, delay_seconds=0)
            raise
        finally:
            self._busy -= 1
        self.processed += 1
        try:
            if outcome.done:
                await asyncio.to_thread(self.queue.delete, delivery)
            else:
                await asyncio.to_thread(self.queue.release, delivery, delay_seconds=outcome.delay)
        except Exception as exc:
            log.warning("could not acknowledge a job message (%s); it will come back", exc)

    async def join(self) -> None:
        """Wait until every loop has returned (``exit_when_idle``)."""
        await asyncio.gather(*self._tasks, return_exceptions=True)

    async def stop(self, grace: float) -> None:
        """Take no new message; let the running ones finish for up to ``grace``
        seconds, then cancel them (their jobs go back to the queue)."""
        self._stopping = True
        self.wake()
        tasks, self._tasks = self._tasks, []
        if not tasks:
            return
        _, pending = await asyncio.wait(tasks, timeout=grace)
        for task in pending:
            task.cancel()
        for task in pending:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task


class JobService:
    """What the API needs of jobs: submit, read, and (``JOBS_BACKEND=local``) the job
    runners of this server process."""

    def __init__(
        self,
        settings: Settings,
        store: JobStore,
        queue: JobQueue,
        analysis: AnalysisService | None,
        *,
        runners: int,
    ) -> None:
        self.settings = settings
        self.store = store
        self.queue = queue
        self.analysis = analysis
        self.runners = runners if analysis is not None else 0
        self.consumer: QueueConsumer | None = None

    async def submit(
        self,
        *,
        kind: str,
        request: dict[str, Any],
        request_id: str,
        callback_url: str | None,
        idempotency_key: str | None,
        owner: str | None,
        status_url_for: Any,
    ) -> tuple[Job, bool]:
        """Store a job and queue it; with an idempotency key already used (by the same
        caller, in the last 24 h) return that job instead (``created`` is ``False``)."""
        stamp = time.time()
        job_id = str(uuid.uuid4())
        callback = None
        if callback_url:
            callback = {
                "url": callback_url,
                "status": None,
                "attempts": 0,
                "last_error": None,
                "delivered_at": None,
                "status_url": status_url_for(job_id),
            }
        job = Job(
            job_id=job_id,
            kind=kind,
            request=request,
            request_id=request_id,
            created_at=stamp,
            callback=callback,
            expires_at=stamp + self.settings.jobs_ttl_seconds,
            owner=owner,
        )
        idempotency = None
        if idempotency_key is not None:
            scope = json.dumps([owner or "", idempotency_key])
            fingerprint = json.dumps([kind, request, callback_url], sort_keys=True)
            idempotency = Idempotency(
                key=hashlib.sha256(scope.encode()).hexdigest(),
                fingerprint=hashlib.sha256(fingerprint.encode()).hexdigest(),
                expires_at=stamp + IDEMPOTENCY_WINDOW_SECONDS,
            )
        stored, created = await asyncio.to_thread(self.store.create, job, idempotency)
        if created:
            try:
                await asyncio.to_thread(self.queue.send, {"type": "run", "job_id": job_id})
            except Exception as exc:
                log.error("job %s could not be queued (%s)", job_id, exc)
                with contextlib.suppress(Exception):
                    await asyncio.to_thread(
                        self.store.finish,
                        job_id,
                        status="failed",
                        error={
                            "code": "queue_unavailable",
                            "message": "The job could not be queued.",
                        },
                    )
                raise
            if self.consumer is not None:
                self.consumer.wake()
        return stored, created

    async def get(self, job_id: str) -> Job | None:
        return await asyncio.to_thread(self.store.get, job_id)

    # ------------------------------------------------------------------ local runners

    async def start(self) -> None:
        """Recover the local queue after a restart and start this process's runners."""
        if self.runners <= 0 or self.analysis is None:
            return
        await asyncio.to_thread(self.recover)
        runner = JobRunner(self.settings, self.store, self.queue, self.analysis)
        self.consumer = QueueConsumer(
            runner, concurrency=self.runners, wait_seconds=0.0, idle_seconds=0.5
        )
        self.consumer.start()

    def recover(self) -> dict[str, int]:
        """See :func:`recover_local`."""
        return recover_local(self.store, self.queue)

    async def close(self) -> None:
        if self.consumer is not None:
            await self.consumer.stop(grace=5.0)
            self.consumer = None

    def stats(self) -> dict[str, Any]:
        return {
            "backend": self.settings.jobs_backend,
            "runners": self.runners,
            "running": self.consumer.busy if self.consumer is not None else 0,
        }


class WorkerRuntime:
    """What a job worker process holds (the SQS Lambda handler, ``contract-analyzer
    worker``): its own analysis pool, the result cache, the job store and queue the
    settings name, and a :class:`JobRunner` over them."""

    def __init__(
        self,
        settings: Settings,
        *,
        pool_size: int,
        pool: AnalysisPool | None = None,
        heartbeat: bool = True,
    ) -> None:
        from contract_analyzer.storage import open_job_backend, open_result_cache

        self.settings = settings
        self.pool = pool or AnalysisPool(pool_size)
        self.cache = open_result_cache(settings)
        self.analysis = AnalysisService(settings, self.pool, self.cache)
        self.store, self.queue = open_job_backend(settings)
        self.runner = JobRunner(
            settings, self.store, self.queue, self.analysis, heartbeat=heartbeat
        )

    def close(self) -> None:
        self.pool.close()
        for closable in (self.store, self.queue, self.cache):
            if closable is not None:
                with contextlib.suppress(Exception):
                    closable.close()
