"""The AWS backends: DynamoDB (cache and job state), S3 (overflow of large items) and
SQS (the job queue). boto3 is imported on first use, never when this module is
imported; ``AWS_ENDPOINT_URL`` (a moto server in tests) and the region come from the
environment as boto3 reads them.

Tables (created by the SAM template in production; :func:`create_cache_table` and
:func:`create_jobs_table` create the same ones for tests and self-hosting):

* ``CACHE_TABLE``: partition key ``key`` (S); attributes ``value`` (B, the encoded
  value or a pointer to S3), ``created_at`` (N) and ``expires_at`` (N, the table's
  TTL attribute). DynamoDB deletes expired items up to a few days late, so reads
  filter them too.
* ``JOBS_TABLE``: partition key ``job_id`` (S), TTL attribute ``expires_at``. Jobs
  keep their request and result as encoded bytes (``request``/``result``, or
  ``request_ref``/``result_ref`` naming an S3 object when too large); idempotency
  keys are items ``idempotency#<digest>`` of the same table, written in one
  transaction with their job.
"""

from __future__ import annotations

import json
import math
import os
import threading
import time
import uuid
from typing import Any

from contract_analyzer.storage import codec
from contract_analyzer.storage.base import (
    TERMINAL,
    BlobStore,
    Delivery,
    Idempotency,
    IdempotencyConflictError,
    ItemTooLargeError,
    Job,
    JobStatus,
    StorageError,
)

DYNAMODB_ITEM_LIMIT = 400 * 1024
"""DynamoDB's item size limit, names and values included."""
CACHE_VALUE_LIMIT = DYNAMODB_ITEM_LIMIT - 2048
"""The largest cache value stored in DynamoDB itself (room left for the key and
the other attributes)."""
JOB_BLOB_INLINE_LIMIT = 120 * 1024
"""A job's request or result larger than this (encoded) goes to S3 when a bucket is
configured, so that both fit in one item."""
IDEMPOTENCY_PREFIX = "idempotency#"

_clients: dict[tuple[str, str, str], Any] = {}
_clients_lock = threading.Lock()


def client(service: str) -> Any:
    """A boto3 client of ``service``, shared per endpoint and region (thread-safe)."""
    key = (
        service,
        os.environ.get("AWS_ENDPOINT_URL", ""),
        os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION", ""),
    )
    found = _clients.get(key)
    if found is not None:
        return found
    with _clients_lock:
        found = _clients.get(key)
        if found is None:
            import boto3
            from botocore.config import Config

            config = Config(
                retries={"mode": "standard", "max_attempts": 3},
                connect_timeout=3,
                read_timeout=25,
            )
            found = _clients[key] = boto3.client(service, config=config)
        return found


def _error_code(exc: Exception) -> str:
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        return str(response.get("Error", {}).get("Code", ""))
    return ""


def _n(value: float | int) -> dict[str, str]:
    return {"N": repr(value) if isinstance(value, float) else str(value)}


def _num(item: dict[str, Any], name: str) -> float | None:
    found = item.get(name)
    return float(found["N"]) if found is not None and "N" in found else None


def _str(item: dict[str, Any], name: str) -> str | None:
    found = item.get(name)
    return str(found["S"]) if found is not None and "S" in found else None


# ---------------------------------------------------------------------- cache


class DynamoDBCacheStore:
    """The result cache in one DynamoDB table (pk ``key``, TTL ``expires_at``)."""

    name = "dynamodb"
    max_item_bytes: int | None = CACHE_VALUE_LIMIT
    inline = False

    def __init__(self, table: str, *, dynamodb: Any = None) -> None:
        self.table = table
        self._dynamodb = dynamodb

    @property
    def dynamodb(self) -> Any:
        if self._dynamodb is None:
            self._dynamodb = client("dynamodb")
        return self._dynamodb

    def get(self, key: str) -> bytes | None:
        item = self.dynamodb.get_item(
            TableName=self.table,
            Key={"key": {"S": key}},
            ProjectionExpression="#v, expires_at",
            ExpressionAttributeNames={"#v": "value"},
        ).get("Item")
        if not item:
            return None
        expires_at = _num(item, "expires_at")
        if expires_at is not None and expires_at <= time.time():
            return None
        return bytes(item["value"]["B"])

    def put(self, key: str, value: bytes, expires_at: float | None) -> None:
        if len(value) > CACHE_VALUE_LIMIT:
            raise ItemTooLargeError(f"{len(value)} bytes is over DynamoDB's item limit")
        item: dict[str, Any] = {
            "key": {"S": key},
            "value": {"B": value},
            "created_at": _n(int(time.time())),
        }
        if expires_at is not None:
            item["expires_at"] = _n(math.ceil(expires_at))
        self.dynamodb.put_item(TableName=self.table, Item=item)

    def delete(self, key: str) -> None:
        self.dynamodb.delete_item(TableName=self.table, Key={"key": {"S": key}})

    def close(self) -> None:
        pass


class S3BlobStore:
    """Objects ``<prefix><key>`` of one S3 bucket."""

    def __init__(self, bucket: str, prefix: str = "", *, s3: Any = None) -> None:
        self.bucket = bucket
        self.prefix = prefix
        self._s3 = s3

    @property
    def s3(self) -> Any:
        if self._s3 is None:
            self._s3 = client("s3")
        return self._s3

    def get(self, key: str) -> bytes | None:
        try:
            answer = self.s3.get_object(Bucket=self.bucket, Key=self.prefix + key)
        except Exception as exc:
            if _error_code(exc) in ("NoSuchKey", "404", "NotFound"):
                return None
            raise
        data: bytes = answer["Body"].read()
        return data

    def put(self, key: str, value: bytes) -> None:
        self.s3.put_object(Bucket=self.bucket, Key=self.prefix + key, Body=value)

    def delete(self, key: str) -> None:
        self.s3.delete_object(Bucket=self.bucket, Key=self.prefix + key)


# ---------------------------------------------------------------------- jobs


class DynamoDBJobStore:
    """Job state in one DynamoDB table (pk ``job_id``). Transitions are conditional
    writes; an idempotency key and its job are written in one transaction."""

    name = "dynamodb"

    def __init__(self, table: str, *, blobs: BlobStore | None = None, dynamodb: Any = None):
        self.table = table
        self.blobs = blobs
        self._dynamodb = dynamodb

    @property
    def dynamodb(self) -> Any:
        if self._dynamodb is None:
            self._dynamodb = client("dynamodb")
        return self._dynamodb

    # -------------------------------------------------------------- encoding

    def _pack(self, job_id: str, name: str, value: Any) -> dict[str, Any]:
        data = codec.encode(value)
        if len(data) <= JOB_BLOB_INLINE_LIMIT:
            return {name: {"B": data}}
        if self.blobs is None:
            if len(data) <= DYNAMODB_ITEM_LIMIT - 8192:
                return {name: {"B": data}}
            raise ItemTooLargeError(
                f"the job's {name} is {len(data):,} bytes compressed, over DynamoDB's "
                "item limit, and no overflow bucket is configured (CACHE_BUCKET)"
            )
        ref = f"{job_id}/{name}"
        self.blobs.put(ref, data)
        return {f"{name}_ref": {"S": ref}}

    def _unpack(self, item: dict[str, Any], name: str) -> Any:
        if name in item:
            return codec.decode(bytes(item[name]["B"]))
        ref = _str(item, f"{name}_ref")
        if ref is None:
            return None
        if self.blobs is None:
            raise StorageError(f"job {name} is in S3 but no overflow bucket is configured")
        data = self.blobs.get(ref)
        if data is None:
            raise StorageError(f"job {name} object {ref} is missing")
        return codec.decode(data)

    def _to_item(self, job: Job) -> dict[str, Any]:
        item: dict[str, Any] = {
            "job_id": {"S": job.job_id},
            "kind": {"S": job.kind},
            "status": {"S": job.status},
            "request_id": {"S": job.request_id},
            "created_at": _n(job.created_at),
            "updated_at": _n(job.updated_at),
            "attempts": _n(job.attempts),
            **self._pack(job.job_id, "request", job.request),
        }
        if job.expires_at is not None:
            item["expires_at"] = _n(math.ceil(job.expires_at))
        if job.owner is not None:
            item["owner"] = {"S": job.owner}
        if job.callback is not None:
            item["callback"] = {"S": json.dumps(job.callback)}
            item["callback_state"] = {"S": str(job.callback.get("status") or "")}
        return item

    def _to_job(self, item: dict[str, Any]) -> Job | None:
        if "kind" not in item:
            return None
        expires_at = _num(item, "expires_at")
        if expires_at is not None and expires_at <= time.time():
            return None
        callback = json.loads(item["callback"]["S"]) if "callback" in item else None
        if callback is not None and _str(item, "callback_state"):
            callback["status"] = _str(item, "callback_state")
        error = _str(item, "error")
        status: Any = _str(item, "status")
        return Job(
            job_id=str(_str(item, "job_id")),
            kind=str(_str(item, "kind")),
            status=status,
            request=self._unpack(item, "request"),
            request_id=str(_str(item, "request_id")),
            created_at=_num(item, "created_at") or 0.0,
            updated_at=_num(item, "updated_at") or 0.0,
            started_at=_num(item, "started_at"),
            finished_at=_num(item, "finished_at"),
            attempts=int(_num(item, "attempts") or 0),
            result=self._unpack(item, "result"),
            error=json.loads(error) if error else None,
            callback=callback,
            expires_at=expires_at,
            owner=_str(item, "owner"),
        )

    # -------------------------------------------------------------- protocol

    def create(self, job: Job, idempotency: Idempotency | None = None) -> tuple[Job, bool]:
        item = self._to_item(job)
        if idempotency is None:
            try:
                self.dynamodb.put_item(
                    TableName=self.table,
                    Item=item,
                    ConditionExpression="attribute_not_exists(job_id)",
                )
            except Exception as exc:
                if _error_code(exc) == "ConditionalCheckFailedException":
                    raise ValueError(f"job {job.job_id} exists") from None
                raise
            return job.copy(), True
        for _ in range(3):
            stamp = time.time()
            marker = {
                "job_id": {"S": IDEMPOTENCY_PREFIX + idempotency.key},
                "target": {"S": job.job_id},
                "fingerprint": {"S": idempotency.fingerprint},
                "expires_at": _n(math.ceil(idempotency.expires_at)),
            }
            try:
                self.dynamodb.transact_write_items(
                    TransactItems=[
                        {
                            "Put": {
                                "TableName": self.table,
                                "Item": marker,
                                "ConditionExpression": "attribute_not_exists(job_id) "
                                "OR expires_at <= :now",
                                "ExpressionAttributeValues": {":now": _n(int(stamp))},
                            }
                        },
                        {
                            "Put": {
                                "TableName": self.table,
                                "Item": item,
                                "ConditionExpression": "attribute_not_exists(job_id)",
                            }
                        },
                    ]
                )
                return job.copy(), True
            except Exception as exc:
                if _error_code(exc) != "TransactionCanceledException":
                    raise
            known = self.dynamodb.get_item(
                TableName=self.table,
                Key={"job_id": {"S": IDEMPOTENCY_PREFIX + idempotency.key}},
                ConsistentRead=True,
            ).get("Item")
            if not known:
                continue  # expired and deleted meanwhile: try again
            existing = self.get(str(_str(known, "target")))
            if existing is None:
                # The key outlived its job: forget the key and try again.
                self.dynamodb.delete_item(
                    TableName=self.table,
                    Key={"job_id": {"S": IDEMPOTENCY_PREFIX + idempotency.key}},
                )
                continue
            if _str(known, "fingerprint") != idempotency.fingerprint:
                raise IdempotencyConflictError(existing.job_id)
            return existing, False
        raise StorageError("could not record the idempotency key (contention)")

    def get(self, job_id: str) -> Job | None:
        item = self.dynamodb.get_item(
            TableName=self.table, Key={"job_id": {"S": job_id}}, ConsistentRead=True
        ).get("Item")
        return self._to_job(item) if item else None

    def _update(self, job_id: str, **kwargs: Any) -> dict[str, Any] | None:
        try:
            answer = self.dynamodb.update_item(
                TableName=self.table, Key={"job_id": {"S": job_id}}, **kwargs
            )
        except Exception as exc:
            if _error_code(exc) == "ConditionalCheckFailedException":
                return None
            raise
        attributes: dict[str, Any] = answer.get("Attributes") or {}
        return attributes

    def start(self, job_id: str) -> Job | None:
        stamp = time.time()
        item = self._update(
            job_id,
            UpdateExpression="SET #s = :running, #a = #a + :one, "
            "started_at = :now, updated_at = :now",
            ConditionExpression="attribute_exists(#k) AND #s IN (:queued, :running) "
            "AND (attribute_not_exists(expires_at) OR expires_at > :now)",
            ExpressionAttributeNames={"#s": "status", "#a": "attempts", "#k": "kind"},
            ExpressionAttributeValues={
                ":running": {"S": "running"},
                ":queued": {"S": "queued"},
                ":one": _n(1),
                ":now": _n(stamp),
            },
            ReturnValues="ALL_NEW",
        )
        return self._to_job(item) if item else None

    def finish(
        self,
        job_id: str,
        *,
        status: JobStatus,
        result: dict[str, Any] | None = None,
        error: dict[str, Any] | None = None,
    ) -> bool:
        if status not in TERMINAL:
            raise ValueError(f"not a final status: {status}")
        stamp = time.time()
        values: dict[str, Any] = {
            ":status": {"S": status},
            ":now": _n(stamp),
            ":ok": {"S": "succeeded"},
            ":failed": {"S": "failed"},
            ":pending": {"S": "pending"},
        }
        sets = ["#s = :status", "finished_at = :now", "updated_at = :now"]
        names = {"#s": "status", "#k": "kind"}
        if result is not None:
            ((name, attribute),) = self._pack(job_id, "result", result).items()
            sets.append("#r = :result")
            names["#r"] = name
            values[":result"] = attribute
        if error is not None:
            sets.append("#e = :error")
            names["#e"] = "error"
            values[":error"] = {"S": json.dumps(error)}
        sets.append("callback_state = :pending")
        answer = self._update(
            job_id,
            UpdateExpression="SET " + ", ".join(sets),
            ConditionExpression="attribute_exists(#k) AND NOT (#s IN (:ok, :failed))",
            ExpressionAttributeNames=names,
            ExpressionAttributeValues=values,
            ReturnValues="NONE",
        )
        return answer is not None

    def requeue(self, job_id: str) -> bool:
        answer = self._update(
            job_id,
            UpdateExpression="SET #s = :queued, updated_at = :now",
            ConditionExpression="#s = :running",
            ExpressionAttributeNames={"#s": "status"},
            ExpressionAttributeValues={
                ":queued": {"S": "queued"},
                ":running": {"S": "running"},
                ":now": _n(time.time()),
            },
            ReturnValues="NONE",
        )
        return answer is not None

    def set_callback(self, job_id: str, callback: dict[str, Any]) -> None:
        self._update(
            job_id,
            UpdateExpression="SET #cb = :cb, callback_state = :state",
            ConditionExpression="attribute_exists(#k)",
            ExpressionAttributeNames={"#cb": "callback", "#k": "kind"},
            ExpressionAttributeValues={
                ":cb": {"S": json.dumps(callback)},
                ":state": {"S": str(callback.get("status") or "")},
            },
        )

    def close(self) -> None:
        pass


# ---------------------------------------------------------------------- queue


class SQSQueue:
    """A standard SQS queue. ``max_receives`` must be the ``maxReceiveCount`` of the
    queue's redrive policy (3 in the SAM template): the runner marks a job failed on
    the last delivery SQS makes before the message goes to ``dlq_url``."""

    name = "sqs"

    def __init__(
        self,
        queue_url: str,
        *,
        dlq_url: str | None = None,
        max_receives: int = 3,
        sqs: Any = None,
    ) -> None:
        self.queue_url = queue_url
        self.dlq_url = dlq_url
        self.max_receives = max_receives
        self._sqs = sqs

    @property
    def sqs(self) -> Any:
        if self._sqs is None:
            self._sqs = client("sqs")
        return self._sqs

    def send(self, body: dict[str, Any], *, delay_seconds: float = 0) -> str:
        answer = self.sqs.send_message(
            QueueUrl=self.queue_url,
            MessageBody=json.dumps(body),
            DelaySeconds=min(900, max(0, math.ceil(delay_seconds))),
        )
        return str(answer["MessageId"])

    def receive(
        self,
        *,
        max_messages: int = 1,
        wait_seconds: float = 0,
        visibility_seconds: float | None = None,
    ) -> list[Delivery]:
        kwargs: dict[str, Any] = {
            "QueueUrl": self.queue_url,
            "MaxNumberOfMessages": max(1, min(10, max_messages)),
            "WaitTimeSeconds": max(0, min(20, int(wait_seconds))),
            "MessageSystemAttributeNames": ["ApproximateReceiveCount"],
        }
        if visibility_seconds is not None:
            kwargs["VisibilityTimeout"] = max(0, math.ceil(visibility_seconds))
        messages = self.sqs.receive_message(**kwargs).get("Messages", [])
        return [delivery_from_sqs(m) for m in messages]

    def delete(self, delivery: Delivery) -> None:
        self.sqs.delete_message(QueueUrl=self.queue_url, ReceiptHandle=delivery.receipt)

    def _visibility(self, delivery: Delivery, seconds: float) -> None:
        try:
            self.sqs.change_message_visibility(
                QueueUrl=self.queue_url,
                ReceiptHandle=delivery.receipt,
                VisibilityTimeout=min(43_200, max(0, math.ceil(seconds))),
            )
        except Exception as exc:
            # The receipt is stale (the message was received again, or deleted).
            if _error_code(exc) not in ("ReceiptHandleIsInvalid", "MessageNotInflight"):
                raise

    def release(self, delivery: Delivery, *, delay_seconds: float = 0) -> None:
        self._visibility(delivery, delay_seconds)

    def extend(self, delivery: Delivery, *, visibility_seconds: float) -> None:
        self._visibility(delivery, visibility_seconds)

    def dead_letters(self) -> list[dict[str, Any]]:
        if not self.dlq_url:
            return []
        seen: dict[str, dict[str, Any]] = {}
        for _ in range(5):
            messages = self.sqs.receive_message(
                QueueUrl=self.dlq_url, MaxNumberOfMessages=10, VisibilityTimeout=0
            ).get("Messages", [])
            if not messages:
                break
            for message in messages:
                seen[message["MessageId"]] = delivery_from_sqs(message).body
        return list(seen.values())

    def close(self) -> None:
        pass


def delivery_from_sqs(message: dict[str, Any]) -> Delivery:
    """A :class:`Delivery` from an SQS message (``ReceiveMessage`` or a Lambda event
    record, whose keys start in lower case)."""
    body = message.get("Body", message.get("body", ""))
    attributes = message.get("Attributes") or message.get("attributes") or {}
    try:
        parsed = json.loads(body)
    except ValueError:
        parsed = None
    if not isinstance(parsed, dict):
        parsed = {"type": "invalid", "raw": str(body)[:200]}
    return Delivery(
        message_id=str(message.get("MessageId", message.get("messageId", uuid.uuid4()))),
        body=parsed,
        receipt=str(message.get("ReceiptHandle", message.get("receiptHandle", ""))),
        receive_count=int(attributes.get("ApproximateReceiveCount", 1)),
    )


# ---------------------------------------------------------------------- resources


def create_cache_table(name: str, *, dynamodb: Any = None) -> None:
    """Create the cache table (pk ``key``, TTL ``expires_at``), on-demand billing."""
    _create_table(dynamodb or client("dynamodb"), name, "key")


def create_jobs_table(name: str, *, dynamodb: Any = None) -> None:
    """Create the jobs table (pk ``job_id``, TTL ``expires_at``), on-demand billing."""
    _create_table(dynamodb or client("dynamodb"), name, "job_id")


def _create_table(dynamodb: Any, name: str, key: str) -> None:
    dynamodb.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": key, "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": key, "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    dynamodb.get_waiter("table_exists").wait(TableName=name)
    dynamodb.update_time_to_live(
        TableName=name,
        TimeToLiveSpecification={"Enabled": True, "AttributeName": "expires_at"},
    )


def create_queue_with_dlq(
    name: str, *, max_receives: int = 3, visibility_seconds: int = 60, sqs: Any = None
) -> tuple[str, str]:
    """Create a standard queue and its dead-letter queue (redrive after
    ``max_receives`` receives); returns ``(queue_url, dlq_url)``."""
    sqs = sqs or client("sqs")
    dlq_url = sqs.create_queue(QueueName=f"{name}-dlq")["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    redrive = {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": str(max_receives)}
    queue_url = sqs.create_queue(
        QueueName=name,
        Attributes={
            "RedrivePolicy": json.dumps(redrive),
            "VisibilityTimeout": str(visibility_seconds),
        },
    )["QueueUrl"]
    return str(queue_url), str(dlq_url)
