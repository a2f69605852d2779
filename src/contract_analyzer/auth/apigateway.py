"""API Gateway usage plans for API keys (opt-in: ``API_GATEWAY_USAGE_PLANS``).

On AWS, a REST API whose methods require an API key (``ApiKeyRequired``) lets API Gateway
throttle and cap each key *before* the function runs, by the usage plan the key belongs
to. For that the gateway must know the key: with ``API_GATEWAY_USAGE_PLANS`` set to
``{"<plan>": "<usage plan id>", ...}`` (the template's outputs),
``contract-analyzer keys create`` also creates the key in API Gateway (named after its
public id, ``ca_<id>``, tagged with the plan) and adds it to the plan's usage plan, and
``keys revoke`` disables it there. The application still checks every key against its
own store (revocation, plan, AI), so the two layers agree.

API Gateway keeps the key's value (that is how it recognises it); the project's own
store keeps only the salted hash.
"""

from __future__ import annotations

import contextlib
from typing import Any

from contract_analyzer.auth.aws import error_code
from contract_analyzer.auth.base import CredentialBackendError
from contract_analyzer.auth.keys import ApiKeyRecord
from contract_analyzer.errors import UsageError


class UsagePlanKeys:
    """Registers keys with API Gateway usage plans (``plan name -> usage plan id``)."""

    def __init__(self, usage_plans: dict[str, str], client: Any = None) -> None:
        self.usage_plans = usage_plans
        self._client = client

    @property
    def client(self) -> Any:
        if self._client is None:
            import boto3

            self._client = boto3.client("apigateway")
        return self._client

    def check_plan(self, plan: str) -> str:
        """The usage plan id of ``plan``; a usage error when it has none."""
        usage_plan = self.usage_plans.get(plan)
        if not usage_plan:
            raise UsageError(
                f"plan {plan!r} has no API Gateway usage plan in API_GATEWAY_USAGE_PLANS "
                f"(configured: {', '.join(sorted(self.usage_plans)) or 'none'})"
            )
        return usage_plan

    def register(self, key: str, record: ApiKeyRecord) -> str:
        """Create the key in API Gateway and add it to its plan's usage plan; returns
        API Gateway's id of the key."""
        usage_plan = self.check_plan(record.plan)
        created = self._call(
            "create_api_key",
            name=record.public_id,
            description=record.name,
            enabled=True,
            value=key,
            tags={"plan": record.plan, "managed-by": "contract-analyzer"},
        )
        gateway_id = str(created["id"])
        try:
            self._call(
                "create_usage_plan_key", usagePlanId=usage_plan, keyId=gateway_id, keyType="API_KEY"
            )
        except CredentialBackendError:
            self.remove(gateway_id)
            raise
        return gateway_id

    def remove(self, gateway_id: str) -> None:
        """Delete a key from API Gateway (undoing :meth:`register`; best effort)."""
        with contextlib.suppress(CredentialBackendError):
            self._call("delete_api_key", apiKey=gateway_id)

    def disable(self, record: ApiKeyRecord) -> bool:
        """Disable the key in API Gateway; False when API Gateway does not have it."""
        found = self._call("get_api_keys", nameQuery=record.public_id, includeValues=False)
        ids = [
            item["id"] for item in found.get("items", []) if item.get("name") == record.public_id
        ]
        for gateway_id in ids:
            self._call(
                "update_api_key",
                apiKey=gateway_id,
                patchOperations=[{"op": "replace", "path": "/enabled", "value": "false"}],
            )
        return bool(ids)

    def _call(self, operation: str, **kwargs: Any) -> Any:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            return getattr(self.client, operation)(**kwargs)
        except (BotoCoreError, ClientError) as exc:
            reason = error_code(exc) or type(exc).__name__
            raise CredentialBackendError(f"API Gateway {operation} failed: {reason}") from None
