"""Settings: environment variables, validation, and the generated documentation."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from contract_analyzer.config import Settings, settings_table

ROOT = Path(__file__).resolve().parents[2]


def test_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CONTRACT_ANALYZER_DATA_DIR", raising=False)  # set by conftest.py
    settings = Settings()
    assert settings.host == "127.0.0.1"
    assert settings.port == 8000
    assert settings.max_body_bytes == 1024 * 1024
    assert settings.analysis_timeout_seconds == 10
    assert settings.cors_allow_origins == []
    assert settings.data_dir == Path(".data")
    assert settings.analysis_worker_count() >= 1


def test_environment_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONTRACT_ANALYZER_PORT", "9001")
    monkeypatch.setenv(
        "CONTRACT_ANALYZER_CORS_ALLOW_ORIGINS", "https://a.example, https://b.example"
    )
    monkeypatch.setenv("CONTRACT_ANALYZER_LOG_LEVEL", "DEBUG")
    monkeypatch.setenv("CONTRACT_ANALYZER_DATA_DIR", "/tmp/elsewhere")
    monkeypatch.setenv("CONTRACT_ANALYZER_ANALYSIS_WORKERS", "3")
    settings = Settings()
    assert settings.port == 9001
    assert settings.cors_allow_origins == ["https://a.example", "https://b.example"]
    assert settings.log_level == "debug"
    assert settings.data_dir == Path("/tmp/elsewhere")
    assert settings.analysis_worker_count() == 3


def test_lambda_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_NAME", "contract-analyzer-api")
    settings = Settings()
    assert settings.analysis_worker_count() == 1
    assert str(settings.data_dir).startswith("/tmp/")


def test_bad_values_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONTRACT_ANALYZER_ANALYSIS_TIMEOUT_SECONDS", "-1")
    with pytest.raises(ValidationError, match="analysis_timeout_seconds"):
        Settings()


def test_configuration_doc_is_the_generated_table() -> None:
    text = (ROOT / "docs" / "configuration.md").read_text()
    match = re.search(r"<!-- settings:start -->\n(.*)<!-- settings:end -->", text, re.S)
    assert match, "docs/configuration.md lost its settings markers"
    assert match.group(1) == settings_table(), (
        "docs/configuration.md is stale: regenerate the table with "
        "`python -m contract_analyzer.config`"
    )


def test_readme_points_to_the_configuration_and_starts_the_server() -> None:
    readme = (ROOT / "README.md").read_text()
    assert "docs/configuration.md" in readme
    assert (
        "python3 -m venv .venv && . .venv/bin/activate && pip install . && "
        "contract-analyzer analyze examples/ && contract-analyzer serve"
    ) in readme


def test_readme_curl_is_the_issue_curl() -> None:
    from service_helpers import CURL_BODY

    readme = (ROOT / "README.md").read_text()
    match = re.search(r"curl -X POST http://localhost:8000/analyze .*? -d '(.*?)'\n", readme)
    assert match, "README lost its curl example"
    assert match.group(1) == CURL_BODY
