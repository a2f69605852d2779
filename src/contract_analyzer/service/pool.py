"""Analysis worker processes that can be stopped when an analysis runs too long.

Why processes, and why not a standard pool:

* a thread cannot be stopped: ``asyncio.wait_for`` on a thread answers the client but
  leaves the analysis running, holding a core, and a few slow requests take the server
  down;
* ``concurrent.futures.ProcessPoolExecutor`` cannot cancel a task that has started nor
  kill one of its workers (killing one breaks the whole pool);
* so each worker here is one plain Python subprocess
  (:mod:`contract_analyzer.service.worker_process`: a fresh interpreter, no inherited
  event loop, threads or locks, and unlike ``multiprocessing``'s ``spawn`` it does not
  re-run the parent's ``__main__``, which matters under the Lambda runtime) talking over
  a socket pair. The event loop waits for the answer on the socket's file descriptor
  (``add_reader``: no thread hand-off); past the deadline it kills that one process
  (SIGKILL), starts a replacement and answers 504. A worker exits by itself when its
  socket closes or its parent dies, so none outlives the server.

The workers import the engine and run a warm-up analysis before they report ready;
the server process itself never imports the engine for an analysis. A worker that dies
(out of memory, a crash in native code) is replaced the same way, and the request gets
a 500 in the one error shape.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import json
import logging
import math
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from contract_analyzer.errors import AnalysisTimeoutError

log = logging.getLogger("contract_analyzer.service")

DEFAULT_HANDLER = "contract_analyzer.service.worker:run_job"
"""``module:function`` that a worker calls with each job."""


@dataclass(frozen=True)
class JobResult:
    """A worker's answer to a job and the seconds it took (hand-off included, waiting for
    a free or starting worker excluded)."""

    value: Any
    seconds: float


class WorkerCrashedError(Exception):
    """A worker died or failed unexpectedly while running a job (an HTTP 500)."""

    def __init__(self, message: str, details: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class PoolClosedError(Exception):
    """The pool is shut down (the server is stopping): an HTTP 503."""


def _wake(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


def _expire(future: asyncio.Future[Any]) -> None:
    if not future.done():
        future.set_exception(TimeoutError())


class _Worker:
    """One worker process and the server's end of its socket."""

    def __init__(self, handler: str, warmup: bool) -> None:
        parent_end, child_end = socket.socketpair()
        try:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "contract_analyzer.service.worker_process",
                    handler,
                    str(child_end.fileno()),
                    "1" if warmup else "0",
                    json.dumps([p for p in sys.path if p]),
                ],
                pass_fds=(child_end.fileno(),),
                stdin=subprocess.DEVNULL,
            )
        except BaseException:
            parent_end.close()
            raise
        finally:
            child_end.close()
        self.conn = Connection(parent_end.detach())
        self.ready = False
        self.jobs = 0

    @property
    def pid(self) -> int:
        return self.process.pid

    def alive(self) -> bool:
        if self.process.poll() is not None:
            return False
        # A killed multi-threaded process is a zombie that waitpid cannot reap until all
        # its threads are gone; /proc already says it is dead (Linux only).
        try:
            with open(f"/proc/{self.process.pid}/stat", encoding="ascii") as stat:
                state = stat.read().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            return True
        return state not in ("Z", "X")

    async def receive(self, timeout: float | None) -> Any:
        """The next message from the worker; ``TimeoutError`` past ``timeout`` seconds,
        ``EOFError`` if the worker has died."""
        if not self.conn.poll():
            loop = asyncio.get_running_loop()
            readable: asyncio.Future[None] = loop.create_future()
            fd = self.conn.fileno()
            loop.add_reader(fd, _wake, readable)
            timer = loop.call_later(timeout, _expire, readable) if timeout is not None else None
            try:
                await readable
            finally:
                loop.remove_reader(fd)
                if timer is not None:
                    timer.cancel()
        return self.conn.recv()

    async def wait_ready(self, timeout: float) -> None:
        if self.ready:
            return
        message = await self.receive(timeout)
        if not (isinstance(message, tuple) and message[:1] == ("ready",)):
            raise WorkerCrashedError(f"analysis worker sent {message!r} instead of 'ready'")
        self.ready = True

    def kill(self) -> None:
        """Stop the process now (SIGKILL) and reap it."""
        with contextlib.suppress(OSError):
            self.process.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=5)
        self.conn.close()

    def stop(self, grace: float = 2.0) -> None:
        """Ask the process to exit, kill it if it does not within ``grace`` seconds."""
        with contextlib.suppress(OSError, ValueError):
            self.conn.send(None)
        try:
            self.process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            self.kill()
        else:
            self.conn.close()


class _NotDelivered(WorkerCrashedError):
    """The worker died before it received the job (safe to hand the job to another)."""


class AnalysisPool:
    """A fixed number of analysis worker processes, each killable on its own.

    ``await pool.run(job, timeout)`` returns a :class:`JobResult` (the handler's answer
    and the seconds from sending the job to the answer), re-raises the
    :class:`AnalyzerError` the handler raised, raises :class:`AnalysisTimeoutError`
    past ``timeout`` (the worker is killed and replaced) and
    :class:`WorkerCrashedError` if the worker died. Workers start on :meth:`start` or,
    where there is no start-up hook (Lambda), on the first :meth:`run`.
    """

    def __init__(
        self,
        size: int,
        *,
        handler: str = DEFAULT_HANDLER,
        warmup: bool = True,
        start_timeout: float = 60.0,
    ) -> None:
        if size < 1:
            raise ValueError("an analysis pool needs at least one worker")
        self.size = size
        self.handler = handler
        self.warmup = warmup
        self.start_timeout = start_timeout
        self.restarts = 0
        self._workers: list[_Worker] = []
        self._idle: list[_Worker] = []
        self._waiters: collections.deque[asyncio.Future[_Worker]] = collections.deque()
        self._started = False
        self._closed = False

    # ------------------------------------------------------------------ lifecycle

    def _ensure_started(self) -> None:
        if self._started:
            return
        self._started = True
        for _ in range(self.size):
            self._release(self._spawn())

    def _spawn(self) -> _Worker:
        worker = _Worker(self.handler, self.warmup)
        self._workers.append(worker)
        return worker

    async def start(self) -> None:
        """Start every worker and wait until each has imported the engine. A closed pool
        starts afresh (an app's lifespan may run more than once, in tests)."""
        if self._closed:
            self._closed = False
            self._started = False
        self._ensure_started()
        await asyncio.gather(*(w.wait_ready(self.start_timeout) for w in list(self._idle)))

    def close(self) -> None:
        """Stop every worker; later :meth:`run` calls raise :class:`PoolClosedError`."""
        self._closed = True
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_exception(PoolClosedError("the server is shutting down"))
        workers, self._workers, self._idle = self._workers, [], []
        for worker in workers:
            worker.stop()

    @property
    def closed(self) -> bool:
        return self._closed

    def pids(self) -> list[int]:
        """Process ids of the live workers."""
        return [w.pid for w in self._workers if w.alive()]

    def stats(self) -> dict[str, int]:
        return {"size": self.size, "alive": len(self.pids()), "restarts": self.restarts}

    # ------------------------------------------------------------------ running jobs

    def prestart(self) -> None:
        """Start the worker processes now without waiting for them (Lambda's init
        phase: they boot while the runtime finishes initialising)."""
        if not self._closed:
            self._ensure_started()

    async def run(
        self, job: dict[str, Any], timeout: float, *, wait: float | None = None
    ) -> JobResult:
        """Run ``job`` on a free worker within ``timeout`` seconds of analysis.

        ``wait`` bounds the time spent waiting for a free worker (default: ``timeout``;
        ``math.inf``: as long as it takes, for queued jobs). A worker found dead when
        the job is handed over (killed while idle) is replaced and the job handed to the
        fresh one; a worker that dies after it received the job is not retried (the job
        may be what kills it).
        """
        wait = timeout if wait is None else wait
        try:
            return await self._run_once(job, timeout, wait)
        except _NotDelivered:
            if self._closed:
                raise PoolClosedError("the server is shutting down") from None
            log.warning("analysis worker was dead at hand-over; using a fresh one")
            try:
                return await self._run_once(job, timeout, wait)
            except _NotDelivered as exc:
                raise WorkerCrashedError(str(exc)) from None

    async def _run_once(self, job: dict[str, Any], timeout: float, wait: float) -> JobResult:
        if self._closed:
            raise PoolClosedError("the server is shutting down")
        self._ensure_started()
        worker = await self._acquire(wait)
        while not worker.alive():  # died while idle (out of memory...): use a fresh one
            self._replace(worker)
            worker = await self._acquire(wait)
        healthy = False
        delivered = False
        try:
            await worker.wait_ready(self.start_timeout)
            started = time.perf_counter()
            worker.conn.send(job)
            delivered = True
            try:
                reply = await worker.receive(timeout)
                seconds = time.perf_counter() - started
            except TimeoutError:
                log.warning(
                    "analysis over %.3g s: killing worker %s and starting another",
                    timeout,
                    worker.pid,
                )
                raise AnalysisTimeoutError(
                    f"The analysis took longer than {timeout:g} seconds and was stopped; "
                    "send a smaller source or a narrower analysis_type."
                ) from None
            healthy = True
        except (EOFError, OSError) as exc:
            message = f"the analysis worker exited unexpectedly ({type(exc).__name__})"
            if not delivered:
                raise _NotDelivered(message) from None
            raise WorkerCrashedError(message) from None
        finally:
            if healthy:
                worker.jobs += 1
                self._release(worker)
            else:
                self._replace(worker)
        status = reply[0]
        if status == "ok":
            return JobResult(reply[1], seconds)
        if status == "error":
            error_type, message = reply[1], reply[2]
            raise error_type(message)
        raise WorkerCrashedError(reply[1], reply[2] if len(reply) > 2 else "")

    async def _acquire(self, timeout: float) -> _Worker:
        if self._idle:
            return self._idle.pop()
        loop = asyncio.get_running_loop()
        waiter: asyncio.Future[_Worker] = loop.create_future()
        self._waiters.append(waiter)
        timer = loop.call_later(timeout, _expire, waiter) if math.isfinite(timeout) else None
        try:
            return await waiter
        except TimeoutError:
            raise AnalysisTimeoutError(
                f"Every analysis worker stayed busy for {timeout:g} seconds; try again later."
            ) from None
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled() and waiter.exception() is None:
                self._release(waiter.result())
            raise
        finally:
            if timer is not None:
                timer.cancel()
            if waiter in self._waiters:
                self._waiters.remove(waiter)

    def _release(self, worker: _Worker) -> None:
        if self._closed:
            worker.stop()
            return
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(worker)
                return
        self._idle.append(worker)

    def _replace(self, worker: _Worker) -> None:
        worker.kill()
        if worker in self._workers:
            self._workers.remove(worker)
        if not self._closed:
            self.restarts += 1
            self._release(self._spawn())
