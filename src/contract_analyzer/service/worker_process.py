"""Entry point of an analysis worker process (started by
:class:`contract_analyzer.service.pool.AnalysisPool`)::

    python -m contract_analyzer.service.worker_process HANDLER FD WARMUP SYS_PATH_JSON

``HANDLER`` is ``module:function``; ``FD`` is the worker's end of a socket pair, spoken
to with :class:`multiprocessing.connection.Connection` (length-prefixed pickles). The
worker answers each job with ``("ok", answer)``, ``("error", AnalyzerError subclass,
message)`` or ``("crash", summary, traceback)`` and exits when the socket closes, when
it receives ``None``, or when its parent process is gone.

A plain subprocess rather than ``multiprocessing``'s ``spawn``: ``spawn`` re-runs the
parent's ``__main__`` in the child, which is wrong under the Lambda runtime and under
any script without a ``__main__`` guard.
"""

from __future__ import annotations

import importlib
import json
import os
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

from contract_analyzer.errors import AnalyzerError


def _watch_parent(parent: int) -> None:
    """Exit when the server process that started us is gone (even mid-analysis)."""
    while True:
        time.sleep(1.0)
        if os.getppid() != parent:
            os._exit(0)


def serve(conn: Connection, handler: Callable[[dict[str, Any]], Any], warmup: bool) -> None:
    """Answer jobs from ``conn`` until it closes."""
    if warmup:
        try:
            handler({"kind": "warmup"})
        except Exception:  # a failed warm-up only costs speed
            traceback.print_exc()
    conn.send(("ready", os.getpid()))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        reply: tuple[Any, ...]
        try:
            reply = ("ok", handler(job))
        except AnalyzerError as exc:
            reply = ("error", type(exc), exc.message)
        except Exception as exc:
            reply = ("crash", f"{type(exc).__name__}: {exc}", traceback.format_exc())
        try:
            conn.send(reply)
        except (BrokenPipeError, ConnectionResetError):
            return
        except Exception as exc:  # the answer could not be pickled
            conn.send(("crash", f"unpicklable answer: {exc}", traceback.format_exc()))


def main(argv: list[str]) -> int:
    handler_path, fd, warmup, extra_path = argv
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle
    threading.Thread(target=_watch_parent, args=(os.getppid(),), daemon=True).start()
    for entry in json.loads(extra_path):
        if entry not in sys.path:
            sys.path.append(entry)
    module_name, _, attribute = handler_path.partition(":")
    handler = getattr(importlib.import_module(module_name), attribute)
    serve(Connection(int(fd)), handler, warmup == "1")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
