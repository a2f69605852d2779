"""Discovery of detectors: every module under ``contract_analyzer.detectors.<category>``."""

from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache

from contract_analyzer.detectors import base
from contract_analyzer.errors import UsageError

ANALYSIS_CHOICES = ("security", "gas", "quality", "full")


LOAD_ERRORS: list[str] = []
"""Detector modules that failed to import (each is a warning on every report)."""


@lru_cache(maxsize=1)
def all_detectors() -> tuple[type[base.Detector], ...]:
    """Every detector class, sorted by category then id.

    A module that fails to import is recorded in :data:`LOAD_ERRORS` and skipped, so one
    broken detector cannot take the whole analyzer down (the test suite fails on it).
    """
    package = importlib.import_module("contract_analyzer.detectors")
    for info in pkgutil.walk_packages(
        package.__path__, prefix="contract_analyzer.detectors.", onerror=_record_error
    ):
        try:
            importlib.import_module(info.name)
        except Exception as exc:  # a broken module must not break every scan
            _record_error(info.name, exc)
    return tuple(sorted(base.registered().values(), key=lambda d: (d.category, d.id)))


def _record_error(name: str, exc: BaseException | None = None) -> None:
    reason = f"{type(exc).__name__}: {exc}" if exc is not None else "cannot be imported"
    LOAD_ERRORS.append(f"detector module {name} failed to load and was skipped ({reason})")


def detectors_for(analysis_type: str) -> tuple[type[base.Detector], ...]:
    """Detectors run for an analysis type (``full`` runs all)."""
    if analysis_type not in ANALYSIS_CHOICES:
        raise UsageError(
            f"unknown analysis type {analysis_type!r}; choose one of {', '.join(ANALYSIS_CHOICES)}"
        )
    detectors = all_detectors()
    if analysis_type == "full":
        return detectors
    return tuple(d for d in detectors if analysis_type in d.types)


def detector_by_id(detector_id: str) -> type[base.Detector] | None:
    for detector in all_detectors():
        if detector.id == detector_id:
            return detector
    return None
