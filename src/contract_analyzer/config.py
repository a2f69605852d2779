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

from pydantic import AliasChoices, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from contract_analyzer.auth.plans import BUILTIN_PLANS, PLAN_NAME, PlanConfig

ENV_PREFIX = "CONTRACT_ANALYZER_"
LogLevel = Literal["debug", "info", "warning", "error", "critical"]


def _on_lambda() -> bool:
    return bool(os.environ.get("AWS_LAMBDA_FUNCTION_NAME"))


def env_aliases(name: str) -> AliasChoices:
    """``CONTRACT_ANALYZER_<NAME>`` or plain ``<NAME>``, for settings an issue names
    without the prefix (``AUTH_MODE``, ``PLANS``...). The prefixed name wins."""
    return AliasChoices(f"{ENV_PREFIX}{name.upper()}", name.upper())


def _default_data_dir() -> Path:
    # Lambda's file system is read-only except /tmp.
    return Path("/tmp/contract-analyzer") if _on_lambda() else Path(".data")


class Settings(BaseSettings):
    """The service's configuration (environment variables ``CONTRACT_ANALYZER_*``)."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        extra="ignore",
        validate_default=True,
        frozen=True,
        validate_by_name=True,
        validate_by_alias=True,
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
    # -- authentication, plans, rate limits (contract_analyzer.auth) ---------------
    auth_mode: Literal["none", "api_key", "jwt", "api_key_or_jwt"] = Field(
        default="none",
        validation_alias=env_aliases("auth_mode"),
        description="Who may call the API: `none` (anyone: the default, for `serve` on "
        "localhost), `api_key` (`X-API-Key` header), `jwt` (`Authorization: Bearer`) or "
        "`api_key_or_jwt` (either). `/health` and `/docs` are always open. See "
        "docs/api.md, Authentication.",
    )
    api_keys_table: str = Field(
        default="",
        validation_alias=env_aliases("api_keys_table"),
        description="DynamoDB table of API keys (partition key `key_id`). Empty: keys "
        "live in `keys.sqlite3` under the data directory.",
    )
    rate_limit_table: str = Field(
        default="",
        validation_alias=env_aliases("rate_limit_table"),
        description="DynamoDB table of rate-limit counters (partition key `pk`, TTL "
        "attribute `expires_at`), shared by every process. Empty: token buckets in each "
        "server process.",
    )
    api_gateway_usage_plans: dict[str, str] = Field(
        default_factory=dict,
        validation_alias=env_aliases("api_gateway_usage_plans"),
        description='API Gateway usage plan of each plan, as JSON (`{"free": "<usage plan '
        'id>", ...}`): `keys create` then also registers the key in API Gateway under its '
        "plan's usage plan, and `keys revoke` disables it there. Empty: keys live in the "
        "store only.",
    )
    plans: dict[str, PlanConfig] = Field(
        default_factory=dict,
        validation_alias=env_aliases("plans"),
        description='Usage plans, as JSON: `{"NAME": {"requests_per_minute": N, '
        '"requests_per_day": N, "ai": BOOL}, ...}`. Empty: the built-in `free` (10/minute, '
        "500/day, no AI) and `pro` (120/minute, 20,000/day, AI).",
    )
    default_plan: str = Field(
        default="free",
        description="Plan of API keys created without `--plan`, and of JWT subjects whose "
        "token names no configured plan.",
    )
    jwt_jwks_url: str = Field(
        default="",
        validation_alias=env_aliases("jwt_jwks_url"),
        description="URL of the identity provider's JSON Web Key Set (RS256/ES256 keys), "
        "https only. Needs `JWT_ISSUER`.",
    )
    jwt_hs256_secret: SecretStr | None = Field(
        default=None,
        validation_alias=env_aliases("jwt_hs256_secret"),
        description="Shared secret of HS256 tokens, at least 32 bytes (on AWS, keep it "
        "in Secrets Manager and set `JWT_HS256_SECRET_ARN` instead).",
    )
    jwt_hs256_secret_arn: str = Field(
        default="",
        validation_alias=env_aliases("jwt_hs256_secret_arn"),
        description="On AWS: ARN of the Secrets Manager secret holding the HS256 secret "
        "(its value, or JSON with it under `jwt_hs256_secret` or `secret`), read at the "
        "first HS256 token and cached for the life of the process (never logged). If it "
        "cannot be read or is shorter than 32 bytes, HS256 tokens are refused (401) and a "
        "log line says why. `JWT_HS256_SECRET`, when set, wins.",
    )
    jwt_issuer: str = Field(
        default="",
        validation_alias=env_aliases("jwt_issuer"),
        description="Expected `iss` of tokens (checked when set; required with a JWKS URL).",
    )
    jwt_audience: str = Field(
        default="",
        validation_alias=env_aliases("jwt_audience"),
        description="Expected `aud` of tokens (checked when set).",
    )
    jwt_leeway_seconds: float = Field(
        default=30.0,
        ge=0,
        le=300,
        description="Clock skew tolerated when checking `exp`, `nbf` and `iat`, in seconds.",
    )
    jwt_plan_claim: str = Field(
        default="plan",
        min_length=1,
        description="Token claim that names the subject's plan; without it (or with a plan "
        "that is not configured) the subject gets the default plan.",
    )
    jwks_cache_seconds: float = Field(
        default=600.0,
        gt=0,
        description="How long fetched JWKS keys are used before they are fetched again "
        "(a token with an unknown `kid` triggers a fetch sooner).",
    )
    jwks_timeout_seconds: float = Field(
        default=3.0, gt=0, le=30, description="Time limit of one JWKS fetch, in seconds."
    )
    # -- result cache and asynchronous jobs (contract_analyzer.storage) -------------
    cache_backend: Literal["sqlite", "dynamodb", "memory", "off"] = Field(
        default="sqlite",
        validation_alias=env_aliases("cache_backend"),
        description="Where analysis results (and AI answers) are cached: `sqlite` "
        "(`cache.sqlite3` under the data directory), `dynamodb` (`CACHE_TABLE`), `memory` "
        "(this process only) or `off`. See docs/api.md, Result cache.",
    )
    cache_ttl_seconds: int = Field(
        default=604_800,
        ge=0,
        validation_alias=env_aliases("cache_ttl_seconds"),
        description="How long a cached result is served, in seconds (default 7 days); `0` "
        "keeps results until the store drops them.",
    )
    cache_table: str = Field(
        default="contract-analyzer-cache",
        validation_alias=env_aliases("cache_table"),
        description="DynamoDB table of the cache (partition key `key`, TTL attribute "
        "`expires_at`), with `CACHE_BACKEND=dynamodb`.",
    )
    cache_bucket: str = Field(
        default="",
        validation_alias=env_aliases("cache_bucket"),
        description="S3 bucket for cache values and job requests or results too large for "
        "DynamoDB's 400 KB item limit even compressed (under `cache/` and `jobs/`). Empty: "
        "such results are not cached (a log line says so).",
    )
    jobs_backend: Literal["local", "aws"] = Field(
        default="local",
        validation_alias=env_aliases("jobs_backend"),
        description="Queue and state of `/jobs`: `local` (jobs in `jobs.sqlite3` under the "
        "data directory, run by the server's own job runners) or `aws` (SQS "
        "`JOBS_QUEUE_URL`, DynamoDB `JOBS_TABLE`, run by the worker Lambda or "
        "`contract-analyzer worker`).",
    )
    jobs_table: str = Field(
        default="contract-analyzer-jobs",
        validation_alias=env_aliases("jobs_table"),
        description="DynamoDB table of job state (partition key `job_id`, TTL attribute "
        "`expires_at`), with `JOBS_BACKEND=aws`.",
    )
    jobs_queue_url: str = Field(
        default="",
        validation_alias=env_aliases("jobs_queue_url"),
        description="URL of the SQS standard queue of jobs, with `JOBS_BACKEND=aws`.",
    )
    jobs_dlq_url: str = Field(
        default="",
        validation_alias=env_aliases("jobs_dlq_url"),
        description="URL of its dead-letter queue (where a message goes after "
        "`JOBS_MAX_RECEIVES` receives); used for diagnostics.",
    )
    jobs_max_receives: int = Field(
        default=3,
        validation_alias=env_aliases("jobs_max_receives"),
        ge=1,
        le=1000,
        description="Deliveries of a job message before it goes to the dead-letter queue; "
        "on the last one a failing job is marked `failed`. Must equal the SQS redrive "
        "policy's `maxReceiveCount`.",
    )
    jobs_concurrency: int = Field(
        default=0,
        validation_alias=env_aliases("jobs_concurrency"),
        ge=0,
        le=64,
        description="Jobs one process runs at once (the server's job runners with "
        "`JOBS_BACKEND=local`, and `contract-analyzer worker`); `0`: half the analysis "
        "workers, at least one, so `/analyze` keeps workers free.",
    )
    jobs_visibility_seconds: int = Field(
        default=120,
        validation_alias=env_aliases("jobs_visibility_seconds"),
        ge=5,
        le=43_200,
        description="How long a received job message stays invisible to other runners; "
        "a runner extends it while the job runs, so it only matters when a runner dies.",
    )
    jobs_ttl_seconds: int = Field(
        default=604_800,
        validation_alias=env_aliases("jobs_ttl_seconds"),
        ge=3600,
        description="How long a job and its result can be read, in seconds (default 7 days).",
    )
    callback_secret: SecretStr | None = Field(
        default=None,
        validation_alias=env_aliases("callback_secret"),
        description="Key of the HMAC-SHA256 signature of job callbacks "
        "(`X-Contract-Analyzer-Signature`). Without it (or `CALLBACK_SECRET_ARN`), jobs "
        "with a `callback_url` are refused (422).",
    )
    callback_secret_arn: str = Field(
        default="",
        validation_alias=env_aliases("callback_secret_arn"),
        description="On AWS: ARN of the Secrets Manager secret holding the callback key "
        "(its value, or JSON with it under `callback_secret`), read at the first callback "
        "and cached. `CALLBACK_SECRET`, when set, wins.",
    )
    callback_max_attempts: int = Field(
        default=6,
        validation_alias=env_aliases("callback_max_attempts"),
        ge=1,
        le=20,
        description="Deliveries of a callback before it is given up (retried with "
        "exponential backoff on a network error, a timeout, a 5xx, 408 or 429).",
    )
    callback_retry_seconds: float = Field(
        default=10.0,
        validation_alias=env_aliases("callback_retry_seconds"),
        ge=0,
        le=900,
        description="Delay before the first callback retry; each next one waits three "
        "times longer (at most 15 minutes).",
    )
    callback_timeout_seconds: float = Field(
        default=10.0,
        gt=0,
        le=60,
        validation_alias=env_aliases("callback_timeout_seconds"),
        description="Time limit of one callback delivery.",
    )
    callback_allow_private_networks: bool = Field(
        default=False,
        validation_alias=env_aliases("callback_allow_private_networks"),
        description="Allow callback URLs on loopback, private, link-local and other "
        "non-public addresses (checked after DNS resolution, at delivery). Off: such "
        "callbacks are refused, so a job cannot be used to reach internal services.",
    )
    # -- serverless deployment (contract_analyzer.aws, infra/template.yaml) ----------
    environment: Literal["dev", "staging", "prod"] = Field(
        default="dev",
        validation_alias=env_aliases("environment"),
        description="Deployment stage the Lambda functions run in; a dimension of every "
        "metric and a field of every log line and notification.",
    )
    reports_bucket: str = Field(
        default="",
        validation_alias=env_aliases("reports_bucket"),
        description="S3 bucket of the S3 trigger (contracts uploaded under `contracts/`, "
        "reports written under `reports/`) and of the daily summaries "
        "(`summaries/daily/`).",
    )
    notify_topic_arn: str = Field(
        default="",
        validation_alias=env_aliases("notify_topic_arn"),
        description="SNS topic that gets a message for every analysis with a critical or "
        "high finding, and the daily report. Empty: no notification.",
    )
    stats_table: str = Field(
        default="",
        validation_alias=env_aliases("stats_table"),
        description="DynamoDB table of daily analysis counters (partition key `day`, TTL "
        "attribute `expires_at`) that the daily report reads. Empty: not counted.",
    )
    event_bus_name: str = Field(
        default="",
        validation_alias=env_aliases("event_bus_name"),
        description="EventBridge bus that gets an `Analysis Completed` event per contract "
        "analysed by the S3 trigger. Empty: no event.",
    )
    s3_analysis_type: Literal["security", "gas", "quality", "full"] = Field(
        default="security",
        description="Analysis type of contracts uploaded to the reports bucket.",
    )
    tracing: bool = Field(
        default=False,
        description="Trace the Lambda handlers with AWS X-Ray (Powertools Tracer; needs "
        "the `aws` extra). The template sets it with its `EnableTracing` parameter.",
    )
    openai_api_key_secret_arn: str = Field(
        default="",
        validation_alias=env_aliases("openai_api_key_secret_arn"),
        description="ARN of the Secrets Manager secret holding the OpenAI key, read at "
        "the first AI request and cached (never logged). `OPENAI_API_KEY`, when set, wins.",
    )
    gemini_api_key_secret_arn: str = Field(
        default="",
        validation_alias=env_aliases("gemini_api_key_secret_arn"),
        description="ARN of the Secrets Manager secret holding the Gemini key (as for "
        "OpenAI). `GEMINI_API_KEY` / `GOOGLE_API_KEY`, when set, win.",
    )

    @field_validator("cors_allow_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("jwt_hs256_secret", mode="before")
    @classmethod
    def _empty_secret_is_unset(cls, value: Any) -> Any:
        # An empty variable (a template's "no value") must not win over JWT_HS256_SECRET_ARN.
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("plans")
    @classmethod
    def _plan_names(cls, value: dict[str, PlanConfig]) -> dict[str, PlanConfig]:
        for name in value:
            if not PLAN_NAME.match(name):
                raise ValueError(
                    f"plan name {name!r}: use 1-32 lower-case letters, digits, '_' or '-'"
                )
        return value

    @model_validator(mode="after")
    def _auth_complete(self) -> Settings:
        plans = self.plans or BUILTIN_PLANS
        if self.default_plan not in plans:
            raise ValueError(
                f"default_plan {self.default_plan!r} is not one of the plans "
                f"({', '.join(sorted(plans))})"
            )
        if self.auth_mode in ("jwt", "api_key_or_jwt") and not (
            self.jwt_jwks_url or self.jwt_hs256_secret or self.jwt_hs256_secret_arn
        ):
            raise ValueError(
                f"AUTH_MODE={self.auth_mode} needs JWT_JWKS_URL or JWT_HS256_SECRET "
                "(or JWT_HS256_SECRET_ARN)"
            )
        if (
            self.jwt_hs256_secret is not None
            and len(self.jwt_hs256_secret.get_secret_value().encode()) < 32
        ):
            raise ValueError("JWT_HS256_SECRET must be at least 32 bytes")
        if self.jwt_jwks_url and not self.jwt_issuer:
            raise ValueError("JWT_JWKS_URL needs JWT_ISSUER (the issuer the tokens must name)")
        return self

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
            default = {
                "data_dir": "`.data`",
                "cors_allow_origins": "(empty)",
                "plans": "(built-in)",
                "api_gateway_usage_plans": "(empty)",
            }.get(name, "")
        elif field.default in (None, ""):
            default = "(empty)"
        else:
            value = field.default
            default = f"`{str(value).lower() if isinstance(value, bool) else value}`"
        description = (field.description or "").replace("|", "\\|")
        variable = f"`{ENV_PREFIX}{name.upper()}`"
        if isinstance(field.validation_alias, AliasChoices):
            variable += "".join(
                f" or `{choice}`"
                for choice in field.validation_alias.choices
                if isinstance(choice, str) and choice != f"{ENV_PREFIX}{name.upper()}"
            )
        rows.append(f"| {variable} | {default} | {description} |")
    return "\n".join(rows) + "\n"


if __name__ == "__main__":  # pragma: no cover
    sys.stdout.write(settings_table())
