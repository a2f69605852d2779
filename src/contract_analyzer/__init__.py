"""Compiler-free static security analyzer for Solidity.

::

    from contract_analyzer import analyze
    report = analyze(source)            # one source string
    report.findings, report.score

See :mod:`contract_analyzer.engine` for the folder and multi-file variants.
"""

from contract_analyzer.engine import analyze, analyze_paths, analyze_sources
from contract_analyzer.errors import AnalyzerError, InputError, UsageError
from contract_analyzer.report.models import Finding, ProjectReport, Report
from contract_analyzer.version import __version__

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
