"""Daily counters of analyses in DynamoDB (``STATS_TABLE``), for the daily report.

One item per UTC day, partition key ``day`` (``2026-11-26``); every analysis adds to it
with one atomic ``UpdateItem`` (``ADD``, so concurrent functions never lose an update):

* ``analyses``, ``sev_<severity>`` (findings by severity), ``src_<source>`` (``api``,
  ``s3``, ``worker``), ``det_<detector id>`` (findings by detector), ``severe`` (analyses
  with a critical or high finding), ``cache_hits``, ``duration_ms``;
* ``expires_at``: the table's TTL attribute, 400 days after the day.

An at-least-once delivery (S3 and SQS can deliver an event twice) may count an
analysis twice; the report says "about", and nothing bills on these numbers.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from contract_analyzer.aws.events import AnalysisSummary

KEEP_DAYS = 400
_SAFE = re.compile(r"[^A-Za-z0-9_.-]")


def _day(timestamp: str | None = None) -> str:
    if timestamp:
        try:
            return datetime.fromisoformat(timestamp).astimezone(UTC).date().isoformat()
        except ValueError:
            pass
    return datetime.now(UTC).date().isoformat()


def _table_name(table: str | None) -> str:
    from contract_analyzer.aws.clients import env_setting

    name = table or env_setting("STATS_TABLE")
    if not name:
        raise RuntimeError("STATS_TABLE is not set")
    return name


def record(summary: AnalysisSummary, table: str | None = None) -> None:
    """Add one analysis to its day's counters."""
    from contract_analyzer.aws.clients import client

    day = _day(summary.timestamp)
    adds: dict[str, int | float] = {
        "analyses": 1,
        f"src_{summary.source}": 1,
        "severe": 1 if summary.severe else 0,
        "cache_hits": 1 if summary.cache_hit else 0,
        "duration_ms": round(summary.duration_ms, 3),
    }
    for severity, count in summary.counts.items():
        if severity != "total":
            adds[f"sev_{severity}"] = count
    for detector, count in summary.detectors.items():
        adds[f"det_{_SAFE.sub('_', detector)[:200]}"] = count
    names: dict[str, str] = {"#exp": "expires_at"}
    values: dict[str, Any] = {":exp": {"N": str(_expiry(day))}}
    parts = []
    for index, (attribute, amount) in enumerate(adds.items()):
        names[f"#a{index}"] = attribute
        values[f":v{index}"] = {"N": str(amount)}
        parts.append(f"#a{index} :v{index}")
    client("dynamodb").update_item(
        TableName=_table_name(table),
        Key={"day": {"S": day}},
        UpdateExpression="SET #exp = if_not_exists(#exp, :exp) ADD " + ", ".join(parts),
        ExpressionAttributeNames=names,
        ExpressionAttributeValues=values,
    )


def _expiry(day: str) -> int:
    end = datetime.combine(date.fromisoformat(day), datetime.min.time(), tzinfo=UTC)
    return int((end + timedelta(days=KEEP_DAYS)).timestamp())


def read_day(day: str, table: str | None = None) -> dict[str, Any]:
    """The counters of ``day`` as ``{"analyses", "severe", "cache_hits", "duration_ms",
    "severities", "sources", "detectors"}`` (zeros for a day without analyses)."""
    from contract_analyzer.aws.clients import client

    answer = client("dynamodb").get_item(
        TableName=_table_name(table), Key={"day": {"S": day}}, ConsistentRead=True
    )
    item = answer.get("Item") or {}
    numbers = {key: _number(value) for key, value in item.items() if "N" in value}
    severities = {
        s: int(numbers.get(f"sev_{s}", 0)) for s in ("critical", "high", "medium", "low", "info")
    }
    return {
        "analyses": int(numbers.get("analyses", 0)),
        "severe": int(numbers.get("severe", 0)),
        "cache_hits": int(numbers.get("cache_hits", 0)),
        "duration_ms": float(numbers.get("duration_ms", 0.0)),
        "severities": severities,
        "sources": {k[4:]: int(v) for k, v in numbers.items() if k.startswith("src_")},
        "detectors": {k[4:]: int(v) for k, v in numbers.items() if k.startswith("det_")},
    }


def _number(value: dict[str, str]) -> float:
    return float(Decimal(value["N"]))
