"""TODO/FIXME/XXX/HACK markers left in comments."""

from __future__ import annotations

import re
from collections.abc import Iterator

from contract_analyzer.detectors.base import QUALITY, Confidence, Detector, Issue, Severity
from contract_analyzer.detectors.context import Context

_MARKER = re.compile(r"\b(TODO|FIXME|XXX|HACK)\b")


class TodoComment(Detector):
    id = "todo_comment"
    title = "Unresolved TODO/FIXME comment"
    severity = Severity.INFO
    confidence = Confidence.HIGH
    types = QUALITY
    description = (
        "A comment marks unfinished or questionable code (TODO, FIXME, XXX, HACK). Code "
        "headed for deployment should not carry known open work."
    )
    recommendation = "Finish the work or track it in an issue, then remove the marker."

    def detect(self, ctx: Context) -> Iterator[Issue]:
        for comment in ctx.unit.comments:
            text = comment.text
            reported: set[int] = set()
            for match in _MARKER.finditer(text):
                line = comment.line + text.count("\n", 0, match.start())
                if line in reported:
                    continue
                reported.add(line)
                snippet = text[match.start() :].split("\n", 1)[0].rstrip(" */")
                yield self.issue(None, f'Open marker in a comment: "{snippet[:80]}".', line=line)
