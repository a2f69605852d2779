"""``contract-analyzer worker``: run queued jobs from the configured queue.

With ``JOBS_BACKEND=aws`` it long-polls the SQS queue (``JOBS_QUEUE_URL``): the way to
run jobs outside Lambda (a container, a VM). With ``JOBS_BACKEND=local`` it takes jobs
from ``jobs.sqlite3`` under the data directory, beside (or instead of) ``serve``'s own
job runners. SIGTERM or Ctrl-C stops it gracefully: it takes no new message, lets the
running jobs finish (up to the analysis time limit), puts back any message it received
meanwhile, and exits 0.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys

from contract_analyzer.cli import EXIT_OK, EXIT_USAGE, command, subcommands


@subcommands
def _add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    worker = sub.add_parser(
        "worker",
        help="run queued jobs (POST /jobs) from the configured queue until stopped",
        description="Run queued jobs from the queue JOBS_BACKEND names: SQS "
        "(JOBS_QUEUE_URL, long polling) or the local jobs.sqlite3. SIGTERM or Ctrl-C stops "
        "it after the running jobs. Settings: docs/configuration.md.",
    )
    worker.add_argument(
        "--concurrency",
        type=int,
        help="jobs run at once (default: JOBS_CONCURRENCY, else one per CPU core)",
    )
    worker.add_argument(
        "--poll-seconds",
        type=float,
        help="how long one receive waits for a message (default: 10 on SQS, at most 20; 1 locally)",
    )
    worker.add_argument(
        "--once",
        action="store_true",
        help="exit when the queue is empty instead of waiting for more jobs",
    )


async def run_worker(
    concurrency: int, poll_seconds: float, once: bool, stop: asyncio.Event | None = None
) -> int:
    """The worker loop (``stop`` ends it; SIGTERM and SIGINT set it)."""
    from contract_analyzer.config import get_settings
    from contract_analyzer.service.jobs import QueueConsumer, WorkerRuntime, recover_local

    settings = get_settings()
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    runtime = WorkerRuntime(settings, pool_size=concurrency)
    consumer = QueueConsumer(
        runtime.runner,
        concurrency=concurrency,
        wait_seconds=poll_seconds,
        exit_when_idle=once,
    )
    try:
        await runtime.pool.start()
        await asyncio.to_thread(recover_local, runtime.store, runtime.queue)
        consumer.start()
        print(
            f"contract-analyzer worker: {concurrency} job(s) at once from the "
            f"{runtime.queue.name} queue",
            file=sys.stderr,
            flush=True,
        )
        waiter = asyncio.create_task(stop.wait())
        joined = asyncio.create_task(consumer.join())
        await asyncio.wait({waiter, joined}, return_when=asyncio.FIRST_COMPLETED)
        waiter.cancel()
        grace = settings.analysis_timeout_seconds + poll_seconds + 5
        await consumer.stop(grace=grace)
        joined.cancel()
    finally:
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(signum)
        runtime.close()
    print(
        f"contract-analyzer worker: stopped after {consumer.processed} message(s)",
        file=sys.stderr,
        flush=True,
    )
    return EXIT_OK


@command("worker")
def _worker(args: argparse.Namespace) -> int:
    from contract_analyzer.config import get_settings

    settings = get_settings()
    concurrency = args.concurrency or settings.jobs_concurrency or settings.analysis_worker_count()
    if concurrency < 1 or concurrency > 64:
        print("contract-analyzer: error: --concurrency must be 1 to 64", file=sys.stderr)
        return EXIT_USAGE
    default_poll = 10.0 if settings.jobs_backend == "aws" else 1.0
    poll = default_poll if args.poll_seconds is None else args.poll_seconds
    if not 0 <= poll <= 20:
        print("contract-analyzer: error: --poll-seconds must be 0 to 20", file=sys.stderr)
        return EXIT_USAGE
    return asyncio.run(run_worker(concurrency, poll, args.once))
