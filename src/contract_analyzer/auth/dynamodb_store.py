"""The key store on AWS: a DynamoDB table (``API_KEYS_TABLE``).

Table: partition key ``key_id`` (string), on-demand capacity; items hold ``name``,
``plan``, ``salt``, ``secret_hash``, ``created_at`` and, once revoked, ``revoked_at``.
A lookup is one strongly consistent ``GetItem`` by id (so a revocation takes effect at
once); listing is a ``Scan`` (an administrator's command, not a request path).
"""

from __future__ import annotations

from typing import Any

from contract_analyzer.auth.aws import LazyDynamoDB, error_code
from contract_analyzer.auth.base import CredentialBackendError
from contract_analyzer.auth.keys import ApiKeyRecord

_FIELDS = ("name", "plan", "salt", "secret_hash", "created_at")


def _item(record: ApiKeyRecord) -> dict[str, Any]:
    item: dict[str, Any] = {"key_id": {"S": record.key_id}}
    for field in _FIELDS:
        item[field] = {"S": getattr(record, field)}
    if record.revoked_at is not None:
        item["revoked_at"] = {"S": record.revoked_at}
    return item


def _record(item: dict[str, Any]) -> ApiKeyRecord:
    def text(name: str) -> str:
        return str(item[name]["S"])

    revoked = item.get("revoked_at")
    return ApiKeyRecord(
        key_id=text("key_id"),
        name=text("name"),
        plan=text("plan"),
        salt=text("salt"),
        secret_hash=text("secret_hash"),
        created_at=text("created_at"),
        revoked_at=str(revoked["S"]) if revoked else None,
    )


class DynamoDBKeyStore:
    """:class:`~contract_analyzer.auth.keys.KeyStore` in a DynamoDB table."""

    def __init__(self, table: str, dynamodb: LazyDynamoDB | None = None) -> None:
        self.table = table
        self._dynamodb = dynamodb or LazyDynamoDB()

    def _call(self, operation: str, **kwargs: Any) -> Any:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            return getattr(self._dynamodb.client, operation)(TableName=self.table, **kwargs)
        except ClientError as exc:
            if error_code(exc) == "ConditionalCheckFailedException":
                raise
            raise CredentialBackendError(
                f"DynamoDB {operation} on {self.table} failed: {error_code(exc)}"
            ) from None
        except BotoCoreError as exc:
            raise CredentialBackendError(
                f"DynamoDB {operation} on {self.table} failed: {type(exc).__name__}"
            ) from None

    def create(self, record: ApiKeyRecord) -> None:
        self._call(
            "put_item",
            Item=_item(record),
            ConditionExpression="attribute_not_exists(key_id)",
        )

    def get(self, key_id: str) -> ApiKeyRecord | None:
        answer = self._call("get_item", Key={"key_id": {"S": key_id}}, ConsistentRead=True)
        item = answer.get("Item")
        return _record(item) if item else None

    def list_keys(self) -> list[ApiKeyRecord]:
        records: list[ApiKeyRecord] = []
        kwargs: dict[str, Any] = {}
        while True:
            page = self._call("scan", **kwargs)
            records.extend(_record(item) for item in page.get("Items", []))
            if "LastEvaluatedKey" not in page:
                break
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
        records.sort(key=lambda r: (r.created_at, r.key_id))
        return records

    def revoke(self, key_id: str, when: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self._call(
                "update_item",
                Key={"key_id": {"S": key_id}},
                UpdateExpression="SET revoked_at = :when",
                ConditionExpression="attribute_exists(key_id) AND attribute_not_exists(revoked_at)",
                ExpressionAttributeValues={":when": {"S": when}},
            )
        except ClientError:  # the condition failed: no such key, or already revoked
            return False
        return True
