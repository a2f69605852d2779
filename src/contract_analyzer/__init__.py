"""Compiler-free static security analyzer for Solidity.

::

    from contract_analyzer import analyze
    report = analyze(source)            # one source string
    report.findings, report.score

See :mod:`contract_analyzer.engine` for the folder and multi-file variants.

The engine is imported on first use of ``analyze`` & co., not with the package, so that
entry points which never analyse in-process (the Lambda API handler, whose cold start
matters) do not pay for the parser and the detectors.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from contract_analyzer.errors import AnalyzerError, InputError, UsageError
from contract_analyzer.report.models import Finding, ProjectReport, Report
from contract_analyzer.version import __version__

if TYPE_CHECKING:
    from contract_analyzer.engine import analyze, analyze_paths, analyze_sources

_ENGINE_NAMES = frozenset({"analyze", "analyze_paths", "analyze_sources"})


def __getattr__(name: str) -> Any:
    if name in _ENGINE_NAMES:
        from contract_analyzer import engine

        return getattr(engine, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "AnalyzerError",
    "Finding",
    "InputError",
    "ProjectReport",
    "Report",
    "UsageError",
    "__version__",
    "analyze",
    "analyze_paths",
    "analyze_sources",
]
