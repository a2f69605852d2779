"""Command line: ``contract-analyzer analyze PATH...`` and friends.

Exit codes: 0 - done, nothing at or above ``--fail-on``; 1 - a finding at or above
``--fail-on``; 2 - usage or input error (bad option, missing path, unreadable or
non-Solidity file). Errors are one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn, TextIO

from contract_analyzer.errors import AnalyzerError
from contract_analyzer.report.models import SEVERITIES, ProjectReport
from contract_analyzer.version import ENGINE_NAME, __version__

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2

Command = Callable[[argparse.Namespace], int]
_COMMANDS: dict[str, Command] = {}
_SUBPARSER_BUILDERS: list[
    Callable[[argparse._SubParsersAction[argparse.ArgumentParser]], None]
] = []


class _Parser(argparse.ArgumentParser):
    """argparse that reports errors in one line with exit status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see --help)\n")


def command(name: str) -> Callable[[Command], Command]:
    def register(fn: Command) -> Command:
        _COMMANDS[name] = fn
        return fn

    return register


def subcommands(
    builder: Callable[[argparse._SubParsersAction[argparse.ArgumentParser]], None],
) -> Callable[[argparse._SubParsersAction[argparse.ArgumentParser]], None]:
    """Register a function that adds sub-parsers (used by optional command modules)."""
    _SUBPARSER_BUILDERS.append(builder)
    return builder


def build_parser() -> argparse.ArgumentParser:
    from contract_analyzer.detectors.registry import ANALYSIS_CHOICES
    from contract_analyzer.report.render import FORMATS

    parser = _Parser(
        prog="contract-analyzer",
        description="Compiler-free static security analyzer for Solidity smart contracts.",
    )
    parser.add_argument("--version", action="version", version=f"{ENGINE_NAME} {__version__}")
    sub: argparse._SubParsersAction[argparse.ArgumentParser] = parser.add_subparsers(
        dest="command", metavar="COMMAND", parser_class=_Parser
    )

    analyze = sub.add_parser("analyze", help="analyse .sol files or folders")
    analyze.add_argument(
        "paths", nargs="+", type=Path, metavar="PATH", help="Solidity files or folders"
    )
    analyze.add_argument(
        "-f", "--format", choices=FORMATS, default="text", help="output format (default: text)"
    )
    analyze.add_argument(
        "-o", "--output", type=Path, help="write the report to FILE instead of stdout"
    )
    analyze.add_argument(
        "-t",
        "--type",
        dest="analysis_type",
        choices=ANALYSIS_CHOICES,
        default="security",
        help="which detectors to run (default: security)",
    )
    analyze.add_argument(
        "--fail-on",
        choices=SEVERITIES[:4],
        help="exit 1 when a finding at or above this severity exists",
    )
    analyze.add_argument(
        "--exclude",
        action="append",
        default=[],
        metavar="GLOB",
        help="skip files matching GLOB (repeatable)",
    )
    analyze.add_argument(
        "--include-tests",
        action="store_true",
        help="in folders, also analyse tests, scripts and mocks (*.t.sol, *.s.sol, test/, "
        "tests/, script/, mocks/), which are skipped by default",
    )
    analyze.add_argument(
        "-j", "--jobs", type=int, default=None, help="parallel processes (default: all cores)"
    )
    analyze.add_argument(
        "--no-progress", action="store_true", help="no progress bar on folder scans"
    )
    analyze.add_argument(
        "--color", choices=("auto", "always", "never"), default="auto", help="colour in text output"
    )
    analyze.add_argument(
        "--ai",
        action="store_true",
        help="also review each file with the configured AI provider (OPENAI_API_KEY, "
        "OPENAI_BASE_URL or GEMINI_API_KEY); sends the source code to it",
    )
    analyze.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="text output: show descriptions and clean files",
    )

    detectors = sub.add_parser("detectors", help="list every detector with its metadata")
    detectors.add_argument("-f", "--format", choices=("text", "json"), default="text")
    detectors.add_argument(
        "-t", "--type", dest="analysis_type", choices=ANALYSIS_CHOICES, default="full"
    )

    for builder in _SUBPARSER_BUILDERS:
        builder(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    _load_optional_commands()
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    handler = _COMMANDS[args.command]
    try:
        return handler(args)
    except AnalyzerError as exc:
        print(f"contract-analyzer: error: {exc.message}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("contract-analyzer: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK


def _load_optional_commands() -> None:
    """Commands that live in other modules register themselves on import."""
    import importlib

    for module in (
        "contract_analyzer.service.cli_commands",
        "contract_analyzer.auth.cli_commands",
        "contract_analyzer.service.jobs_cli",
        "contract_analyzer.aws.cost",
    ):
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name is None or not module.startswith(exc.name):
                raise


# ---------------------------------------------------------------------- analyze


@command("analyze")
def _analyze(args: argparse.Namespace) -> int:
    from contract_analyzer.engine import analyze_paths
    from contract_analyzer.report.render import render_project

    if args.jobs is not None and args.jobs < 1:
        print("contract-analyzer: error: --jobs must be at least 1", file=sys.stderr)
        return EXIT_USAGE
    progress = None
    if not args.no_progress and sys.stderr.isatty():
        progress = _ProgressBar(sys.stderr)
    project = analyze_paths(
        args.paths,
        analysis_type=args.analysis_type,
        exclude=args.exclude,
        jobs=args.jobs,
        include_tests=args.include_tests,
        progress=progress,
    )
    if progress is not None:
        progress.close()
    for error in project.errors:
        print(f"contract-analyzer: {error.message}", file=sys.stderr)
    if not project.reports:
        if not project.errors:
            print("contract-analyzer: error: no .sol files found", file=sys.stderr)
        return EXIT_USAGE
    if args.ai:
        from contract_analyzer.ai.project import enrich_project

        for line in enrich_project(project):
            print(f"contract-analyzer: {line}", file=sys.stderr)
    colour = _use_colour(args.color, args.output)
    text = render_project(project, args.format, colour=colour, verbose=args.verbose)
    if args.output:
        try:
            args.output.write_text(text, encoding="utf-8")
        except OSError as exc:
            print(
                f"contract-analyzer: error: cannot write {args.output}: {exc.strerror}",
                file=sys.stderr,
            )
            return EXIT_USAGE
    else:
        sys.stdout.write(text)
    return _exit_code(project, args.fail_on)


def _exit_code(project: ProjectReport, fail_on: str | None) -> int:
    if project.errors:
        return EXIT_USAGE
    if fail_on:
        threshold = SEVERITIES.index(fail_on)
        if any(f.severity_rank <= threshold for f in project.findings):
            return EXIT_FINDINGS
    return EXIT_OK


def _use_colour(choice: str, output: Path | None) -> bool:
    if choice == "always":
        return True
    if choice == "never" or output is not None or os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty()


class _ProgressBar:
    """A one-line progress bar on a terminal."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        if total < 2:
            return
        width = 30
        filled = int(width * done / total)
        self.stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} files")
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            self.stream.write("\r" + " " * 60 + "\r")
            self.stream.flush()


# ---------------------------------------------------------------------- detectors


@command("detectors")
def _detectors(args: argparse.Namespace) -> int:
    from contract_analyzer.detectors.registry import detectors_for

    detectors = detectors_for(args.analysis_type)
    if args.format == "json":
        print(json.dumps([d.metadata() for d in detectors], indent=2))
        return EXIT_OK
    rows = [
        (d.id, d.severity.value, d.swc or "-", ",".join(sorted(d.types)), d.title)
        for d in detectors
    ]
    widths = [max(len(r[i]) for r in rows) for i in range(4)] if rows else [0, 0, 0, 0]
    for row in rows:
        print("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:4])) + "  " + row[4])
    print(f"\n{len(rows)} detectors")
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
