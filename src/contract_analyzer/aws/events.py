"""What happens after an analysis on AWS, whichever function ran it (API, S3 trigger,
SQS worker): one :class:`AnalysisSummary`, then :func:`after_analysis`:

1. metrics and a log line (:meth:`Observability.record_analysis`);
2. the day's counters in the stats table (``STATS_TABLE``; read by the daily report);
3. a message on the SNS topic (``NOTIFY_TOPIC_ARN``) when the analysis has a critical
   or high finding, with message attributes ``event_type=analysis`` and
   ``max_severity``, so subscribers can filter.

Each step is skipped when its variable is unset, and a failing step is logged, never
raised: the analysis itself has succeeded and its caller gets its answer. boto3 is
imported only when a step needs it.
"""

from __future__ import annotations

import json
import logging
import threading
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from contract_analyzer.aws.clients import env_setting

if TYPE_CHECKING:
    from contract_analyzer.aws.observability import Observability

logger = logging.getLogger("contract_analyzer.aws.events")

SEVERITIES = ("critical", "high", "medium", "low", "info")
SEVERE = ("critical", "high")
TOP_FINDINGS = 20
"""At most this many critical/high findings travel in a notification."""
EVENT_SOURCE = "contract-analyzer"
"""``source`` of the EventBridge events."""


@dataclass
class AnalysisSummary:
    """The facts of one analysis that metrics, counters and notifications need."""

    source: str
    analysis_type: str
    counts: dict[str, int]
    detectors: dict[str, int]
    score: int | None = None
    file: str | None = None
    contract_name: str | None = None
    request_id: str | None = None
    service_used: str = "static"
    model_used: str | None = None
    cache_hit: bool = False
    duration_ms: float = 0.0
    location: str | None = None
    top_findings: list[dict[str, Any]] = field(default_factory=list)
    timestamp: str = field(default_factory=lambda: datetime.now(UTC).isoformat())
    environment: str = field(default_factory=lambda: env_setting("ENVIRONMENT", "dev"))

    @property
    def severe(self) -> bool:
        """A critical or high finding was found."""
        return any(self.counts.get(s, 0) for s in SEVERE)

    @property
    def max_severity(self) -> str:
        for severity in SEVERITIES:
            if self.counts.get(severity, 0):
                return severity
        return "none"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_findings(
        cls,
        findings: list[dict[str, Any]],
        *,
        source: str,
        analysis_type: str,
        **fields: Any,
    ) -> AnalysisSummary:
        """From findings as JSON (``Report.to_dict()["findings"]`` or the API's
        ``vulnerabilities``)."""
        counts = dict.fromkeys(SEVERITIES, 0)
        detectors: Counter[str] = Counter()
        top: list[dict[str, Any]] = []
        for finding in findings:
            severity = str(finding.get("severity", "info"))
            if severity in counts:
                counts[severity] += 1
            detectors[str(finding.get("type", "unknown"))] += 1
            if severity in SEVERE and len(top) < TOP_FINDINGS:
                top.append(
                    {
                        key: finding.get(key)
                        for key in ("type", "severity", "title", "line_number", "file", "source")
                        if finding.get(key) is not None
                    }
                )
        counts["total"] = len(findings)
        top.sort(key=lambda f: SEVERITIES.index(f.get("severity", "info")))
        return cls(
            source=source,
            analysis_type=analysis_type,
            counts=counts,
            detectors=dict(detectors),
            top_findings=top,
            **fields,
        )

    @classmethod
    def from_api_response(cls, body: dict[str, Any]) -> AnalysisSummary:
        """From the 200 answer of ``POST /analyze`` or ``/analyze/batch``."""
        report = body.get("analysis_report") or {}
        ai = report.get("ai") or {}
        processing = report.get("processing_time") or 0.0
        return cls.from_findings(
            list(report.get("vulnerabilities") or []),
            source="api",
            analysis_type=str(body.get("analysis_type", "security")),
            score=report.get("overall_security_score"),
            contract_name=body.get("contract_name"),
            request_id=body.get("request_id"),
            service_used=str(report.get("service_used") or "static"),
            model_used=report.get("model_used"),
            cache_hit=bool(body.get("cached") or ai.get("cache_hit")),
            duration_ms=float(processing) * 1000,
        )


def notification_subject(summary: AnalysisSummary) -> str:
    """The SNS subject (at most 100 characters, as SNS requires)."""
    counts = summary.counts
    name = summary.contract_name or summary.file or "contract"
    subject = (
        f"[{summary.environment}] {counts.get('critical', 0)} critical, "
        f"{counts.get('high', 0)} high in {name}"
    )
    return subject if len(subject) <= 100 else subject[:97] + "..."


def publish_severe(summary: AnalysisSummary, topic_arn: str | None = None) -> str | None:
    """Publish ``summary`` to the topic when it has a critical or high finding; the
    message id, or ``None`` when nothing was sent."""
    topic_arn = topic_arn or env_setting("NOTIFY_TOPIC_ARN")
    if not topic_arn or not summary.severe:
        return None
    from contract_analyzer.aws.clients import client

    message = {"event_type": "analysis", **summary.to_dict()}
    answer = client("sns").publish(
        TopicArn=topic_arn,
        Subject=notification_subject(summary),
        Message=json.dumps(message, default=str),
        MessageAttributes={
            "event_type": {"DataType": "String", "StringValue": "analysis"},
            "max_severity": {"DataType": "String", "StringValue": summary.max_severity},
            "environment": {"DataType": "String", "StringValue": summary.environment},
        },
    )
    message_id: str = answer["MessageId"]
    return message_id


def put_summary_event(summary: AnalysisSummary, bus: str | None = None) -> None:
    """The summary as an EventBridge event (``source`` :data:`EVENT_SOURCE`,
    ``detail-type`` ``Analysis Completed``) on ``EVENT_BUS_NAME``; nothing when unset."""
    bus = bus or env_setting("EVENT_BUS_NAME")
    if not bus:
        return
    from contract_analyzer.aws.clients import client

    answer = client("events").put_events(
        Entries=[
            {
                "Source": EVENT_SOURCE,
                "DetailType": "Analysis Completed",
                "Detail": json.dumps(summary.to_dict(), default=str),
                "EventBusName": bus,
            }
        ]
    )
    if answer.get("FailedEntryCount"):
        raise RuntimeError(f"EventBridge refused the event: {answer['Entries']}")


def after_analysis(summary: AnalysisSummary, obs: Observability | None = None) -> None:
    """Metrics, day counters and the severe-findings notification of one analysis.
    Never raises."""
    steps: list[tuple[str, Any]] = []
    if obs is not None:
        steps.append(("metrics", lambda: obs.record_analysis(summary)))
    if env_setting("STATS_TABLE"):
        from contract_analyzer.aws.stats import record

        steps.append(("stats", lambda: record(summary)))
    steps.append(("notification", lambda: publish_severe(summary)))
    for name, step in steps:
        try:
            step()
        except Exception as exc:
            logger.warning("after-analysis step %s failed: %s", name, _describe(exc))


def warm_clients() -> threading.Thread | None:
    """Import boto3 and create the clients :func:`after_analysis` will need, in a
    background thread (the API function calls it in its init phase: the import, a few
    hundred milliseconds, then overlaps the first analysis, which runs in the worker
    process, instead of following it). ``None`` when nothing will be published."""
    services = [
        service
        for service, variable in (("dynamodb", "STATS_TABLE"), ("sns", "NOTIFY_TOPIC_ARN"))
        if env_setting(variable)
    ]
    if not services:
        return None

    def warm() -> None:
        from contract_analyzer.aws.clients import client

        for service in services:
            try:
                client(service)
            except Exception as exc:  # the real call will report it
                logger.debug("warming the %s client failed: %s", service, _describe(exc))

    thread = threading.Thread(target=warm, name="warm-aws-clients", daemon=True)
    thread.start()
    return thread


def _describe(exc: BaseException) -> str:
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        code = response.get("Error", {}).get("Code")
        if code:
            return f"{type(exc).__name__} ({code})"
    return f"{type(exc).__name__}: {exc}"
