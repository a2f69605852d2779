"""Recall on the labelled corpus, false alarms on the safe corpus (issue 3, "How well").

    python bench/recall.py [--verbose] [--json results.json] [--jobs N]

Runs the security detectors (analysis type "security") over bench/corpus, whose
vulnerable lines carry ``// vuln: <class>`` labels (see bench/README.md), maps every
finding to a class through the table in bench/corpus_labels.py, and prints per class:
labelled lines, found on the exact line, found within +-2 lines, found anywhere in the
enclosing function, and recall. Then the findings on bench/corpus_safe, where every
critical or high finding is a false alarm, and the list of missed labels.

Prints figures and never fails: the exit code is always 0.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
import traceback
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(BENCH))

from contract_analyzer.engine import analyze_paths  # noqa: E402
from contract_analyzer.parsing import parse_source  # noqa: E402
from contract_analyzer.report.models import SEVERITIES, Finding, ProjectReport  # noqa: E402
from corpus_labels import (  # noqa: E402
    CLASSES,
    CORPUS,
    SAFE_CORPUS,
    Label,
    classify,
    corpus_files,
    read_labels,
)

NEAR = 2
HIGH_SEVERITIES = ("critical", "high")


@dataclass
class Mapped:
    finding: Finding
    cls: str


def catalogue() -> list[dict[str, Any]]:
    """The detector catalogue as the CLI prints it (``contract-analyzer detectors``)."""
    result = subprocess.run(
        [sys.executable, "-m", "contract_analyzer.cli", "detectors", "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    if result.returncode != 0:
        print(f"warning: could not read the detector catalogue: {result.stderr.strip()}")
        return []
    data = json.loads(result.stdout)
    return list(data if isinstance(data, list) else data.get("detectors", []))


def function_spans(path: Path) -> list[tuple[int, int]]:
    """(first line, last line) of every function and modifier in the file."""
    unit = parse_source(path.read_text(encoding="utf-8"), str(path))
    spans = []
    for contract in unit.contracts:
        for callable_ in [*contract.functions, *contract.modifiers]:
            spans.append((callable_.span.line, callable_.span.end_line))
    for function in unit.functions:
        spans.append((function.span.line, function.span.end_line))
    return spans


def enclosing(spans: list[tuple[int, int]], line: int) -> tuple[int, int] | None:
    inside = [s for s in spans if s[0] <= line <= s[1]]
    return min(inside, key=lambda s: s[1] - s[0]) if inside else None


def mapped_findings(report: ProjectReport, warned: set[str]) -> dict[str, list[Mapped]]:
    """Security findings per resolved file path, each with its corpus class."""
    result: dict[str, list[Mapped]] = defaultdict(list)
    for file_report in report.reports:
        key = str(Path(file_report.file).resolve())
        for finding in file_report.findings:
            if not finding.counts_for_security:
                continue
            cls, how = classify(finding.type, finding.swc_id, finding.category)
            if how == "unknown" and finding.type not in warned:
                warned.add(finding.type)
                print(
                    f"warning: detector {finding.type!r} (category {finding.category!r}, "
                    f"{finding.swc_id or 'no SWC'}) is not in the class table; counted as 'other'"
                )
            result[key].append(Mapped(finding, cls))
    return result


def print_run_problems(report: ProjectReport, label: str) -> None:
    problems = 0
    for error in report.errors:
        print(f"  {label}: error: {error.message}")
        problems += 1
    for file_report in report.reports:
        name = Path(file_report.file).name
        for warning in file_report.warnings:
            print(f"  {label}: {name}: warning: {warning}")
            problems += 1
        for syntax in file_report.syntax_errors:
            print(f"  {label}: {name}:{syntax['line']}: syntax: {syntax['message']}")
            problems += 1
    if not problems:
        print(f"  {label}: no errors, warnings or syntax problems reported")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--safe", type=Path, default=SAFE_CORPUS)
    parser.add_argument("--jobs", type=int, default=None, help="processes (default: all cores)")
    parser.add_argument("--verbose", action="store_true", help="list every finding considered")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)

    # ---------------------------------------------------------------- catalogue
    detectors = [d for d in catalogue() if "security" in d.get("analysis_types", [])]
    print(f"Security detectors in the catalogue: {len(detectors)}")
    for d in detectors:
        cls, how = classify(d["id"], d.get("swc_id"), d.get("category"))
        flag = "  <- not in the table, counted as 'other'" if how == "unknown" else ""
        print(f"  {d['id']:<32} {d.get('swc_id') or '-':<8} -> {cls} (by {how}){flag}")

    # ---------------------------------------------------------------- labels
    files = corpus_files(args.corpus)
    labels: list[Label] = []
    for path in files:
        found, problems = read_labels(path)
        labels.extend(found)
        for problem in problems:
            print(f"warning: {problem.path.name}:{problem.line}: {problem.message}")
    print(f"\nCorpus: {len(files)} files, {len(labels)} labels ({args.corpus})")

    warned: set[str] = set()
    started = time.perf_counter()
    vulnerable = analyze_paths([args.corpus], analysis_type="security", jobs=args.jobs)
    elapsed = time.perf_counter() - started
    print(f"Analysed in {elapsed:.2f} s")
    print_run_problems(vulnerable, "corpus")
    by_file = mapped_findings(vulnerable, warned)

    # ---------------------------------------------------------------- recall
    stats: dict[str, Counter[str]] = {cls: Counter() for cls in CLASSES}
    missed: list[tuple[Label, str]] = []
    matched_ids: set[int] = set()
    for path in files:
        spans = function_spans(path)
        mapped = by_file.get(str(path.resolve()), [])
        for label in (lab for lab in labels if lab.path == path):
            same = [m for m in mapped if m.cls == label.cls]
            exact = [m for m in same if m.finding.line_number == label.line]
            near = [m for m in same if abs(m.finding.line_number - label.line) <= NEAR]
            span = enclosing(spans, label.line)
            if span is not None:
                in_function = [m for m in same if span[0] <= m.finding.line_number <= span[1]]
            else:
                in_function = near
            for m in (*near, *in_function):
                matched_ids.add(id(m))
            s = stats[label.cls]
            s["labels"] += 1
            s["exact"] += bool(exact)
            s["near"] += bool(near)
            s["function"] += bool(in_function)
            if not exact:
                other = sorted(
                    {
                        f"{m.finding.type}@{m.finding.line_number}"
                        for m in mapped
                        if abs(m.finding.line_number - label.line) <= NEAR
                    }
                )
                note = "near: " + ", ".join(other) if other else "nothing within +-2 lines"
                if near:
                    note = "found within +-2 lines; " + note
                elif in_function:
                    note = "found elsewhere in the function; " + note
                missed.append((label, note))

    print()
    header = (
        f"{'class':<19}{'labels':>7}{'exact':>7}{'+-2':>6}{'in fn':>7}{'recall':>8}{'+-2 %':>7}"
    )
    print(header)
    print("-" * len(header))
    totals: Counter[str] = Counter()
    for cls in CLASSES:
        s = stats[cls]
        totals.update(s)
        print(_row(cls, s))
    print("-" * len(header))
    print(_row("total", totals))
    files_per_class = {cls: len({lab.path for lab in labels if lab.cls == cls}) for cls in CLASSES}
    print("contracts per class: " + ", ".join(f"{c} {n}" for c, n in files_per_class.items()))

    unlabelled = [
        (key, m)
        for key, items in by_file.items()
        for m in items
        if id(m) not in matched_ids and m.finding.severity in HIGH_SEVERITIES
    ]
    print(
        f"\nCritical/high findings on the vulnerable corpus not near a label of their class: "
        f"{len(unlabelled)} (label gaps or false alarms; --verbose lists them)"
    )
    if args.verbose:
        for key, m in sorted(unlabelled, key=lambda x: (x[0], x[1].finding.line_number)):
            f = m.finding
            print(f"  {Path(key).name}:{f.line_number} {f.severity} {f.type} ({m.cls})")

    # ---------------------------------------------------------------- safe corpus
    safe_files = corpus_files(args.safe)
    safe = analyze_paths([args.safe], analysis_type="security", jobs=args.jobs)
    print(f"\nSafe corpus: {len(safe_files)} files ({args.safe})")
    print_run_problems(safe, "safe corpus")
    safe_by_file = mapped_findings(safe, warned)
    severity_counts: Counter[str] = Counter()
    safe_listing = []
    for key, items in sorted(safe_by_file.items()):
        for m in items:
            severity_counts[m.finding.severity] += 1
            safe_listing.append((key, m))
    print(
        "Findings on the safe corpus by severity: "
        + ", ".join(f"{s} {severity_counts[s]}" for s in SEVERITIES)
        + f" (total {sum(severity_counts.values())})"
    )
    false_alarms = [(k, m) for k, m in safe_listing if m.finding.severity in HIGH_SEVERITIES]
    print(f"False alarms (critical/high on safe code): {len(false_alarms)}")
    for key, m in false_alarms:
        print(_finding_line(key, m))
    if args.verbose:
        print("All findings on the safe corpus:")
        for key, m in safe_listing:
            print(_finding_line(key, m))

    # ---------------------------------------------------------------- missed
    print(f"\nMissed labels (no finding of the class on the exact line): {len(missed)}")
    for label, note in missed:
        print(f"  {label.where()} {label.cls}  [{note}]")

    if args.json:
        data = {
            "date": time.strftime("%Y-%m-%d"),
            "detectors": [d["id"] for d in detectors],
            "corpus_files": len(files),
            "labels": len(labels),
            "per_class": {cls: dict(stats[cls]) for cls in CLASSES},
            "totals": dict(totals),
            "safe_files": len(safe_files),
            "safe_by_severity": {s: severity_counts[s] for s in SEVERITIES},
            "false_alarms": [
                {"file": Path(k).name, "line": m.finding.line_number, "type": m.finding.type}
                for k, m in false_alarms
            ],
            "missed": [{"where": lab.where(), "class": lab.cls} for lab, _ in missed],
        }
        args.json.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        print(f"\nFigures written to {args.json}")
    return 0


def _row(name: str, s: Counter[str]) -> str:
    labels = s["labels"]
    recall = f"{100 * s['exact'] / labels:.0f}%" if labels else "-"
    near = f"{100 * s['near'] / labels:.0f}%" if labels else "-"
    return (
        f"{name:<19}{labels:>7}{s['exact']:>7}{s['near']:>6}{s['function']:>7}{recall:>8}{near:>7}"
    )


def _finding_line(key: str, m: Mapped) -> str:
    f = m.finding
    return (
        f"  {Path(key).name}:{f.line_number} {f.severity} {f.type} ({m.cls}): "
        f"{_one_line(f.description)}"
    )


def _one_line(text: str, limit: int = 140) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."


if __name__ == "__main__":
    try:
        main()
    except Exception:  # a benchmark reports, it does not fail the build
        traceback.print_exc()
        print("recall benchmark could not finish (see the traceback above)")
    sys.exit(0)
