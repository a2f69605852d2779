"""Request and response bodies of the HTTP API (the wire contract of DESIGN.md).

Field names and meanings are a contract with clients: add fields, never rename or drop
one. The JSON Schemas FastAPI derives from these classes are what ``/openapi.json``
publishes and what the schema-driven tests check answers against.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema, field_validator

from contract_analyzer.sourcetext import is_blank

AnalysisType = Literal["security", "gas", "quality", "full"]
Severity = Literal["critical", "high", "medium", "low", "info"]
OutputFormat = Literal["json", "sarif", "markdown"]

MAX_BATCH_FILES = 200
SUCCESS_MESSAGE = "Contract analysis completed successfully"
WARNING_MESSAGE = "Contract analysis completed with warnings; see analysis_report.warnings"

VULNERABLE_BANK = (
    "pragma solidity ^0.8.0;\n\ncontract VulnerableBank {\n"
    "    mapping(address => uint256) public balances;\n    \n"
    "    function withdraw(uint256 amount) public {\n"
    '        (bool success, ) = msg.sender.call{value: amount}("");\n'
    "        balances[msg.sender] -= amount;\n    }\n}"
)


_SOURCE_PATTERN = r"^[^\x00]*[^\s\x00\x1c-\x1f\x85][^\x00]*$"
r"""JSON Schema statement of :func:`_check_source`: no NUL, not only whitespace. ECMAScript's
``\s`` lacks U+001C-U+001F and U+0085, which Python counts as whitespace, so they are
listed; :func:`contract_analyzer.sourcetext.is_blank` adds U+FEFF, which ``\s`` has."""


def _check_source(value: str) -> str:
    if is_blank(value):
        raise ValueError("the source is empty (only whitespace)")
    if "\x00" in value:
        raise ValueError("the source contains NUL characters; it is not Solidity text")
    return value


# ---------------------------------------------------------------------- requests


class AnalyzeRequest(BaseModel):
    """One Solidity source to analyse."""

    model_config = ConfigDict(
        extra="ignore",
        json_schema_extra={
            "examples": [
                {
                    "contract_code": VULNERABLE_BANK,
                    "contract_name": "VulnerableBank",
                    "analysis_type": "security",
                }
            ]
        },
    )

    contract_code: str = Field(
        ...,
        min_length=1,
        strict=True,
        description="Solidity source (any version 0.4-0.8, a whole file or a fragment).",
        json_schema_extra={"pattern": _SOURCE_PATTERN},
    )
    contract_name: str | None = Field(
        None,
        max_length=256,
        strict=True,
        description="The contract the caller cares about; default: the last contract "
        "declared in the source. Findings always cover the whole source.",
    )
    analysis_type: AnalysisType = Field(
        "security",
        description="`security` (vulnerabilities), `gas`, `quality` or `full` (all).",
    )
    use_ai: bool | None = Field(
        None,
        strict=True,
        description="Ask the configured AI provider (OpenAI, then Gemini) to review the "
        "static findings and add what it finds; this sends the source to the provider. "
        "Default: on when a provider is configured. The static findings always stay.",
    )

    @field_validator("contract_code")
    @classmethod
    def _source(cls, value: str) -> str:
        return _check_source(value)

    @field_validator("contract_name")
    @classmethod
    def _name(cls, value: str | None) -> str | None:
        if value is None:
            return None
        return value.strip() or None


MAX_FILE_NAME = 512
_FILES_SCHEMA: dict[str, Any] = {
    "type": "object",
    "minProperties": 1,
    "maxProperties": MAX_BATCH_FILES,
    "propertyNames": {
        "type": "string",
        "minLength": 1,
        "maxLength": MAX_FILE_NAME,
        "pattern": _SOURCE_PATTERN,
    },
    "additionalProperties": {"type": "string", "minLength": 1, "pattern": _SOURCE_PATTERN},
    "description": f"1 to {MAX_BATCH_FILES} files: path (e.g. `contracts/Token.sol`) → "
    "source. Imports between them resolve by path relative to the importing file, then by "
    "file name.",
}


class BatchRequest(BaseModel):
    """Several files of one project, analysed together: ``files`` maps each file's path
    to its source (names are distinct by construction, as in ``analyze_sources``)."""

    model_config = ConfigDict(
        extra="ignore",
        json_schema_extra={
            "examples": [
                {
                    "files": {
                        "contracts/Base.sol": "pragma solidity ^0.8.0;\ncontract Base {\n"
                        "    address internal owner;\n}\n",
                        "contracts/Bank.sol": 'pragma solidity ^0.8.0;\nimport "./Base.sol";\n'
                        "contract Bank is Base {\n"
                        "    mapping(address => uint256) public balances;\n"
                        "    function withdraw(uint256 amount) public {\n"
                        '        (bool ok, ) = msg.sender.call{value: amount}("");\n'
                        "        balances[msg.sender] -= amount;\n    }\n}\n",
                    },
                    "analysis_type": "security",
                }
            ]
        },
    )

    files: Annotated[dict[str, str], WithJsonSchema(_FILES_SCHEMA)] = Field(
        ..., min_length=1, max_length=MAX_BATCH_FILES, strict=True
    )
    analysis_type: AnalysisType = "security"
    use_ai: bool | None = Field(
        None,
        strict=True,
        description="As for /analyze: the AI provider reviews each file (sends the sources).",
    )

    @field_validator("files")
    @classmethod
    def _sources(cls, value: dict[str, str]) -> dict[str, str]:
        for name, content in value.items():
            if "\x00" in name or not name.strip() or len(name) > MAX_FILE_NAME:
                raise ValueError(
                    f"file name {name[:80]!r} is blank, too long or contains NUL characters"
                )
            try:
                _check_source(content)
            except ValueError as exc:
                raise ValueError(f"file {name!r}: {exc}") from None
        return value


# ---------------------------------------------------------------------- responses


class Vulnerability(BaseModel):
    """One finding. More fields may be added; clients should ignore unknown ones."""

    model_config = ConfigDict(extra="allow")

    type: str = Field(..., description="Detector id, e.g. `reentrancy`.")
    severity: Severity
    line_number: int = Field(..., ge=1)
    description: str
    recommendation: str
    swc_id: str | None = Field(None, description="SWC registry id, e.g. `SWC-107`.")
    title: str
    confidence: Literal["high", "medium", "low"]
    end_line: int
    column: int
    file: str = Field(..., description="The file the finding is in (batch: its name).")
    contract: str | None
    function: str | None
    code_snippet: str
    category: str
    fingerprint: str = Field(..., description="Stable id of the finding across edits.")
    source: str = Field("static", description="`static` for the analyzer's own findings.")


class Summary(BaseModel):
    critical: int
    high: int
    medium: int
    low: int
    info: int
    total: int


class SyntaxProblem(BaseModel):
    line: int
    column: int
    message: str


class AnalysisReport(BaseModel):
    model_config = ConfigDict(extra="allow")

    vulnerabilities: list[Vulnerability]
    overall_security_score: int = Field(
        ...,
        ge=0,
        le=100,
        description="100 − 50·critical − 25·high − 10·medium − 3·low over security "
        "findings, floored at 0.",
    )
    summary: Summary
    service_used: str = Field(..., description="`static`: the compiler-free analyzer.")
    model_used: str = Field(..., description="Engine name and version.")
    processing_time: float = Field(..., description="Seconds spent on the analysis.")
    contracts: list[str] = Field(..., description="Contracts declared in the source.")
    pragma: str | None
    lines: int
    warnings: list[str] = Field(
        ..., description="Problems that did not stop the analysis (unparsable parts...)."
    )
    syntax_errors: list[SyntaxProblem]


_CACHED_DOC = (
    "`true` when the report was served from the result cache: the same source, options, "
    "engine, detectors and AI chain were analysed before (see docs/api.md, Result cache)."
)
_CACHED_REQUEST_ID_DOC = (
    "On a cache hit, the `request_id` of the request whose analysis is served "
    "(`request_id` is this request's own id); `null` otherwise."
)
_CACHED_AT_DOC = "On a cache hit, when that analysis was made (ISO 8601, UTC); `null` otherwise."


class AnalyzeResponse(BaseModel):
    request_id: str
    contract_name: str | None
    analysis_type: AnalysisType
    analysis_report: AnalysisReport
    timestamp: str = Field(..., description="ISO 8601, UTC, `Z` suffix.")
    message: str
    cached: bool = Field(False, description=_CACHED_DOC)
    cached_request_id: str | None = Field(None, description=_CACHED_REQUEST_ID_DOC)
    cached_at: str | None = Field(None, description=_CACHED_AT_DOC)


class BatchFileReport(BaseModel):
    name: str
    contract_name: str | None
    contracts: list[str]
    pragma: str | None
    lines: int
    overall_security_score: int = Field(..., ge=0, le=100)
    summary: Summary
    warnings: list[str]
    syntax_errors: list[SyntaxProblem]


class BatchReport(BaseModel):
    model_config = ConfigDict(extra="allow")

    files: list[BatchFileReport]
    vulnerabilities: list[Vulnerability] = Field(
        ..., description="Every finding of every file; `file` says which."
    )
    overall_security_score: int = Field(..., ge=0, le=100)
    summary: Summary
    service_used: str
    model_used: str
    processing_time: float


class BatchResponse(BaseModel):
    request_id: str
    analysis_type: AnalysisType
    analysis_report: BatchReport
    timestamp: str
    message: str
    cached: bool = Field(False, description=_CACHED_DOC)
    cached_request_id: str | None = Field(None, description=_CACHED_REQUEST_ID_DOC)
    cached_at: str | None = Field(None, description=_CACHED_AT_DOC)


class WorkerStats(BaseModel):
    size: int
    alive: int
    restarts: int


class AIProviderInfo(BaseModel):
    model_config = ConfigDict(extra="allow")

    name: str
    service: str
    model: str
    configured: bool


class HealthResponse(BaseModel):
    status: Literal["ok"]
    service: str
    version: str
    engine: str
    analysis_workers: WorkerStats
    ai_providers: list[AIProviderInfo] = Field(
        ...,
        description="The AI provider chain in order: name, model, whether a key (or a "
        "base URL) is configured, circuit state. Never a key or a URL.",
    )
    timestamp: str


class DetectorInfo(BaseModel):
    model_config = ConfigDict(extra="allow")

    id: str
    title: str
    category: str
    swc_id: str | None
    severity: Severity
    confidence: Literal["high", "medium", "low"]
    analysis_types: list[str]
    description: str
    recommendation: str
    references: list[str]


class DetectorsResponse(BaseModel):
    count: int
    detectors: list[DetectorInfo]


class ErrorBody(BaseModel):
    code: str = Field(..., description="Stable machine name, e.g. `validation_error`.")
    message: str = Field(..., description="One sentence for people.")
    request_id: str


class ErrorResponse(BaseModel):
    """The one shape of every error answer."""

    error: ErrorBody


def error_example(code: str, message: str) -> dict[str, Any]:
    return {
        "error": {
            "code": code,
            "message": message,
            "request_id": "3f6c1f2e-8a1b-4c55-9a43-5b0d2a7e9c10",
        }
    }


def error_doc(description: str, code: str, message: str) -> dict[str, Any]:
    """One entry of a route's ``responses``: the error shape with an example."""
    return {
        "model": ErrorResponse,
        "description": description,
        "content": {"application/json": {"example": error_example(code, message)}},
    }


JSON_BODY_ERRORS: dict[int | str, dict[str, Any]] = {
    413: error_doc(
        "The body is over the size limit",
        "payload_too_large",
        "The request body is larger than the limit of 1,048,576 bytes.",
    ),
    415: error_doc(
        "The body is not sent as JSON",
        "unsupported_media_type",
        "Send the request body as JSON with the header Content-Type: application/json.",
    ),
}
"""What any route with a JSON body can answer before the body is read."""
