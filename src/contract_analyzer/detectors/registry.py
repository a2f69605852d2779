"""Discovery of detectors: every module under ``contract_analyzer.detectors.<category>``."""

from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache

from contract_analyzer.detectors import base
from contract_analyzer.errors import UsageError

ANALYSIS_CHOICES = ("security", "gas", "quality", "full")


@lru_cache(maxsize=1)
def all_detectors() -> tuple[type[base.Detector], ...]:
    """Every detector class, sorted by category then id."""
    package = importlib.import_module("contract_analyzer.detectors")
    for info in pkgutil.walk_packages(package.__path__, prefix="contract_analyzer.detectors."):
        importlib.import_module(info.name)
    return tuple(sorted(base.registered().values(), key=lambda d: (d.category, d.id)))


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
