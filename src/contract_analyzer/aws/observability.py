"""Logs, metrics and traces of the Lambda handlers, with AWS Lambda Powertools.

Every handler is wrapped by :meth:`Observability.wrap`, which gives it

* **structured JSON logs** (Powertools ``Logger``) carrying the Lambda request id
  (``function_request_id``), the ``cold_start`` flag, the function's name and memory,
  and whatever the handler appends (the API's own ``request_id``). The Powertools logger
  *is* the package's ``contract_analyzer`` logger, so every module's log lines come out
  as JSON with the same keys;
* **metrics** in CloudWatch embedded metric format (printed to stdout, turned into
  metrics by CloudWatch Logs: no API call, no boto3), namespace :data:`NAMESPACE`,
  dimensions ``service`` and ``environment`` only (each dimension combination is a
  billed custom metric): ``ColdStart``, and per analysis (:meth:`record_analysis`)
  ``Analyses``, ``Findings`` by severity (``FindingsCritical`` ... ``FindingsInfo``),
  ``CacheHits``, ``AnalysisDuration`` (ms) and ``ProviderUsed`` with a ``provider``
  dimension (``static``, ``OpenAI``, ``Gemini``);
* **X-Ray traces** through a Powertools ``Tracer``, created only when tracing is on
  (``CONTRACT_ANALYZER_TRACING=true``, which the template sets with ``Tracing: Active``).
  The tracer needs the X-Ray SDK (``pip install "aws-lambda-powertools[tracer]"``, part
  of this package's ``aws`` extra); with tracing off it is never imported.

Importing this module imports nothing from Powertools; creating an
:class:`Observability` imports its logger and metrics (about 40 ms on top of what the
API handler already loads).
"""

from __future__ import annotations

import functools
import logging
import os
import sys
from collections.abc import Callable
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from contract_analyzer.aws.events import AnalysisSummary

NAMESPACE = "ContractAnalyzer"
"""CloudWatch namespace of the service's metrics."""
SERVICE = "contract_analyzer"
"""Powertools service name: the ``service`` log key and metric dimension, and the name
of the package's root logger."""
SEVERITY_METRICS = {
    "critical": "FindingsCritical",
    "high": "FindingsHigh",
    "medium": "FindingsMedium",
    "low": "FindingsLow",
    "info": "FindingsInfo",
}

Handler = Callable[[Any, Any], Any]


def tracing_enabled(environ: dict[str, str] | None = None) -> bool:
    """Tracing is on: ``CONTRACT_ANALYZER_TRACING`` is true (and Powertools' own
    ``POWERTOOLS_TRACE_DISABLED`` is not)."""
    env = os.environ if environ is None else environ
    on = env.get("CONTRACT_ANALYZER_TRACING", "").strip().lower() in {"1", "true", "yes", "on"}
    off = env.get("POWERTOOLS_TRACE_DISABLED", "").strip().lower() in {"1", "true"}
    return on and not off


class Observability:
    """The logger, metrics and (optional) tracer of one Lambda function.

    ``function`` names the handler in the logs (``api``, ``s3``, ``notify``...);
    ``stream`` replaces stdout for the logs (tests)."""

    def __init__(
        self,
        function: str,
        *,
        tracing: bool | None = None,
        stream: IO[str] | None = None,
    ) -> None:
        _import_powertools()
        from aws_lambda_powertools.logging import Logger
        from aws_lambda_powertools.metrics import Metrics

        self.function = function
        level = os.environ.get("POWERTOOLS_LOG_LEVEL") or os.environ.get(
            "CONTRACT_ANALYZER_LOG_LEVEL", "INFO"
        )
        self.logger = Logger(service=SERVICE, level=level.upper(), stream=stream)
        self.logger.append_keys(handler=function, environment=_environment())
        self.metrics = Metrics(namespace=NAMESPACE, service=SERVICE)
        self.metrics.set_default_dimensions(environment=_environment())
        self.tracer: Any = None
        if tracing_enabled() if tracing is None else tracing:
            from aws_lambda_powertools.tracing import Tracer

            self.tracer = Tracer(service=SERVICE)
        self._cold = True

    def wrap(self, handler: Handler) -> Handler:
        """``handler`` with request-scoped JSON logs, the cold-start metric, a trace
        segment when tracing is on, and its metrics flushed when it returns or raises."""

        def keyed(event: Any, context: Any) -> Any:
            # After inject_lambda_context has cleared the previous invocation's keys.
            self.logger.append_keys(handler=self.function, environment=_environment())
            return handler(event, context)

        inner = self.logger.inject_lambda_context(keyed, clear_state=True)
        if self.tracer is not None:
            inner = self.tracer.capture_lambda_handler(inner)

        @functools.wraps(handler)
        def observed(event: Any, context: Any) -> Any:
            if self._cold:
                self._cold = False
                self.metrics.provider.add_cold_start_metric(context)
            try:
                return inner(event, context)
            finally:
                self.flush()

        return observed

    def flush(self) -> None:
        """Print the metrics recorded so far as one EMF document (none: nothing)."""
        if self.metrics.metric_set:
            self.metrics.flush_metrics()

    def count(self, name: str, value: float = 1) -> None:
        """Add ``value`` to the count metric ``name`` of this invocation."""
        from aws_lambda_powertools.metrics import MetricUnit

        self.metrics.add_metric(name=name, unit=MetricUnit.Count, value=value)

    def record_analysis(self, summary: AnalysisSummary) -> None:
        """The metrics and the log line of one finished analysis."""
        from aws_lambda_powertools.metrics import MetricUnit, single_metric

        self.count("Analyses")
        for severity, metric in SEVERITY_METRICS.items():
            self.count(metric, summary.counts.get(severity, 0))
        self.count("CacheHits", 1 if summary.cache_hit else 0)
        self.metrics.add_metric(
            name="AnalysisDuration", unit=MetricUnit.Milliseconds, value=summary.duration_ms
        )
        with single_metric(
            name="ProviderUsed", unit=MetricUnit.Count, value=1, namespace=NAMESPACE
        ) as single:
            single.add_dimension(name="service", value=SERVICE)
            single.add_dimension(name="environment", value=_environment())
            single.add_dimension(name="provider", value=summary.service_used or "static")
        self.logger.info(
            "analysis done",
            extra={
                "analysis": {
                    "source": summary.source,
                    "request_id": summary.request_id,
                    "file": summary.file,
                    "analysis_type": summary.analysis_type,
                    "counts": summary.counts,
                    "score": summary.score,
                    "service_used": summary.service_used,
                    "cache_hit": summary.cache_hit,
                    "duration_ms": round(summary.duration_ms, 3),
                }
            },
        )


def _import_powertools() -> None:
    """Import Powertools without letting it import botocore.

    The package's ``__init__`` imports botocore, when it is installed (it is, in the
    Lambda runtime), only to add a Powertools tag to the SDK's user agent. That would
    put botocore on the API function's cold-start path although the API never calls
    AWS; so while Powertools is first imported, botocore is made unimportable (it then
    skips the tag) and restored right after. Handlers that do call AWS import boto3
    later, as usual."""
    if "aws_lambda_powertools" in sys.modules or "botocore" in sys.modules:
        import aws_lambda_powertools

        return
    sys.modules["botocore"] = None  # type: ignore[assignment]
    try:
        import aws_lambda_powertools  # noqa: F401
    finally:
        del sys.modules["botocore"]


def _environment() -> str:
    from contract_analyzer.aws.clients import env_setting

    return env_setting("ENVIRONMENT", "dev")


_instances: dict[str, Observability] = {}


def observability(function: str) -> Observability:
    """The process's :class:`Observability` for ``function`` (created once)."""
    found = _instances.get(function)
    if found is None:
        found = _instances[function] = Observability(function)
    return found


def log() -> logging.Logger:
    """The package logger (JSON once an :class:`Observability` exists)."""
    return logging.getLogger(SERVICE)
