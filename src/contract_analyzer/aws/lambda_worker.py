"""Lambda handlers of the job queue (``JOBS_BACKEND=aws``).

``contract_analyzer.aws.lambda_worker.handler`` consumes SQS batches of job messages
(event source mapping on ``JOBS_QUEUE_URL`` with ``FunctionResponseTypes:
[ReportBatchItemFailures]``). Each record is handled on its own by the same
:class:`~contract_analyzer.service.jobs.JobRunner` as the server's local runners and
``contract-analyzer worker``; the answer lists, in ``batchItemFailures``, only the
records to try again, so one bad message does not redo the whole batch. A record that
fails is made visible again after a backoff (``ChangeMessageVisibility``); on its last
delivery (``JOBS_MAX_RECEIVES``, the redrive policy's ``maxReceiveCount``) its job is
marked ``failed`` with the reason before the message moves on to the dead-letter queue.

``contract_analyzer.aws.lambda_worker.dlq_handler`` (optional) consumes the
dead-letter queue: a job whose message got there without its runner being able to say
why (the function timed out or ran out of memory) is marked ``failed``.

The analysis runs in one worker process per execution environment, started during the
init phase on Lambda, with the time limit ``CONTRACT_ANALYZER_ANALYSIS_TIMEOUT_SECONDS``;
the function's own timeout must leave room for it (records that arrive with too little
time left are returned as failures untouched).

Like every handler it runs inside :func:`~contract_analyzer.aws.observability.observability`
(JSON logs with the request id and cold-start flag, EMF metrics); each job that succeeds
goes through :func:`~contract_analyzer.aws.events.after_analysis` (metrics, the day's
counters, the SNS message for critical/high findings), as analyses of the API and the S3
trigger do. Importing this module imports neither the engine nor boto3.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import Coroutine
from typing import Any

from contract_analyzer.aws.observability import observability
from contract_analyzer.config import get_settings
from contract_analyzer.service.jobs import Outcome, WorkerRuntime, describe
from contract_analyzer.storage.aws import delivery_from_sqs
from contract_analyzer.storage.base import Job

log = logging.getLogger("contract_analyzer.jobs")
_obs = observability("worker")

_runtimes: list[WorkerRuntime] = []
_loops: list[asyncio.AbstractEventLoop] = []
_TIME_MARGIN_SECONDS = 5.0


def _run(coroutine: Coroutine[Any, Any, list[str]]) -> list[str]:
    """Run on this environment's own event loop, kept across invocations. (Not
    ``asyncio.run``: it would close the loop each time and leave the thread without a
    current loop, which other handlers in the same process may expect.)"""
    if not _loops or _loops[0].is_closed():
        _loops[:] = [asyncio.new_event_loop()]
    return _loops[0].run_until_complete(coroutine)


def after_job(job: Job, result: dict[str, Any]) -> None:
    """Metrics, day counters and the severe-findings notification of a finished job."""
    if "analysis_report" not in result:
        return
    from contract_analyzer.aws.events import AnalysisSummary, after_analysis

    summary = AnalysisSummary.from_api_response(result)
    summary.source = "worker"
    summary.request_id = summary.request_id or job.request_id
    summary.location = f"job:{job.job_id}"
    after_analysis(summary, _obs)


def runtime() -> WorkerRuntime:
    """The execution environment's runtime (made on first use, then reused)."""
    if not _runtimes:
        _runtimes.append(WorkerRuntime(get_settings(), pool_size=1, heartbeat=False))
        _runtimes[0].runner.on_succeeded = after_job
    return _runtimes[0]


def reset() -> None:
    """Forget the runtime (tests: new settings), stopping its worker process."""
    while _runtimes:
        _runtimes.pop().close()
    while _loops:
        _loops.pop().close()


def use_runtime(current: WorkerRuntime) -> None:
    """Use ``current`` from now on (tests: explicit settings, a test job handler)."""
    reset()
    if current.runner.on_succeeded is None:
        current.runner.on_succeeded = after_job
    _runtimes.append(current)


def _seconds_left(context: Any) -> float:
    getter = getattr(context, "get_remaining_time_in_millis", None)
    return getter() / 1000.0 if callable(getter) else float("inf")


async def _handle_records(
    records: list[dict[str, Any]], context: Any, current: WorkerRuntime
) -> list[str]:
    failures: list[str] = []
    needed = current.settings.analysis_timeout_seconds + _TIME_MARGIN_SECONDS
    for record in records:
        message_id = str(record.get("messageId", ""))
        if _seconds_left(context) < needed:
            failures.append(message_id)  # not started: it comes back untouched
            continue
        delivery = delivery_from_sqs(record)
        try:
            outcome = await current.runner.handle(delivery)
        except Exception as exc:
            outcome = Outcome(False, 0.0, describe(exc))
        if outcome.done:
            continue
        failures.append(message_id)
        if outcome.delay > 0 and delivery.receipt:
            with contextlib.suppress(Exception):
                await asyncio.to_thread(
                    current.queue.release, delivery, delay_seconds=outcome.delay
                )
    return failures


def handle(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """SQS batch in, ``{"batchItemFailures": [{"itemIdentifier": messageId}, ...]}`` out
    (the handler's body, unwrapped)."""
    records = [r for r in event.get("Records") or [] if isinstance(r, dict)]
    current = runtime()
    failures = _run(_handle_records(records, context, current))
    _obs.count("JobMessages", len(records))
    if failures:
        _obs.count("JobMessagesRetried", len(failures))
        log.warning("%d of %d job message(s) will be retried", len(failures), len(records))
    return {"batchItemFailures": [{"itemIdentifier": m} for m in failures]}


handler = _obs.wrap(handle)
"""The Lambda entry point: ``contract_analyzer.aws.lambda_worker.handler``."""


async def _handle_dead(records: list[dict[str, Any]], current: WorkerRuntime) -> list[str]:
    failures: list[str] = []
    for record in records:
        delivery = delivery_from_sqs(record)
        try:
            await current.runner.mark_dead_letter(delivery.body, current.settings.jobs_max_receives)
        except Exception as exc:
            log.warning("dead-letter record %s not handled (%s)", delivery.message_id, exc)
            failures.append(delivery.message_id)
    return failures


def handle_dead_letters(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Dead-letter queue batch: fail the jobs whose messages got there unfinished."""
    records = [r for r in event.get("Records") or [] if isinstance(r, dict)]
    failures = _run(_handle_dead(records, runtime()))
    _obs.count("DeadLetteredJobs", len(records) - len(failures))
    return {"batchItemFailures": [{"itemIdentifier": m} for m in failures]}


dlq_handler = _obs.wrap(handle_dead_letters)
"""``contract_analyzer.aws.lambda_worker.dlq_handler``."""


if os.environ.get("AWS_LAMBDA_RUNTIME_API"):  # pragma: no cover - on Lambda only
    runtime().pool.prestart()
