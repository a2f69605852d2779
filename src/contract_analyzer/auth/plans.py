"""Usage plans: how many requests a user may make, and whether AI analysis is included.

A plan has a per-minute and a per-day request limit and an ``ai`` flag. Every API key
and every JWT subject is bound to exactly one plan. The built-in table (below) is used
unless ``PLANS`` (``CONTRACT_ANALYZER_PLANS``) gives one as JSON::

    PLANS='{"free": {"requests_per_minute": 10, "requests_per_day": 500, "ai": false},
            "pro":  {"requests_per_minute": 120, "requests_per_day": 20000, "ai": true}}'

This module imports pydantic only: ``config.py`` uses :class:`PlanConfig`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

if TYPE_CHECKING:
    from contract_analyzer.config import Settings

PLAN_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,31}$")
"""Plan names: lower-case letters, digits, ``_`` and ``-``, at most 32 characters."""


class PlanConfig(BaseModel):
    """One plan as written in the ``PLANS`` setting."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    requests_per_minute: int = Field(ge=1, le=1_000_000)
    requests_per_day: int = Field(ge=1, le=1_000_000_000)
    ai: bool = False


@dataclass(frozen=True)
class Plan:
    """A usage plan, resolved from the configuration."""

    name: str
    requests_per_minute: int
    requests_per_day: int
    ai: bool

    def describe(self) -> str:
        ai = "AI on" if self.ai else "AI off"
        return f"{self.requests_per_minute:,}/minute, {self.requests_per_day:,}/day, {ai}"


BUILTIN_PLANS: dict[str, PlanConfig] = {
    "free": PlanConfig(requests_per_minute=10, requests_per_day=500, ai=False),
    "pro": PlanConfig(requests_per_minute=120, requests_per_day=20_000, ai=True),
}
"""The plans used when ``PLANS`` is not set."""


def build_plans(configs: dict[str, PlanConfig]) -> dict[str, Plan]:
    """Plans by name from their configuration (the built-in table when empty)."""
    source = configs or BUILTIN_PLANS
    return {
        name: Plan(name, cfg.requests_per_minute, cfg.requests_per_day, cfg.ai)
        for name, cfg in source.items()
    }


def plans_from_settings(settings: Settings) -> dict[str, Plan]:
    """The configured plans."""
    return build_plans(settings.plans)
