"""A sample event for every handler of the template, in the shape AWS delivers it."""

from __future__ import annotations

import json
from urllib.parse import unquote_plus

from infra_helpers import ROOT

from contract_analyzer.aws.lambda_s3 import s3_records
from contract_analyzer.aws.local import HANDLERS

EVENTS = ROOT / "events"
SAMPLES = {
    "api": ["analyze-event.json", "analyze-event-v2.json"],
    "s3": ["s3-put-event.json", "s3-test-event.json"],
    "worker": ["sqs-job-event.json"],
    "notify": ["sns-notification-event.json"],
    "report": ["schedule-event.json"],
    "authorizer": ["authorizer-event.json"],
}


def _load(name: str) -> dict[str, object]:
    data: dict[str, object] = json.loads((EVENTS / name).read_text())
    return data


def test_every_handler_has_a_sample_event() -> None:
    assert set(SAMPLES) == set(HANDLERS)
    listed = {name for names in SAMPLES.values() for name in names}
    assert listed == {path.name for path in EVENTS.glob("*.json")}


def test_the_samples_have_the_shapes_aws_sends() -> None:
    [record] = s3_records(_load("s3-put-event.json"))
    assert record["eventName"] == "ObjectCreated:Put"
    key = record["s3"]["object"]["key"]
    assert "+" in key and "%20" in key  # URL-encoded, as S3 sends keys
    assert unquote_plus(key) == "contracts/my team/Vulnerable Bank.sol"
    assert _load("s3-test-event.json")["Event"] == "s3:TestEvent"
    sqs = _load("sqs-job-event.json")["Records"]
    assert isinstance(sqs, list)
    assert {r["eventSource"] for r in sqs} == {"aws:sqs"}
    assert [json.loads(r["body"])["type"] for r in sqs] == ["run", "callback"]
    sns = _load("sns-notification-event.json")["Records"]
    assert isinstance(sns, list)
    assert {r["EventSource"] for r in sns} == {"aws:sns"}
    assert _load("schedule-event.json")["detail-type"] == "Scheduled Event"
    authorizer = _load("authorizer-event.json")
    assert authorizer["type"] == "TOKEN"
    assert str(authorizer["authorizationToken"]).startswith("Bearer ")
