"""Unicode bidirectional control characters in the source (SWC-130)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from contract_analyzer.detectors.base import SECURITY, Confidence, Detector, Issue, Severity
from contract_analyzer.detectors.context import Context

_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
_NAMES = {
    "\u202a": "LEFT-TO-RIGHT EMBEDDING",
    "\u202b": "RIGHT-TO-LEFT EMBEDDING",
    "\u202c": "POP DIRECTIONAL FORMATTING",
    "\u202d": "LEFT-TO-RIGHT OVERRIDE",
    "\u202e": "RIGHT-TO-LEFT OVERRIDE",
    "\u2066": "LEFT-TO-RIGHT ISOLATE",
    "\u2067": "RIGHT-TO-LEFT ISOLATE",
    "\u2068": "FIRST STRONG ISOLATE",
    "\u2069": "POP DIRECTIONAL ISOLATE",
}


class RtloCharacter(Detector):
    id = "rtlo_character"
    title = "Right-to-left override or other bidirectional control character"
    swc = "SWC-130"
    severity = Severity.HIGH
    confidence = Confidence.HIGH
    types = SECURITY
    description = (
        "The source contains an invisible Unicode bidirectional control character (such as "
        "U+202E RIGHT-TO-LEFT OVERRIDE). Editors and block explorers display the text after it "
        "reordered, so the code a reviewer reads (arguments, comments, strings) differs from "
        "what the compiler sees - a known way to hide malicious logic."
    )
    recommendation = (
        "Remove the control characters; legitimate contract code never needs them. Review the "
        "affected lines in a hex view to see what they really contain."
    )
    references = (
        "https://swcregistry.io/docs/SWC-130",
        "https://trojansource.codes/",
    )

    def detect(self, ctx: Context) -> Iterator[Issue]:
        # split on "\n" only: the parser counts lines that way (str.splitlines would also
        # break at U+2028 and friends and shift every later line number)
        for number, text in enumerate(ctx.unit.text.split("\n"), start=1):
            found = _BIDI.findall(text)
            if not found:
                continue
            kinds = sorted({f"U+{ord(ch):04X} {_NAMES[ch]}" for ch in found})
            yield self.issue(
                None,
                f"Line {number} contains {len(found)} invisible bidirectional control "
                f"character{'s' if len(found) > 1 else ''} ({'; '.join(kinds)}): the line is "
                "displayed in a different order than the compiler reads it.",
                line=number,
            )
