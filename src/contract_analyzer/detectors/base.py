"""The detector framework: metadata checked at definition, automatic registration.

A detector is a class in ``detectors/<category>/<id>.py``::

    class TxOrigin(Detector):
        id = "tx_origin"
        title = "Authorization through tx.origin"
        swc = "SWC-115"
        severity = Severity.HIGH
        confidence = Confidence.HIGH
        types = SECURITY
        description = "..."
        recommendation = "..."

        def detect(self, ctx: Context) -> Iterator[Issue]:
            ...
            yield self.issue(node, "specific explanation")

Detectors are pure: IR in, issues out. The engine turns issues into findings, applies
suppression comments, deduplicates, sorts and scores.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, ClassVar

from contract_analyzer.ir.declarations import Callable, Contract

if TYPE_CHECKING:
    from contract_analyzer.detectors.context import Context
    from contract_analyzer.ir.nodes import Node


class Severity(StrEnum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"

    @property
    def rank(self) -> int:
        """0 for critical ... 4 for info (lower is worse)."""
        return _SEVERITY_ORDER.index(self.value)

    def lowered(self, steps: int = 1) -> Severity:
        return Severity(_SEVERITY_ORDER[min(self.rank + steps, len(_SEVERITY_ORDER) - 1)])


class Confidence(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    def lowered(self) -> Confidence:
        return Confidence.LOW if self is not Confidence.HIGH else Confidence.MEDIUM


_SEVERITY_ORDER = ("critical", "high", "medium", "low", "info")
SEVERITY_ORDER = _SEVERITY_ORDER

ANALYSIS_TYPES = ("security", "gas", "quality")
SECURITY = frozenset({"security"})
GAS = frozenset({"gas"})
QUALITY = frozenset({"quality"})

_ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_SWC_RE = re.compile(r"^SWC-1(0\d|1\d|2\d|3[0-6])$")
_REGISTRY: dict[str, type[Detector]] = {}


@dataclass(eq=False)
class Issue:
    """What a detector reports; the engine turns it into a :class:`Finding`.

    ``message`` explains this occurrence (the detector's generic description is used
    when it is empty). ``severity``/``confidence`` override the detector's defaults.
    """

    detector: type[Detector]
    line: int
    end_line: int
    column: int
    message: str
    severity: Severity
    confidence: Confidence
    contract: str | None
    function: str | None
    gas_saved: int | None = None


class DetectorDefinitionError(TypeError):
    """A detector class declares invalid metadata."""


class Detector:
    """Base class of every detector (see the module docstring)."""

    id: ClassVar[str]
    title: ClassVar[str]
    swc: ClassVar[str | None] = None
    severity: ClassVar[Severity]
    confidence: ClassVar[Confidence]
    types: ClassVar[frozenset[str]] = SECURITY
    description: ClassVar[str]
    recommendation: ClassVar[str]
    references: ClassVar[tuple[str, ...]] = ()
    category: ClassVar[str] = ""
    abstract: ClassVar[bool] = False

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if cls.__dict__.get("abstract", False):
            return
        _check_metadata(cls)
        if not cls.category:
            parts = cls.__module__.split(".")
            cls.category = parts[-2] if len(parts) >= 3 and parts[-3] == "detectors" else "other"
        existing = _REGISTRY.get(cls.id)
        if existing is not None and existing.__qualname__ != cls.__qualname__:
            raise DetectorDefinitionError(
                f"detector id {cls.id!r} is used by both {existing.__module__} and {cls.__module__}"
            )
        _REGISTRY[cls.id] = cls

    def detect(self, ctx: Context) -> Iterator[Issue]:
        raise NotImplementedError

    # ------------------------------------------------------------------ helpers
    def issue(
        self,
        node: Node | None,
        message: str = "",
        *,
        line: int | None = None,
        end_line: int | None = None,
        severity: Severity | None = None,
        confidence: Confidence | None = None,
        contract: Contract | None = None,
        function: Callable | None = None,
        gas_saved: int | None = None,
    ) -> Issue:
        """An issue located at ``node`` (or at an explicit ``line``)."""
        if line is None:
            line = node.line if node is not None else 1
            end_line = end_line or (node.end_line if node is not None else line)
            column = node.col if node is not None else 1
        else:
            end_line = end_line or line
            column = 1
        if function is not None and contract is None:
            contract = function.contract
        return Issue(
            detector=type(self),
            line=line,
            end_line=max(end_line, line),
            column=column,
            message=message,
            severity=severity or self.severity,
            confidence=confidence or self.confidence,
            contract=contract.name if contract is not None else None,
            function=_function_label(function),
            gas_saved=gas_saved,
        )

    @classmethod
    def metadata(cls) -> dict[str, object]:
        return {
            "id": cls.id,
            "title": cls.title,
            "category": cls.category,
            "swc_id": cls.swc,
            "severity": cls.severity.value,
            "confidence": cls.confidence.value,
            "analysis_types": sorted(cls.types),
            "description": cls.description,
            "recommendation": cls.recommendation,
            "references": list(cls.references),
        }


def _function_label(function: Callable | None) -> str | None:
    if function is None:
        return None
    kind = getattr(function, "kind", "function")
    if kind in ("constructor", "fallback", "receive"):
        return kind
    return function.name


def _check_metadata(cls: type[Detector]) -> None:
    name = f"{cls.__module__}.{cls.__qualname__}"
    for attr in ("id", "title", "severity", "confidence", "description", "recommendation"):
        if not hasattr(cls, attr):
            raise DetectorDefinitionError(f"{name} must define {attr!r}")
    if not isinstance(cls.id, str) or not _ID_RE.match(cls.id):
        raise DetectorDefinitionError(f"{name}: id {cls.id!r} must be snake_case")
    if not cls.title.strip() or not cls.description.strip() or not cls.recommendation.strip():
        raise DetectorDefinitionError(
            f"{name}: title, description and recommendation must not be empty"
        )
    if cls.swc is not None and not _SWC_RE.match(cls.swc):
        raise DetectorDefinitionError(f"{name}: swc {cls.swc!r} is not SWC-100 ... SWC-136")
    if not isinstance(cls.severity, Severity):
        raise DetectorDefinitionError(f"{name}: severity must be a Severity")
    if not isinstance(cls.confidence, Confidence):
        raise DetectorDefinitionError(f"{name}: confidence must be a Confidence")
    if not cls.types or not set(cls.types) <= set(ANALYSIS_TYPES):
        raise DetectorDefinitionError(
            f"{name}: types must be a non-empty subset of {ANALYSIS_TYPES}"
        )
    if "detect" not in cls.__dict__:
        raise DetectorDefinitionError(f"{name} must implement detect()")


def registered() -> dict[str, type[Detector]]:
    """Detectors defined so far, by id (see :func:`registry.all_detectors`)."""
    return dict(_REGISTRY)
