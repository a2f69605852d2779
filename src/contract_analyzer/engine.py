"""The engine: parse, build the IR, run detectors, turn issues into a report.

Every entry point (CLI, HTTP API, Lambda handlers, AI layer) calls one of:

* :func:`analyze` - one source string;
* :func:`analyze_sources` - several named sources that import each other;
* :func:`analyze_paths` - files and folders on disk, in parallel.

Detectors are pure; suppression comments (``// analyzer-disable-next-line <id>``),
deduplication, fingerprints, sorting and scoring happen here, once.
"""

from __future__ import annotations

import fnmatch
import hashlib
import os
import re
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from contract_analyzer.detectors.base import Detector, Issue
from contract_analyzer.detectors.context import Context
from contract_analyzer.detectors.registry import LOAD_ERRORS, detectors_for
from contract_analyzer.errors import InputError
from contract_analyzer.ir.declarations import SourceUnit
from contract_analyzer.ir.project import Project
from contract_analyzer.loader import DiskLoader, MemoryLoader, find_project_root
from contract_analyzer.parsing import parse_source
from contract_analyzer.parsing.source import check_text
from contract_analyzer.report.models import FileError, Finding, ProjectReport, Report
from contract_analyzer.version import ENGINE_NAME, __version__

ProgressCallback = Callable[[int, int], None]

DEFAULT_EXCLUDES = ("**/node_modules/**", "**/.git/**")
"""Skipped below a scanned folder (a file named on the command line is always analysed)."""
TEST_EXCLUDES = (
    "**/*.t.sol",
    "**/*.s.sol",
    "**/test/**",
    "**/tests/**",
    "**/script/**",
    "**/mocks/**",
    "**/mock/**",
)
"""Foundry/Hardhat tests, deployment scripts and mocks: deliberately permissive code that is
not deployed, skipped in folder scans unless ``include_tests`` is set."""
_PARALLEL_MIN_FILES = 8
_SUPPRESS_RE = re.compile(r"analyzer-disable-(next-line|line)\b([^\n*]*)")


# ---------------------------------------------------------------------- public API


def analyze(
    source: str,
    *,
    name: str | None = None,
    analysis_type: str = "security",
    path: str = "<input>",
) -> Report:
    """Analyse one Solidity source.

    ``name`` is the contract the caller cares about (by default the last contract
    declared); findings cover the whole source. Raises :class:`InputError` for empty
    or oversized input and :class:`UsageError` for an unknown ``analysis_type``.
    """
    started = time.perf_counter()
    detectors = detectors_for(analysis_type)
    check_text(source, name=path)
    unit = parse_source(source, path)
    project = Project([unit]).build()
    report = _report_for(unit, project, detectors, analysis_type)
    report.contract_name = _contract_name(unit, name, report)
    report.processing_time = time.perf_counter() - started
    return report


def analyze_sources(sources: dict[str, str], *, analysis_type: str = "security") -> ProjectReport:
    """Analyse several named sources together (imports between them are resolved)."""
    started = time.perf_counter()
    detectors = detectors_for(analysis_type)
    if not sources:
        raise InputError("no sources given")
    for source_name, text in sources.items():
        check_text(text, name=source_name)
    units = MemoryLoader(sources).link()
    project = Project(units).build()
    result = ProjectReport(
        analysis_type=analysis_type, engine=ENGINE_NAME, engine_version=__version__
    )
    for unit in units:
        unit_started = time.perf_counter()
        report = _report_for(unit, project, detectors, analysis_type)
        report.contract_name = _contract_name(unit, None, report)
        report.processing_time = time.perf_counter() - unit_started
        result.reports.append(report)
    result.processing_time = time.perf_counter() - started
    return result


def collect_files(
    paths: Sequence[Path], exclude: Sequence[str] = (), *, include_tests: bool = False
) -> tuple[list[Path], list[FileError]]:
    """``.sol`` files under ``paths`` (recursive), minus excluded globs, plus errors for
    paths that do not exist or are not Solidity files."""
    files: list[Path] = []
    errors: list[FileError] = []
    seen: set[Path] = set()
    for path in paths:
        if not path.exists():
            errors.append(FileError(str(path), f"{path}: no such file or directory"))
            continue
        if path.is_dir():
            # dependencies (and, by default, tests) are skipped below a scanned folder,
            # not when named
            skipped = DEFAULT_EXCLUDES if include_tests else (*DEFAULT_EXCLUDES, *TEST_EXCLUDES)
            candidates = [
                c
                for c in sorted(path.rglob("*.sol"))
                if not _excluded(c.relative_to(path), skipped)
            ]
        elif path.suffix != ".sol":
            errors.append(FileError(str(path), f"{path}: not a .sol file"))
            continue
        else:
            candidates = [path]
        for candidate in candidates:
            if not candidate.is_file() or _excluded(candidate, exclude):
                continue
            key = candidate.resolve()
            if key not in seen:
                seen.add(key)
                files.append(candidate)
    return files, errors


def analyze_paths(
    paths: Sequence[Path],
    *,
    analysis_type: str = "security",
    exclude: Sequence[str] = (),
    jobs: int | None = None,
    progress: ProgressCallback | None = None,
    include_tests: bool = False,
) -> ProjectReport:
    """Analyse files and folders on disk; several files run in parallel on ``jobs``
    processes (default: all cores)."""
    started = time.perf_counter()
    detectors_for(analysis_type)  # validate early
    files, errors = collect_files(paths, exclude, include_tests=include_tests)
    result = ProjectReport(
        analysis_type=analysis_type, engine=ENGINE_NAME, engine_version=__version__
    )
    result.errors.extend(errors)
    groups: dict[Path, list[Path]] = {}
    for file in files:
        groups.setdefault(find_project_root(file), []).append(file)
    workers = max(1, jobs if jobs is not None else (os.cpu_count() or 1))
    total = len(files)
    done = 0
    chunks: list[tuple[Path, list[Path]]] = []
    for root, group in groups.items():
        size = (
            max(1, -(-len(group) // workers)) if len(group) >= _PARALLEL_MIN_FILES else len(group)
        )
        for i in range(0, len(group), size):
            chunks.append((root, group[i : i + size]))
    if workers > 1 and total >= _PARALLEL_MIN_FILES and len(chunks) > 1:
        with ProcessPoolExecutor(max_workers=min(workers, len(chunks))) as pool:
            futures = [
                pool.submit(_analyze_chunk, root, chunk, analysis_type) for root, chunk in chunks
            ]
            for future in as_completed(futures):
                reports, chunk_errors = future.result()
                result.reports.extend(reports)
                result.errors.extend(chunk_errors)
                done += len(reports) + len(chunk_errors)
                if progress:
                    progress(done, total)
    else:
        for root, chunk in chunks:
            reports, chunk_errors = _analyze_chunk(
                root, chunk, analysis_type, progress, done, total
            )
            result.reports.extend(reports)
            result.errors.extend(chunk_errors)
            done += len(chunk)
    order = {str(f): i for i, f in enumerate(files)}
    result.reports.sort(key=lambda r: order.get(r.file, len(order)))
    result.errors.sort(key=lambda e: e.file)
    result.processing_time = time.perf_counter() - started
    return result


# ---------------------------------------------------------------------- internals


def _analyze_chunk(
    root: Path,
    files: list[Path],
    analysis_type: str,
    progress: ProgressCallback | None = None,
    done: int = 0,
    total: int = 0,
) -> tuple[list[Report], list[FileError]]:
    detectors = detectors_for(analysis_type)
    loader = DiskLoader(root)
    errors: list[FileError] = []
    wanted: list[tuple[Path, SourceUnit]] = []
    for file in files:
        try:
            wanted.append((file, loader.load(file, display=str(file))))
        except InputError as exc:
            errors.append(FileError(str(file), exc.message))
    loader.load_with_imports([f for f, _ in wanted])
    project = Project(loader.units.values()).build()
    reports: list[Report] = []
    for i, (_file, unit) in enumerate(wanted):
        started = time.perf_counter()
        report = _report_for(unit, project, detectors, analysis_type)
        report.contract_name = _contract_name(unit, None, report)
        report.processing_time = time.perf_counter() - started
        reports.append(report)
        if progress:
            progress(done + i + 1, total)
    return reports, errors


def _excluded(path: Path, patterns: Iterable[str]) -> bool:
    text = path.as_posix()
    for pattern in patterns:
        if fnmatch.fnmatch(text, pattern) or fnmatch.fnmatch("/" + text, pattern):
            return True
        if fnmatch.fnmatch(path.name, pattern):
            return True
        bare = pattern.strip("*/")
        if bare and "*" not in bare and f"/{bare}/" in f"/{text}":
            return True
    return False


def _contract_name(unit: SourceUnit, requested: str | None, report: Report) -> str | None:
    if requested:
        if unit.contracts and unit.find_contract(requested) is None:
            report.warnings.append(f"contract {requested!r} is not declared in the source")
        return requested
    concrete = [c for c in unit.contracts if c.kind == "contract"]
    pool = concrete or unit.contracts
    return pool[-1].name if pool else None


def _report_for(
    unit: SourceUnit, project: Project, detectors: Sequence[type[Detector]], analysis_type: str
) -> Report:
    ctx = Context(unit, project)
    warnings = [*LOAD_ERRORS, *unit.warnings]
    issues: list[Issue] = []
    for detector_cls in detectors:
        try:
            issues.extend(detector_cls().detect(ctx))
        except Exception as exc:  # a broken detector must not break the scan
            warnings.append(
                f"detector {detector_cls.id} failed and was skipped: {type(exc).__name__}: {exc}"
            )
    solidity_pragmas = [p.value for p in unit.pragmas if p.name == "solidity"]
    return Report(
        file=unit.path,
        analysis_type=analysis_type,
        findings=_findings(unit, issues),
        warnings=warnings,
        syntax_errors=[
            {"line": p.line, "column": p.col, "message": p.message} for p in unit.syntax_problems
        ],
        contracts=[c.name for c in unit.contracts],
        pragma=" ".join(solidity_pragmas) or None,
        engine=ENGINE_NAME,
        engine_version=__version__,
        lines=len(unit.lines),
    )


def suppressions(unit: SourceUnit) -> dict[int, set[str] | None]:
    """Lines whose findings are suppressed: ``None`` means every detector."""
    result: dict[int, set[str] | None] = {}
    for comment in unit.comments:
        for m in _SUPPRESS_RE.finditer(comment.text):
            ids = {
                t for t in re.split(r"[\s,]+", m.group(2).strip()) if t and t not in ("//", "*/")
            }
            line = comment.end_line + 1 if m.group(1) == "next-line" else comment.line
            if not ids:
                result[line] = None
            else:
                existing = result.get(line, set())
                if existing is not None:
                    result[line] = existing | ids
    return result


def _findings(unit: SourceUnit, issues: list[Issue]) -> list[Finding]:
    suppressed = suppressions(unit) if unit.comments else {}
    best: dict[tuple[str, int], Issue] = {}
    for issue in issues:
        rule = suppressed.get(issue.line, set())
        if rule is None or issue.detector.id in rule:
            continue
        key = (issue.detector.id, issue.line)
        current = best.get(key)
        if current is None or issue.severity.rank < current.severity.rank:
            best[key] = issue
    findings = [_finding(unit, issue) for issue in best.values()]
    findings.sort(key=lambda f: (f.line_number, f.severity_rank, f.type, f.column))
    _fingerprint(findings, unit)
    return findings


def _finding(unit: SourceUnit, issue: Issue) -> Finding:
    detector = issue.detector
    return Finding(
        type=detector.id,
        title=detector.title,
        severity=issue.severity.value,
        confidence=issue.confidence.value,
        swc_id=detector.swc,
        line_number=issue.line,
        end_line=issue.end_line,
        column=issue.column,
        file=unit.path,
        contract=issue.contract,
        function=issue.function,
        code_snippet=_snippet(unit, issue.line, issue.end_line),
        description=issue.message or detector.description,
        recommendation=detector.recommendation,
        category=detector.category,
        analysis_types=tuple(sorted(detector.types)),
        gas_saved=issue.gas_saved,
        references=detector.references,
    )


def _snippet(unit: SourceUnit, line: int, end_line: int) -> str:
    lines = [unit.line_text(n) for n in range(line, min(end_line, line + 2) + 1)]
    lines = [text.rstrip() for text in lines]
    indents = [len(text) - len(text.lstrip()) for text in lines if text.strip()]
    cut = min(indents) if indents else 0
    text = "\n".join(text[cut:] for text in lines).strip("\n")
    return text[:500]


def _fingerprint(findings: list[Finding], unit: SourceUnit) -> None:
    """Stable ids: detector, file, contract, function and the code of the line - not the
    line number, so unrelated edits above a finding keep its fingerprint."""
    seen: dict[str, int] = {}
    for finding in findings:
        code = " ".join(unit.line_text(finding.line_number).split())
        base = f"{finding.type}|{unit.path}|{finding.contract}|{finding.function}|{code}"
        occurrence = seen.get(base, 0)
        seen[base] = occurrence + 1
        digest = hashlib.sha256(f"{base}|{occurrence}".encode()).hexdigest()
        finding.fingerprint = digest[:20]
