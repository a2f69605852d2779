"""Where findings about a function anyone can call are reported.

The missing check belongs on the function's header, and that is the line auditors and
vulnerability collections point at (``function changeOwner(...) public {``); the
finding spans from the header to the statement that does the damage. A helper reached
through other entry points keeps the statement.
"""

from __future__ import annotations

from contract_analyzer.ir.declarations import Callable, Function
from contract_analyzer.ir.nodes import Node


def entry_span(function: Callable, node: Node) -> tuple[int | None, int | None]:
    """``(line, end_line)`` for ``Detector.issue``: the header of a public or external
    ``function`` down to ``node``; ``(None, None)`` (report ``node``) otherwise."""
    if not isinstance(function, Function) or not function.is_public:
        return None, None
    if function.span.line <= node.line <= function.span.end_line:
        return function.span.line, node.end_line
    return None, None
