"""Per-user rate limits: the decision, the limiter protocol, the in-process limiter.

Each plan has two limits, per minute and per day. :class:`TokenBucketLimiter` keeps two
token buckets per user in this process: the minute bucket holds
``requests_per_minute`` tokens and refills at that many per 60 s, the day bucket holds
``requests_per_day`` and refills at that many per 24 h. A request takes one token from
each, or from neither when either is empty. One lock guards every bucket: a decision is
a few arithmetic operations, so threads never wait long, and two threads can never
both spend the last token (no lost updates).

On AWS, where each Lambda environment is a separate process,
:class:`~contract_analyzer.auth.dynamodb_limiter.DynamoDBRateLimiter` counts in
DynamoDB instead (``RATE_LIMIT_TABLE``).
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, Protocol

from contract_analyzer.auth.plans import Plan

if TYPE_CHECKING:
    from contract_analyzer.config import Settings

Window = Literal["minute", "day"]
MINUTE = 60.0
DAY = 86_400.0


@dataclass(frozen=True)
class Decision:
    """The answer for one request, and what the ``X-RateLimit-*`` headers say.

    ``limit``/``remaining``/``reset_seconds`` describe the *binding* window (the one
    with fewer requests left; the minute on a tie). ``retry_after`` is set when the
    request is refused: whole seconds until it would be allowed.
    """

    allowed: bool
    window: Window
    limit: int
    remaining: int
    reset_seconds: int
    retry_after: int | None = None

    def headers(self) -> dict[str, str]:
        headers = {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(self.remaining),
            "X-RateLimit-Reset": str(self.reset_seconds),
        }
        if self.retry_after is not None:
            headers["Retry-After"] = str(self.retry_after)
        return headers


class RateLimiter(Protocol):
    """Counts one request of ``user`` under ``plan`` and says whether it may go on."""

    def hit(self, user: str, plan: Plan) -> Decision: ...


class _Bucket:
    __slots__ = ("stamp", "tokens")

    def __init__(self, tokens: float, stamp: float) -> None:
        self.tokens = tokens
        self.stamp = stamp

    def refill(self, capacity: float, rate: float, now: float) -> None:
        elapsed = max(0.0, now - self.stamp)
        self.tokens = min(capacity, self.tokens + elapsed * rate)
        self.stamp = now


def _ceil(seconds: float) -> int:
    return max(0, math.ceil(seconds - 1e-9))


class TokenBucketLimiter:
    """Two token buckets per user, in this process, safe under threads.

    ``clock`` is monotonic seconds (tests pass a fake). Buckets of users idle long
    enough to be full again are dropped when more than ``max_users`` are held.
    """

    def __init__(
        self, clock: Callable[[], float] = time.monotonic, max_users: int = 100_000
    ) -> None:
        self._clock = clock
        self._max_users = max_users
        self._lock = threading.Lock()
        self._buckets: dict[str, tuple[_Bucket, _Bucket]] = {}

    def hit(self, user: str, plan: Plan) -> Decision:
        per_minute, per_day = float(plan.requests_per_minute), float(plan.requests_per_day)
        minute_rate, day_rate = per_minute / MINUTE, per_day / DAY
        with self._lock:
            now = self._clock()
            pair = self._buckets.get(user)
            if pair is None:
                if len(self._buckets) >= self._max_users:
                    self._evict(now)
                pair = (_Bucket(per_minute, now), _Bucket(per_day, now))
                self._buckets[user] = pair
            minute, day = pair
            minute.refill(per_minute, minute_rate, now)
            day.refill(per_day, day_rate, now)
            allowed = minute.tokens >= 1.0 and day.tokens >= 1.0
            if allowed:
                minute.tokens -= 1.0
                day.tokens -= 1.0
            minute_left, day_left = minute.tokens, day.tokens
        windows = [
            ("minute", plan.requests_per_minute, minute_left, minute_rate),
            ("day", plan.requests_per_day, day_left, day_rate),
        ]
        retry_after: int | None = None
        if not allowed:
            retry_after = max(
                max(1, _ceil((1.0 - left) / rate)) for _, _, left, rate in windows if left < 1.0
            )
        name, limit, left, rate = min(windows, key=lambda w: math.floor(w[2]))
        return Decision(
            allowed=allowed,
            window="minute" if name == "minute" else "day",
            limit=limit,
            remaining=max(0, math.floor(left)),
            reset_seconds=_ceil((limit - left) / rate),
            retry_after=retry_after,
        )

    def _evict(self, now: float) -> None:
        """Drop buckets that would be full by now (their users have been idle)."""
        idle = [
            user
            for user, (minute, day) in self._buckets.items()
            if now - minute.stamp >= MINUTE and now - day.stamp >= DAY
        ]
        for user in idle:
            del self._buckets[user]
        if len(self._buckets) >= self._max_users:  # still full: forget the stalest
            stalest = min(self._buckets, key=lambda u: self._buckets[u][0].stamp)
            del self._buckets[stalest]

    def __len__(self) -> int:
        return len(self._buckets)


def limiter_from_settings(settings: Settings) -> RateLimiter:
    """DynamoDB counters when ``RATE_LIMIT_TABLE`` is set, else in-process buckets."""
    if settings.rate_limit_table:
        from contract_analyzer.auth.dynamodb_limiter import DynamoDBRateLimiter

        return DynamoDBRateLimiter(settings.rate_limit_table)
    return TokenBucketLimiter()
