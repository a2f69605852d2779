"""Lambda handler subscribed to the notification topic (SNS).

The topic receives three kinds of message: ``analysis`` (an analysis with critical or
high findings, from :func:`contract_analyzer.aws.events.publish_severe`),
``daily_report`` (from the scheduled report) and CloudWatch alarm state changes. The
handler turns each into one human-readable line (:func:`format_notification`) and one
structured log record - an ``analysis`` with a critical finding at ``ERROR`` level, so a
log subscription or metric filter can page on it - and counts ``Notifications`` per
kind. E-mail reaches people through the topic's e-mail subscription (``AlarmEmail``);
Slack and webhook delivery will reuse :func:`format_notification` here.

``contract_analyzer.aws.lambda_notify.handler``; a message that is not JSON is logged
as ``unknown`` and does not fail the batch (SNS would retry it for nothing).
"""

from __future__ import annotations

import json
from typing import Any

from contract_analyzer.aws.observability import observability

_obs = observability("notify")
logger = _obs.logger


def message_kind(message: Any, attributes: dict[str, Any]) -> str:
    """``analysis``, ``daily_report``, ``alarm`` or ``unknown``."""
    declared = (attributes.get("event_type") or {}).get("Value")
    if isinstance(message, dict):
        declared = declared or message.get("event_type")
        if not declared and "AlarmName" in message and "NewStateValue" in message:
            return "alarm"
    return declared if declared in {"analysis", "daily_report"} else "unknown"


def format_notification(kind: str, message: Any, subject: str | None = None) -> str:
    """One line a person can act on."""
    if kind == "analysis" and isinstance(message, dict):
        counts = message.get("counts") or {}
        name = message.get("contract_name") or message.get("file") or "a contract"
        where = f" (report: {message['location']})" if message.get("location") else ""
        first = (message.get("top_findings") or [{}])[0]
        detail = (
            f"; first: {first.get('type')} at line {first.get('line_number')}"
            if first.get("type")
            else ""
        )
        return (
            f"[{message.get('environment', '?')}] {counts.get('critical', 0)} critical and "
            f"{counts.get('high', 0)} high findings in {name} via {message.get('source', '?')}"
            f"{detail}{where}"
        )
    if kind == "daily_report" and isinstance(message, dict):
        sev = message.get("severities") or {}
        return (
            f"[{message.get('environment', '?')}] daily report {message.get('day')}: "
            f"{message.get('analyses', 0)} analyses, {sev.get('critical', 0)} critical, "
            f"{sev.get('high', 0)} high findings"
        )
    if kind == "alarm" and isinstance(message, dict):
        return (
            f"alarm {message.get('AlarmName')} is {message.get('NewStateValue')}: "
            f"{message.get('NewStateReason', '')}"
        )
    return subject or "notification"


def handle(event: Any, context: Any) -> dict[str, Any]:
    """The handler's body (unwrapped, for tests)."""
    delivered: list[dict[str, Any]] = []
    for record in (event or {}).get("Records") or []:
        sns = record.get("Sns") or {}
        raw = sns.get("Message", "")
        try:
            message: Any = json.loads(raw)
        except (TypeError, json.JSONDecodeError):
            message = raw
        kind = message_kind(message, sns.get("MessageAttributes") or {})
        text = format_notification(kind, message, sns.get("Subject"))
        critical = kind == "analysis" and ((message.get("counts") or {}).get("critical", 0) > 0)
        log = logger.error if critical or kind == "alarm" else logger.info
        log(text, extra={"notification": {"kind": kind, "message_id": sns.get("MessageId")}})
        _obs.count(f"Notifications{kind.title().replace('_', '')}")
        delivered.append({"kind": kind, "text": text, "message_id": sns.get("MessageId")})
    return {"delivered": delivered}


handler = _obs.wrap(handle)
"""The Lambda entry point: ``contract_analyzer.aws.lambda_notify.handler``."""
