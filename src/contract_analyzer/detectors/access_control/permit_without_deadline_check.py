"""An EIP-2612-style ``permit`` that takes a deadline but never checks it.

``permit(owner, spender, value, deadline, v, r, s)`` promises the signer that the
approval expires. When the body only hashes ``deadline`` into the signed digest and
never compares it with ``block.timestamp``, a signature stays usable forever: anyone
holding it can submit it months later.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from contract_analyzer.detectors.base import SECURITY, Confidence, Detector, Issue, Severity
from contract_analyzer.detectors.context import Context
from contract_analyzer.ir.nodes import Call, Identifier, Node, Stmt, Variable
from contract_analyzer.ir.resolve import dotted_name

_DEADLINE = re.compile(r"^_?(deadline|expiry|expiration|validUntil|validBefore)$", re.IGNORECASE)
# calls that only fold a value into the signed digest
_HASHING = frozenset(
    {"keccak256", "sha256", "abi.encode", "abi.encodePacked", "abi.encodeWithSelector"}
)


class PermitWithoutDeadlineCheck(Detector):
    id = "permit_without_deadline_check"
    title = "permit never checks its deadline"
    swc = "SWC-117"
    severity = Severity.LOW
    confidence = Confidence.MEDIUM
    types = SECURITY
    description = (
        "The `permit` function takes a deadline that the signer relies on to limit how long "
        "the signed approval can be used, but it never compares the deadline with "
        "`block.timestamp`. An old signature stays valid forever."
    )
    recommendation = (
        "Reject expired signatures before recovering the signer, e.g. "
        '`require(block.timestamp <= deadline, "expired")`.'
    )
    references = ("https://eips.ethereum.org/EIPS/eip-2612",)

    def detect(self, ctx: Context) -> Iterator[Issue]:
        for function in ctx.functions():
            if function.name != "permit" or function.body is None or function.index is None:
                continue
            names = {p.name for p in function.params}
            if not {"v", "r", "s"} <= names or len(function.params) < 6:
                continue
            deadline = next((p for p in function.params if _DEADLINE.match(p.name or "")), None)
            if deadline is None:
                continue
            uses = [
                n
                for n in function.index.identifiers
                if isinstance(n, Identifier) and n.ref is deadline
            ]
            if any(not _only_hashed(use) for use in uses):
                continue  # compared, stored or handed to a helper that may check it
            if any(
                isinstance(n, Identifier) and n.name == deadline.name
                for m in function.modifiers
                for arg in m.args or ()
                for n in arg.walk()
            ):
                continue  # `ensure(deadline)`: the modifier checks it
            yield self.issue(
                deadline,
                f"`permit` takes `{deadline.name}` but never compares it with "
                "`block.timestamp`: a signed approval never expires and can be used at any "
                "later time.",
                function=function,
            )


def _only_hashed(use: Identifier) -> bool:
    """``use`` sits inside the arguments of a hashing/encoding call."""
    node: Node | None = use.parent
    while node is not None and not isinstance(node, Stmt | Variable):
        if isinstance(node, Call) and dotted_name(node.callee) in _HASHING:
            return True
        node = node.parent
    return False
