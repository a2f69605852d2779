"""Request and response bodies of ``/jobs`` (asynchronous analyses).

A job request is the body of ``/analyze`` (``contract_code``...) or of
``/analyze/batch`` (``files``...): the presence of ``files`` selects a batch. Either one
can add ``callback_url``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from contract_analyzer.service.callbacks import CALLBACK_URL_PATTERN
from contract_analyzer.service.models import (
    _FILES_SCHEMA,
    _SOURCE_PATTERN,
    VULNERABLE_BANK,
    AnalysisType,
    AnalyzeResponse,
    BatchResponse,
)

JobState = Literal["queued", "running", "succeeded", "failed"]

_JOB_FILES_SCHEMA: dict[str, Any] = {
    **_FILES_SCHEMA,
    "description": "A batch: the files of one project (as for `/analyze/batch`). "
    "Send `contract_code` or `files`, not both.",
}


class JobRequest(BaseModel):
    """``/analyze``'s body (``contract_code``) or ``/analyze/batch``'s (``files``), plus
    an optional ``callback_url``."""

    model_config = ConfigDict(
        extra="ignore",
        json_schema_extra={
            "examples": [
                {
                    "contract_code": VULNERABLE_BANK,
                    "contract_name": "VulnerableBank",
                    "analysis_type": "security",
                    "callback_url": "https://ci.example.com/hooks/contract-analyzer",
                }
            ],
            "oneOf": [{"required": ["contract_code"]}, {"required": ["files"]}],
        },
    )

    contract_code: Annotated[
        str | None,
        WithJsonSchema(
            {
                "type": "string",
                "minLength": 1,
                "pattern": _SOURCE_PATTERN,
                "description": "One Solidity source, as for `/analyze`. Send "
                "`contract_code` or `files`.",
            }
        ),
    ] = Field(None, min_length=1, strict=True)
    contract_name: str | None = Field(
        None,
        max_length=256,
        strict=True,
        description="With `contract_code`: the contract the caller cares about.",
    )
    files: Annotated[dict[str, str] | None, WithJsonSchema(_JOB_FILES_SCHEMA)] = Field(
        None, strict=True
    )
    analysis_type: AnalysisType = Field(
        "security",
        description="`security` (vulnerabilities), `gas`, `quality` or `full` (all).",
    )
    use_ai: bool | None = Field(
        None, strict=True, description="As for `/analyze` (sends the source to the provider)."
    )
    callback_url: str | None = Field(
        None,
        min_length=1,
        max_length=2048,
        strict=True,
        json_schema_extra={"pattern": CALLBACK_URL_PATTERN},
        description="Optional http(s) URL that receives the job's status document (the "
        "body of `GET /jobs/{job_id}`) by POST when the job is done, signed with HMAC-SHA256 "
        "(header `X-Contract-Analyzer-Signature`; see docs/api.md). It must lead to a "
        "public address (checked at delivery).",
    )

    @field_validator("contract_code", "files", mode="before")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        if value is None:
            raise ValueError("must not be null (leave it out instead)")
        return value

    @model_validator(mode="after")
    def _one_kind(self) -> JobRequest:
        given = {"contract_code", "files"} & self.model_fields_set
        if not given:
            raise ValueError("send `contract_code` (one source) or `files` (a batch)")
        if len(given) == 2:
            raise ValueError("send `contract_code` or `files`, not both")
        return self

    @property
    def kind(self) -> Literal["analyze", "batch"]:
        return "batch" if self.files is not None else "analyze"

    def analysis_body(self) -> dict[str, Any]:
        """The body of the equivalent ``/analyze`` or ``/analyze/batch`` request."""
        if self.files is not None:
            return {"files": self.files, "analysis_type": self.analysis_type, "use_ai": self.use_ai}
        return {
            "contract_code": self.contract_code,
            "contract_name": self.contract_name,
            "analysis_type": self.analysis_type,
            "use_ai": self.use_ai,
        }


class JobAccepted(BaseModel):
    job_id: str = Field(..., description="The job's id (a UUID).")
    status: JobState = Field(
        ..., description="`queued` for a new job; the current status for a replay."
    )
    status_url: str = Field(..., description="Where to poll: `GET /jobs/{job_id}`.")


class JobError(BaseModel):
    code: str = Field(
        ...,
        description="`invalid_input`, `analysis_timeout`, `job_failed` (failed on every "
        "delivery), `result_too_large`...",
    )
    message: str


class JobCallback(BaseModel):
    url: str
    status: Literal["waiting", "pending", "delivered", "failed"] = Field(
        ...,
        description="`waiting` (the job is not done), `pending` (being delivered or "
        "retried), `delivered` (a 2xx answer) or `failed` (given up).",
    )
    attempts: int
    last_error: str | None
    delivered_at: str | None


class JobStatusResponse(BaseModel):
    job_id: str
    status: JobState
    kind: Literal["analyze", "batch"] = Field(
        ..., description="`analyze` (one source) or `batch` (`files`)."
    )
    request_id: str = Field(..., description="Request id of the `POST /jobs` that made it.")
    status_url: str
    created_at: str | None
    updated_at: str | None
    started_at: str | None = Field(..., description="When the last attempt started.")
    finished_at: str | None
    attempts: int = Field(..., description="Times a runner started the job.")
    result: AnalyzeResponse | BatchResponse | None = Field(
        ...,
        description="When `succeeded`: exactly what `/analyze` (or `/analyze/batch`) "
        "would have answered, cache fields included.",
    )
    error: JobError | None = Field(..., description="When `failed`: why.")
    callback: JobCallback | None
