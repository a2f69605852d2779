"""Report model and renderers."""

from contract_analyzer.report.models import FileError, Finding, ProjectReport, Report

__all__ = ["FileError", "Finding", "ProjectReport", "Report"]
