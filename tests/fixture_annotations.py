"""Reading Semgrep-style annotations out of fixture contracts.

``// ruleid: <id>`` on the line before code: the detector must report that line.
``// ok: <id>``: it must not. ``// todoruleid: <id>``: a known miss (must not fire yet;
promote it to ``ruleid`` when it does). Several ids may be listed, comma separated,
and several annotation lines may stack above one line of code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

ANNOTATION_RE = re.compile(r"^\s*//\s*(ruleid|ok|todoruleid)\s*:\s*([a-z0-9_,\s]+?)\s*$")
FIXTURES = Path(__file__).parent / "fixtures" / "detectors"


@dataclass
class Annotations:
    """Expected lines per detector id, by annotation kind."""

    ruleid: dict[str, set[int]] = field(default_factory=dict)
    ok: dict[str, set[int]] = field(default_factory=dict)
    todo: dict[str, set[int]] = field(default_factory=dict)

    @property
    def ids(self) -> set[str]:
        return set(self.ruleid) | set(self.ok) | set(self.todo)


def read_annotations(text: str) -> Annotations:
    result = Annotations()
    pending: list[tuple[str, list[str]]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        m = ANNOTATION_RE.match(line)
        if m:
            ids = [i.strip() for i in m.group(2).split(",") if i.strip()]
            pending.append((m.group(1), ids))
            continue
        if not line.strip() or not pending:
            continue
        for kind, ids in pending:
            bucket = {"ruleid": result.ruleid, "ok": result.ok, "todoruleid": result.todo}[kind]
            for detector_id in ids:
                bucket.setdefault(detector_id, set()).add(number)
        pending = []
    return result


def fixture_files() -> list[Path]:
    return sorted(FIXTURES.rglob("*.sol"))
