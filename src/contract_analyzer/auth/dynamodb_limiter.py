"""Rate limits shared by every process: atomic counters in DynamoDB (``RATE_LIMIT_TABLE``).

Each user has one counter item per minute and one per UTC day (fixed windows)::

    pk = "sub:alice#m#29016480"     n = 7    expires_at = <end of window + 1 h>
    pk = "sub:alice#d#20150"        n = 312  expires_at = <end of day + 1 h>

A request increments the minute counter with a *conditional* ``UpdateItem``
(``ADD n :one`` if ``n < limit``), then the day counter the same way. DynamoDB applies
each update atomically, so concurrent requests from any number of Lambda environments
never lose a count, and exactly ``limit`` of them pass in a window. When the day
counter refuses, the minute increment is given back, so a refused request costs
nothing. ``expires_at`` is the table's TTL attribute: old windows delete themselves.

Table: partition key ``pk`` (string), TTL on ``expires_at``, on-demand capacity.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from typing import Any

from contract_analyzer.auth.aws import LazyDynamoDB, error_code
from contract_analyzer.auth.limiter import DAY, MINUTE, Decision, Window
from contract_analyzer.auth.plans import Plan

log = logging.getLogger("contract_analyzer.auth")

_GRACE = 3600  # keep a window's item an hour past its end (TTL deletion is lazy anyway)


class DynamoDBRateLimiter:
    """:class:`~contract_analyzer.auth.limiter.RateLimiter` on DynamoDB atomic counters.

    ``clock`` is wall-clock seconds (tests pass a fake). When DynamoDB cannot be
    reached the request is allowed and the error logged (``fail_open``, the default):
    the API stays up, and API Gateway's stage throttling still bounds the traffic.
    """

    def __init__(
        self,
        table: str,
        dynamodb: LazyDynamoDB | None = None,
        clock: Callable[[], float] = time.time,
        fail_open: bool = True,
    ) -> None:
        self.table = table
        self._dynamodb = dynamodb or LazyDynamoDB()
        self._clock = clock
        self.fail_open = fail_open

    def hit(self, user: str, plan: Plan) -> Decision:
        from botocore.exceptions import BotoCoreError, ClientError

        now = self._clock()
        minute_start = math.floor(now / MINUTE) * int(MINUTE)
        day_start = math.floor(now / DAY) * int(DAY)
        minute_end, day_end = minute_start + int(MINUTE), day_start + int(DAY)
        minute_key = f"{user}#m#{minute_start // int(MINUTE)}"
        day_key = f"{user}#d#{day_start // int(DAY)}"
        try:
            minute_count = self._increment(minute_key, plan.requests_per_minute, minute_end)
            if minute_count is None:
                return self._refused("minute", plan.requests_per_minute, minute_end - now)
            day_count = self._increment(day_key, plan.requests_per_day, day_end)
            if day_count is None:
                self._give_back(minute_key)
                return self._refused("day", plan.requests_per_day, day_end - now)
        except (BotoCoreError, ClientError) as exc:
            if not self.fail_open:
                raise
            log.error(
                "rate limit table %s unreachable (%s); request allowed",
                self.table,
                error_code(exc) or type(exc).__name__,
            )
            return Decision(True, "minute", plan.requests_per_minute, 0, 0)
        minute_left = plan.requests_per_minute - minute_count
        day_left = plan.requests_per_day - day_count
        if day_left < minute_left:
            return Decision(True, "day", plan.requests_per_day, day_left, _ceil(day_end - now))
        return Decision(
            True, "minute", plan.requests_per_minute, minute_left, _ceil(minute_end - now)
        )

    def _increment(self, pk: str, limit: int, window_end: int) -> int | None:
        """The counter after adding one, or None when it was already at ``limit``."""
        from botocore.exceptions import ClientError

        try:
            answer: dict[str, Any] = self._dynamodb.client.update_item(
                TableName=self.table,
                Key={"pk": {"S": pk}},
                UpdateExpression="SET #e = if_not_exists(#e, :expires) ADD #n :one",
                ConditionExpression="attribute_not_exists(#n) OR #n < :limit",
                ExpressionAttributeNames={"#n": "n", "#e": "expires_at"},
                ExpressionAttributeValues={
                    ":one": {"N": "1"},
                    ":limit": {"N": str(limit)},
                    ":expires": {"N": str(window_end + _GRACE)},
                },
                ReturnValues="UPDATED_NEW",
            )
        except ClientError as exc:
            if error_code(exc) == "ConditionalCheckFailedException":
                return None
            raise
        return int(answer["Attributes"]["n"]["N"])

    def _give_back(self, pk: str) -> None:
        """Undo one increment (best effort: a failure only makes the window stricter)."""
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            self._dynamodb.client.update_item(
                TableName=self.table,
                Key={"pk": {"S": pk}},
                UpdateExpression="ADD #n :minus",
                ConditionExpression="attribute_exists(#n)",
                ExpressionAttributeNames={"#n": "n"},
                ExpressionAttributeValues={":minus": {"N": "-1"}},
            )
        except (BotoCoreError, ClientError) as exc:
            log.warning(
                "rate limit table %s: could not give back a count (%s)",
                self.table,
                error_code(exc) or type(exc).__name__,
            )

    @staticmethod
    def _refused(window: Window, limit: int, seconds_left: float) -> Decision:
        wait = max(1, _ceil(seconds_left))
        return Decision(False, window, limit, 0, wait, retry_after=wait)


def _ceil(seconds: float) -> int:
    return max(0, math.ceil(seconds - 1e-9))
