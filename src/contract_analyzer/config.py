"""Settings of the service, all in one place.

Every setting is read from an environment variable ``CONTRACT_ANALYZER_<NAME>`` (for
example ``CONTRACT_ANALYZER_PORT=9000``); the table in ``docs/configuration.md`` is
generated from this class (``python -m contract_analyzer.config``) and a test keeps the
two in step. Command-line options, where they exist, win over the environment.

Later issues add their settings here (AI providers, cache, authentication); nothing in
this module imports an SDK.
"""

from __future__ import annotations

import os
import sys
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

ENV_PREFIX = "CONTRACT_ANALYZER_"
LogLevel = Literal["debug", "info", "warning", "error", "critical"]


def _on_lambda() -> bool:
    return bool(os.environ.get("AWS_LAMBDA_FUNCTION_NAME"))


def _default_data_dir() -> Path:
    # Lambda's file system is read-only except /tmp.
    return Path("/tmp/contract-analyzer") if _on_lambda() else Path(".data")


class Settings(BaseSettings):
    """The service's configuration (environment variables ``CONTRACT_ANALYZER_*``)."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX, extra="ignore", validate_default=True, frozen=True
    )

    host: str = Field(
        default="127.0.0.1",
        description="Address `contract-analyzer serve` listens on (`0.0.0.0` for every "
        "interface). `serve --host` overrides it.",
    )
    port: int = Field(
        default=8000,
        ge=0,
        le=65535,
        description="TCP port of `serve`. `serve --port` overrides it.",
    )
    workers: int = Field(
        default=1,
        ge=1,
        le=64,
        description="uvicorn worker processes of `serve`. Each has its own analysis "
        "workers; one is right for most machines (see bench/README.md).",
    )
    data_dir: Path = Field(
        default_factory=_default_data_dir,
        description="Folder for local state (cache and job store of later issues). "
        "Relative paths are relative to the working directory. Default `.data`, on AWS "
        "Lambda `/tmp/contract-analyzer`. Created only when something is stored.",
    )
    max_body_bytes: int = Field(
        default=1_048_576,
        ge=1024,
        description="Largest request body accepted, in bytes (default 1 MiB); larger "
        "bodies get 413 before they are read in full. API Gateway's own limit is 10 MB.",
    )
    analysis_timeout_seconds: float = Field(
        default=10.0,
        gt=0,
        description="Time limit of one analysis (single or batch). Over it the worker "
        "process doing the analysis is killed and replaced, and the request gets 504.",
    )
    analysis_workers: int = Field(
        default=0,
        ge=0,
        le=64,
        description="Analysis worker processes per server process; `0` means one per "
        "CPU core (one on AWS Lambda, which serves one request at a time).",
    )
    cors_allow_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Origins allowed to call the API from a browser, comma separated "
        "(`https://a.example,https://b.example`, or `*`). Empty (the default): same "
        "origin only, no CORS headers are sent.",
    )
    log_level: LogLevel = Field(default="info", description="Log level of the service's loggers.")
    access_log: bool = Field(
        default=True, description="`serve` logs one line per request (uvicorn's access log)."
    )
    api_base_path: str = Field(
        default="/",
        description="Path prefix that API Gateway adds in front of the routes (a custom "
        "domain's base path mapping); Mangum strips it. Lambda only.",
    )

    @field_validator("cors_allow_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _lower_level(cls, value: Any) -> Any:
        return value.lower() if isinstance(value, str) else value

    def analysis_worker_count(self) -> int:
        """The number of analysis worker processes to run."""
        if self.analysis_workers:
            return self.analysis_workers
        if _on_lambda():
            return 1
        return max(1, os.cpu_count() or 1)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings from the environment, read once."""
    return Settings()


def settings_table() -> str:
    """The Markdown table of every setting (the body of ``docs/configuration.md``)."""
    rows = ["| Environment variable | Default | Description |", "|---|---|---|"]
    for name, field in Settings.model_fields.items():
        if field.default_factory is not None:
            default = {"data_dir": "`.data`", "cors_allow_origins": "(empty)"}.get(name, "")
        else:
            value = field.default
            default = f"`{str(value).lower() if isinstance(value, bool) else value}`"
        description = (field.description or "").replace("|", "\\|")
        rows.append(f"| `{ENV_PREFIX}{name.upper()}` | {default} | {description} |")
    return "\n".join(rows) + "\n"


if __name__ == "__main__":  # pragma: no cover
    sys.stdout.write(settings_table())
