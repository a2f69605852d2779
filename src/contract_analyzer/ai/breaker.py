"""A small circuit breaker per provider.

After :attr:`CircuitBreaker.threshold` failures within :attr:`window` seconds the
breaker opens and the chain skips the provider; :attr:`cooldown` seconds after the last
failure one trial call is let through (half-open). A success closes the breaker and
forgets the failures. Thread-safe; the clock is injectable for tests.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

Clock = Callable[[], float]


class CircuitBreaker:
    def __init__(
        self,
        *,
        threshold: int = 3,
        window: float = 60.0,
        cooldown: float = 30.0,
        clock: Clock = time.monotonic,
    ) -> None:
        self.threshold = threshold
        self.window = window
        self.cooldown = cooldown
        self._clock = clock
        self._failures: deque[float] = deque()
        self._lock = threading.Lock()

    def _prune(self, now: float) -> None:
        while self._failures and now - self._failures[0] > self.window:
            self._failures.popleft()

    def allow(self) -> bool:
        """May the provider be called now?"""
        with self._lock:
            now = self._clock()
            self._prune(now)
            if len(self._failures) < self.threshold:
                return True
            return now - self._failures[-1] >= self.cooldown

    @property
    def state(self) -> str:
        """``closed`` (calls go through) or ``open`` (the provider is skipped)."""
        return "closed" if self.allow() else "open"

    def recent_failures(self) -> int:
        with self._lock:
            self._prune(self._clock())
            return len(self._failures)

    def record_failure(self) -> None:
        with self._lock:
            now = self._clock()
            self._prune(now)
            self._failures.append(now)

    def record_success(self) -> None:
        with self._lock:
            self._failures.clear()


class BreakerBoard:
    """One breaker per provider key, created on first use."""

    def __init__(self, factory: Callable[[], CircuitBreaker] = CircuitBreaker) -> None:
        self._factory = factory
        self._breakers: dict[str, CircuitBreaker] = {}
        self._lock = threading.Lock()

    def get(self, key: str) -> CircuitBreaker:
        with self._lock:
            breaker = self._breakers.get(key)
            if breaker is None:
                breaker = self._breakers[key] = self._factory()
            return breaker
