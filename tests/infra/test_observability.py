"""Powertools in the handlers: JSON logs with the request id and cold-start flag, EMF
metrics on stdout, a tracer only when tracing is on. Each case runs the handlers in a
fresh interpreter, as a Lambda environment would, and reads what it prints."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from infra_helpers import ROOT

SCRIPT = """
import json, sys
from contract_analyzer.aws.local import LocalContext
event = json.load(open(sys.argv[1]))
from contract_analyzer.aws import {module} as handler_module
for _ in range(2):
    handler_module.handler(event, LocalContext("{function}"))
print("TRACER", handler_module._obs.tracer is not None, "aws_xray_sdk.core" in sys.modules)
print("BOTO", "botocore" in sys.modules)
app = getattr(handler_module, "app", None)
if app is not None:
    app.state.pool.close()
"""


def _run(
    module: str, event: str, tmp_path: Path, **env: str
) -> tuple[list[dict[str, Any]], list[str]]:
    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("AWS_", "NOTIFY_", "STATS_", "CONTRACT_ANALYZER_", "POWERTOOLS_"))
    }
    environment.update(
        {
            "AWS_DEFAULT_REGION": "us-east-1",
            "AI_PROVIDERS": "none",
            "CONTRACT_ANALYZER_DATA_DIR": str(tmp_path),
            "CACHE_BACKEND": "memory",
            **env,
        }
    )
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            SCRIPT.format(module=module, function=f"contract-analyzer-dev-{module}"),
            str(ROOT / "events" / event),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
        env=environment,
        cwd=ROOT,
    )
    documents, other = [], []
    for line in result.stdout.splitlines():
        if line.startswith("{"):
            documents.append(json.loads(line))
        else:
            other.append(line)
    return documents, other


def _metrics(documents: list[dict[str, Any]]) -> dict[str, list[float]]:
    found: dict[str, list[float]] = {}
    for doc in documents:
        for directive in doc.get("_aws", {}).get("CloudWatchMetrics", []):
            for metric in directive["Metrics"]:
                found.setdefault(metric["Name"], []).extend(doc[metric["Name"]])
    return found


def test_api_logs_carry_request_ids_and_cold_start_and_emit_analysis_metrics(
    tmp_path: Path,
) -> None:
    documents, other = _run("lambda_api", "analyze-event.json", tmp_path, ENVIRONMENT="staging")
    logs = [d for d in documents if "_aws" not in d]
    requests = [d for d in logs if d.get("message") == "request"]
    assert [r["cold_start"] for r in requests] == [True, False]
    for line in requests:
        assert line["function_request_id"]
        assert line["request_id"] == "sam-local-vulnerable-bank-1"
        assert line["handler"] == "api" and line["environment"] == "staging"
        assert line["level"] == "INFO" and line["service"] == "contract_analyzer"
        assert line["status"] == 200 and line["path"] == "/analyze"
    done = [d for d in logs if d.get("message") == "analysis done"]
    assert done[0]["analysis"]["counts"]["critical"] == 1
    metrics = _metrics(documents)
    assert metrics["ColdStart"] == [1.0]
    assert metrics["Analyses"] == [1.0, 1.0]
    assert metrics["FindingsCritical"] == [1.0, 1.0] and metrics["FindingsHigh"] == [1.0, 1.0]
    assert metrics["CacheHits"] == [0.0, 1.0]  # the same contract again: a cache hit
    assert len(metrics["AnalysisDuration"]) == 2
    provider = [d for d in documents if "ProviderUsed" in d]
    assert provider[0]["provider"] == "static" and provider[0]["environment"] == "staging"
    emf = next(d for d in documents if "Analyses" in d)
    assert emf["_aws"]["CloudWatchMetrics"][0]["Namespace"] == "ContractAnalyzer"
    assert sorted(emf["_aws"]["CloudWatchMetrics"][0]["Dimensions"][0]) == [
        "environment",
        "service",
    ]
    assert "TRACER False False" in other
    assert "BOTO False" in other  # nothing here called AWS: boto3 never loaded


def test_the_tracer_exists_only_when_tracing_is_on(tmp_path: Path) -> None:
    documents, other = _run(
        "lambda_notify",
        "sns-notification-event.json",
        tmp_path,
        CONTRACT_ANALYZER_TRACING="true",
        POWERTOOLS_TRACE_DISABLED="false",
        AWS_XRAY_CONTEXT_MISSING="IGNORE_ERROR",
        AWS_XRAY_SDK_ENABLED="false",
    )
    assert "TRACER True True" in other
    metrics = _metrics(documents)
    assert metrics["NotificationsAnalysis"] == [1.0, 1.0]
    assert metrics["NotificationsAlarm"] == [1.0, 1.0]
    errors = [d for d in documents if d.get("level") == "ERROR"]
    assert len(errors) == 4  # the critical finding and the alarm, twice
    assert all(e["cold_start"] in (True, False) and e["function_request_id"] for e in errors)
