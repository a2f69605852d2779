"""Run a Lambda handler in this process on an event, the way the Lambda runtime would
(``contract-analyzer invoke-local EVENT.json``), for people without Docker for
``sam local invoke``."""

from __future__ import annotations

import contextlib
import importlib
import os
import sys
import time
import uuid
from typing import Any

HANDLERS = {
    "api": "contract_analyzer.aws.lambda_api:handler",
    "s3": "contract_analyzer.aws.lambda_s3:handler",
    "worker": "contract_analyzer.aws.lambda_worker:handler",
    "notify": "contract_analyzer.aws.lambda_notify:handler",
    "report": "contract_analyzer.aws.lambda_report:handler",
    "authorizer": "contract_analyzer.aws.lambda_authorizer:handler",
}
"""Handler names accepted by ``invoke-local --handler`` and their ``module:attribute``."""


class LocalContext:
    """The parts of the Lambda context object that handlers read."""

    def __init__(self, function_name: str, timeout_seconds: float = 30.0) -> None:
        self.function_name = function_name
        self.function_version = "$LATEST"
        self.memory_limit_in_mb = 1024
        self.aws_request_id = str(uuid.uuid4())
        self.invoked_function_arn = (
            f"arn:aws:lambda:us-east-1:000000000000:function:{function_name}"
        )
        self.log_group_name = f"/aws/lambda/{function_name}"
        self.log_stream_name = "local"
        self._deadline = time.monotonic() + timeout_seconds

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


def error_response(exc: BaseException) -> dict[str, str]:
    """What Lambda returns for a handler that raised ``exc``, without the stack trace:
    ``{"errorMessage": str(exc), "errorType": <the exception class name>}``. For the
    authorizer's ``Unauthorized`` that is ``errorMessage: "Unauthorized"``, API
    Gateway's cue for 401."""
    return {"errorMessage": str(exc), "errorType": type(exc).__name__}


def invoke(name: str, event: dict[str, Any]) -> Any:
    """Call handler ``name`` on ``event`` and return its answer, then stop the workers
    the handler started. Like the Lambda runtime, it sets ``AWS_LAMBDA_FUNCTION_NAME``
    (when unset) before the handler module is imported, so the settings take their
    Lambda defaults (one analysis worker, data under /tmp). What the handler prints
    (its JSON log lines and metrics, which Lambda sends to CloudWatch) goes to stderr, so
    stdout holds only the answer."""
    function_name = os.environ.setdefault("AWS_LAMBDA_FUNCTION_NAME", f"contract-analyzer-{name}")
    module_name, _, attribute = HANDLERS[name].partition(":")
    with contextlib.redirect_stdout(sys.stderr):
        module = importlib.import_module(module_name)
    handler = getattr(module, attribute)
    try:
        with contextlib.redirect_stdout(sys.stderr):
            return handler(event, LocalContext(function_name))
    finally:
        app = getattr(module, "app", None)
        pool = getattr(getattr(app, "state", None), "pool", None)
        if pool is not None:
            pool.close()
