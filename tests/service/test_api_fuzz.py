"""Schema-driven fuzzing of the API with schemathesis, against our own OpenAPI spec,
over HTTP to a real ``contract-analyzer serve`` on loopback.

Every operation gets generated requests; every answer must be no 5xx and conform to the
documented status codes, content types and response schemas. Bounded (a few hundred
requests in all) so the module runs in seconds.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from service_helpers import running_server

from contract_analyzer.config import Settings
from contract_analyzer.service.app import create_app

# The spec comes from the app itself (no worker starts for that); requests go to a server.
schema = schemathesis.openapi.from_dict(create_app(Settings()).openapi())


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    # A callback secret, so that jobs with a callback_url are accepted as the schema says.
    with running_server(CONTRACT_ANALYZER_CALLBACK_SECRET="fuzz-callback-secret") as (_, port):
        yield f"http://127.0.0.1:{port}"


@schema.parametrize()
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    database=None,
    derandomize=True,
)
def test_api_conforms_to_its_spec_and_never_answers_5xx(
    case: schemathesis.Case, base_url: str
) -> None:
    response = case.call_and_validate(base_url=base_url)
    assert response.status_code < 500
    assert response.headers.get("x-request-id")
