"""The auth settings: names with and without the prefix, plans from JSON, validation."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from contract_analyzer.auth.plans import Plan, plans_from_settings
from contract_analyzer.config import Settings


def test_defaults_are_open_with_the_builtin_plans() -> None:
    settings = Settings()
    assert settings.auth_mode == "none"
    assert plans_from_settings(settings) == {
        "free": Plan("free", 10, 500, False),
        "pro": Plan("pro", 120, 20_000, True),
    }
    assert settings.default_plan == "free"
    assert "x" * 40 not in repr(Settings(jwt_hs256_secret="x" * 40))


def test_the_issue_names_and_the_prefixed_names(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUTH_MODE", "api_key")
    monkeypatch.setenv("API_KEYS_TABLE", "keys")
    monkeypatch.setenv("RATE_LIMIT_TABLE", "limits")
    monkeypatch.setenv("JWT_ISSUER", "https://issuer.test/")
    settings = Settings()
    assert (settings.auth_mode, settings.api_keys_table, settings.rate_limit_table) == (
        "api_key",
        "keys",
        "limits",
    )
    assert settings.jwt_issuer == "https://issuer.test/"
    monkeypatch.setenv("CONTRACT_ANALYZER_AUTH_MODE", "jwt")
    monkeypatch.setenv("CONTRACT_ANALYZER_JWT_HS256_SECRET", "s" * 32)
    assert Settings().auth_mode == "jwt"  # the prefixed name wins


def test_plans_from_json(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(
        "PLANS",
        '{"hobby": {"requests_per_minute": 5, "requests_per_day": 50},'
        ' "team": {"requests_per_minute": 60, "requests_per_day": 5000, "ai": true}}',
    )
    monkeypatch.setenv("CONTRACT_ANALYZER_DEFAULT_PLAN", "hobby")
    plans = plans_from_settings(Settings())
    assert plans == {"hobby": Plan("hobby", 5, 50, False), "team": Plan("team", 60, 5000, True)}


@pytest.mark.parametrize(
    ("plans", "message"),
    [
        ('{"free": {"requests_per_minute": 0, "requests_per_day": 5}}', "greater than or equal"),
        ('{"free": {"requests_per_minute": 5}}', "requests_per_day"),
        ('{"free": {"requests_per_minute": 5, "requests_per_day": 5, "x": 1}}', "Extra inputs"),
        ('{"Free Plan": {"requests_per_minute": 5, "requests_per_day": 5}}', "plan name"),
        ('{"pro": {"requests_per_minute": 5, "requests_per_day": 5}}', "default_plan 'free'"),
        ("not json", "PLANS|plans"),
    ],
)
def test_bad_plans_are_refused(monkeypatch: pytest.MonkeyPatch, plans: str, message: str) -> None:
    monkeypatch.setenv("PLANS", plans)
    with pytest.raises((ValidationError, ValueError), match=message):
        Settings()


def test_unknown_auth_mode_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUTH_MODE", "basic")
    with pytest.raises(ValidationError, match=r"auth_mode|AUTH_MODE"):
        Settings()
