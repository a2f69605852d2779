"""Errors raised by the analyzer.

::

    AnalyzerError                 base of everything we raise on purpose
    ├── InputError                the input cannot be analysed (empty, binary, too large,
    │                             not UTF-8, unreadable): a 4xx / CLI exit 2
    ├── UsageError                bad arguments or options: a 4xx / CLI exit 2
    ├── ConfigError               bad configuration
    └── AnalysisTimeoutError      the analysis ran over its time limit and was stopped:
                                  HTTP 504

The HTTP status of each lives in one table, ``contract_analyzer.service.errors``.
"""

from __future__ import annotations


class AnalyzerError(Exception):
    """Base class of the analyzer's own errors. ``code`` is a stable machine name."""

    code = "analyzer_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InputError(AnalyzerError):
    """The source cannot be analysed at all."""

    code = "invalid_input"


class UsageError(AnalyzerError):
    """The caller asked for something that does not exist (an unknown analysis type)."""

    code = "invalid_usage"


class ConfigError(AnalyzerError):
    code = "invalid_config"


class AnalysisTimeoutError(AnalyzerError):
    """The analysis did not finish within its time limit; its worker was stopped."""

    code = "analysis_timeout"
