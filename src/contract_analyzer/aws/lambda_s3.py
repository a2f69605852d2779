"""Lambda handler of the S3 trigger: a contract uploaded under ``contracts/`` in the
reports bucket is analysed, and its report written under ``reports/`` with the same
name (``contracts/team/Token.sol`` -> ``reports/team/Token.json``).

``contract_analyzer.aws.lambda_s3.handler`` accepts the S3 notification event as Lambda
receives it (keys URL-encoded, ``+`` for spaces), the same records wrapped by SQS or SNS,
and S3's ``s3:TestEvent`` (acknowledged, nothing analysed). Per object:

* ``.sol`` objects under ``contracts/`` only (the template's filter says the same; a
  folder marker or another file is skipped and logged);
* the static analysis (``CONTRACT_ANALYZER_S3_ANALYSIS_TYPE``, default ``security``), then
  the AI review when a provider is configured (keys from Secrets Manager);
* the report JSON (``Report.to_dict()`` plus ``ai`` and ``source_object``) is put at
  ``reports/<name>.json``; an object that is not analysable (not UTF-8, empty, over
  5 MB) gets a report with ``"status": "error"`` and the reason instead, so the uploader
  sees why - nothing is retried for bad input;
* metrics, day counters and the SNS notification for critical/high findings
  (:func:`contract_analyzer.aws.events.after_analysis`), and a summary event on
  EventBridge (``EVENT_BUS_NAME``).

An S3 or AWS error raises, so Lambda's asynchronous retries (and the error alarm) apply.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote_plus

from contract_analyzer.aws.clients import env_setting
from contract_analyzer.aws.events import AnalysisSummary, after_analysis, put_summary_event
from contract_analyzer.aws.observability import observability

CONTRACTS_PREFIX = "contracts/"
REPORTS_PREFIX = "reports/"
MAX_OBJECT_BYTES = 5 * 1024 * 1024
"""Larger objects are not analysed (the CLI's limit)."""

_obs = observability("s3")
logger = _obs.logger


def report_key(key: str) -> str:
    """``contracts/a/Token.sol`` -> ``reports/a/Token.json``."""
    name = key[len(CONTRACTS_PREFIX) :] if key.startswith(CONTRACTS_PREFIX) else key
    if name.lower().endswith(".sol"):
        name = name[:-4]
    return f"{REPORTS_PREFIX}{name}.json"


def s3_records(event: Any) -> list[dict[str, Any]]:
    """The S3 records of ``event``: direct, or inside SQS bodies or SNS messages.
    ``s3:TestEvent`` messages yield nothing."""
    if not isinstance(event, dict):
        return []
    records: list[dict[str, Any]] = []
    for record in event.get("Records") or []:
        if not isinstance(record, dict):
            continue
        if record.get("eventSource") == "aws:s3" and "s3" in record:
            records.append(record)
            continue
        wrapped = record.get("body") or (record.get("Sns") or {}).get("Message")
        if isinstance(wrapped, str):
            try:
                inner = json.loads(wrapped)
            except json.JSONDecodeError:
                continue
            records.extend(s3_records(inner))
    return records


def _is_test_event(event: Any) -> bool:
    return isinstance(event, dict) and event.get("Event") == "s3:TestEvent"


def handle(event: Any, context: Any) -> dict[str, Any]:
    """The handler's body (unwrapped, for tests)."""
    if _is_test_event(event):
        logger.info(
            "s3:TestEvent received; nothing to analyse", extra={"bucket": event.get("Bucket")}
        )
        return {"processed": [], "skipped": [], "test_event": True}
    processed: list[dict[str, Any]] = []
    skipped: list[str] = []
    request_id = getattr(context, "aws_request_id", None)
    for record in s3_records(event):
        bucket = record["s3"]["bucket"]["name"]
        key = unquote_plus(record["s3"]["object"]["key"])
        if not key.startswith(CONTRACTS_PREFIX) or not key.lower().endswith(".sol"):
            logger.info("skipped: not a .sol object under contracts/", extra={"key": key})
            skipped.append(key)
            continue
        processed.append(analyse_object(bucket, key, request_id=request_id))
    return {"processed": processed, "skipped": skipped, "test_event": False}


def analyse_object(bucket: str, key: str, *, request_id: str | None = None) -> dict[str, Any]:
    """Analyse ``s3://bucket/key`` and write its report; the report's key and status."""
    from contract_analyzer.aws.clients import client

    s3 = client("s3")
    started = time.perf_counter()
    target = report_key(key)
    head = s3.head_object(Bucket=bucket, Key=key)
    source_object = {
        "bucket": bucket,
        "key": key,
        "etag": head.get("ETag", "").strip('"'),
        "version_id": head.get("VersionId"),
        "size": head.get("ContentLength", 0),
    }
    error: str | None = None
    source = ""
    if source_object["size"] > MAX_OBJECT_BYTES:
        error = f"the file is larger than {MAX_OBJECT_BYTES // (1024 * 1024)} MB"
    else:
        raw = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
        try:
            source = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            error = "the file is not UTF-8 text"
    document: dict[str, Any]
    summary: AnalysisSummary | None = None
    if error is None:
        document, summary = _analyse(source, key, request_id)
    if error is not None or summary is None:
        document = {
            "status": "error",
            "file": key,
            "error": {"code": "invalid_input", "message": error or document["error"]["message"]},
        }
    document["source_object"] = source_object
    document["request_id"] = request_id
    document["analysed_at"] = datetime.now(UTC).isoformat()
    s3.put_object(
        Bucket=bucket,
        Key=target,
        Body=json.dumps(document, indent=2).encode(),
        ContentType="application/json",
    )
    if summary is not None:
        summary.duration_ms = (time.perf_counter() - started) * 1000
        summary.location = f"s3://{bucket}/{target}"
        after_analysis(summary, _obs)
        try:
            put_summary_event(summary)
        except Exception as exc:
            logger.warning("summary event not published: %s", type(exc).__name__)
    status = "error" if summary is None else "ok"
    logger.info("report written", extra={"key": key, "report_key": target, "status": status})
    return {"key": key, "report_key": target, "status": status}


def _analyse(
    source: str, key: str, request_id: str | None
) -> tuple[dict[str, Any], AnalysisSummary | None]:
    from contract_analyzer.ai import enrich_report
    from contract_analyzer.engine import analyze
    from contract_analyzer.errors import AnalyzerError

    analysis_type = env_setting("S3_ANALYSIS_TYPE", "security")
    try:
        report = analyze(source, analysis_type=analysis_type, path=key)
    except AnalyzerError as exc:
        return {"error": {"message": exc.message}}, None
    result = enrich_report(report, source)
    document = result.report.to_dict()
    document["status"] = "ok"
    document["ai"] = result.to_dict()
    summary = AnalysisSummary.from_findings(
        document["findings"],
        source="s3",
        analysis_type=analysis_type,
        score=document["overall_security_score"],
        file=key,
        contract_name=document.get("contract_name"),
        request_id=request_id,
        service_used=result.service_used,
        model_used=result.model_used,
        cache_hit=result.cache_hit,
    )
    return document, summary


handler = _obs.wrap(handle)
"""The Lambda entry point: ``contract_analyzer.aws.lambda_s3.handler``."""
