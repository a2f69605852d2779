"""Lambda handler of the daily report (EventBridge schedule, 00:15 UTC).

``contract_analyzer.aws.lambda_report.handler`` reads the previous UTC day's counters
from the stats table (``STATS_TABLE``, see :mod:`contract_analyzer.aws.stats`) -
analyses, findings by severity, analyses by entry point, top detectors - writes them
as JSON to ``summaries/daily/<day>.json`` in ``REPORTS_BUCKET`` and publishes them to
``NOTIFY_TOPIC_ARN`` (``event_type=daily_report``). A manual run may name the day:
``{"day": "2026-11-25"}``; a bad day is refused with ``ValueError`` (nothing written).
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

from contract_analyzer.aws.clients import env_setting
from contract_analyzer.aws.observability import observability

SUMMARIES_PREFIX = "summaries/daily/"
TOP_DETECTORS = 10

_obs = observability("report")
logger = _obs.logger


def report_day(event: Any, now: datetime | None = None) -> str:
    """The day to report: the event's ``day``, else yesterday (UTC)."""
    day = event.get("day") if isinstance(event, dict) else None
    if day is not None:
        try:
            return date.fromisoformat(str(day)).isoformat()
        except ValueError:
            raise ValueError("'day' must be a date like 2026-11-25") from None
    return ((now or datetime.now(UTC)).date() - timedelta(days=1)).isoformat()


def build_report(day: str, counters: dict[str, Any]) -> dict[str, Any]:
    """The daily report document."""
    detectors = sorted(counters["detectors"].items(), key=lambda kv: (-kv[1], kv[0]))
    analyses = counters["analyses"]
    return {
        "event_type": "daily_report",
        "day": day,
        "environment": env_setting("ENVIRONMENT", "dev"),
        "analyses": analyses,
        "analyses_with_critical_or_high": counters["severe"],
        "severities": counters["severities"],
        "findings": sum(counters["severities"].values()),
        "sources": counters["sources"],
        "cache_hits": counters["cache_hits"],
        "mean_duration_ms": round(counters["duration_ms"] / analyses, 3) if analyses else 0.0,
        "top_detectors": [{"type": k, "findings": v} for k, v in detectors[:TOP_DETECTORS]],
        "generated_at": datetime.now(UTC).isoformat(),
    }


def handle(event: Any, context: Any) -> dict[str, Any]:
    """The handler's body (unwrapped, for tests)."""
    from contract_analyzer.aws.clients import client
    from contract_analyzer.aws.stats import read_day

    day = report_day(event)
    report = build_report(day, read_day(day))
    bucket = env_setting("REPORTS_BUCKET")
    key = f"{SUMMARIES_PREFIX}{day}.json"
    if bucket:
        client("s3").put_object(
            Bucket=bucket,
            Key=key,
            Body=json.dumps(report, indent=2).encode(),
            ContentType="application/json",
        )
        report["location"] = f"s3://{bucket}/{key}"
    topic = env_setting("NOTIFY_TOPIC_ARN")
    if topic:
        client("sns").publish(
            TopicArn=topic,
            Subject=f"[{report['environment']}] contract-analyzer daily report {day}",
            Message=json.dumps(report),
            MessageAttributes={
                "event_type": {"DataType": "String", "StringValue": "daily_report"},
                "environment": {"DataType": "String", "StringValue": report["environment"]},
            },
        )
    _obs.count("DailyReports")
    logger.info(
        "daily report",
        extra={"day": day, "analyses": report["analyses"], "location": report.get("location")},
    )
    return report


handler = _obs.wrap(handle)
"""The Lambda entry point: ``contract_analyzer.aws.lambda_report.handler``."""
