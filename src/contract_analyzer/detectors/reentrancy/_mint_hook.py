"""Token mints and transfers that call the recipient's receiver hook.

``_safeMint(to, id)`` (ERC-721) and ERC-1155's ``_mint(to, id, amount, data)`` or
``_safeTransferFrom(from, to, id, amount, data)`` call ``onERC721Received`` /
``onERC1155Received`` on ``to`` when it is a contract. When the base token is not in
scope (an imported library) the call is unresolved; it still hands control to ``to``
at the caller's line, so it is modelled as an external call to that address.
"""

from __future__ import annotations

import re

from contract_analyzer.ir.declarations import Callable, Function
from contract_analyzer.ir.facts import ExternalCall
from contract_analyzer.ir.nodes import Call, Expr, Identifier, Member

# name -> (allowed argument counts, index of the recipient)
_SHAPES: dict[str, tuple[tuple[int, ...], int]] = {
    "_safeMint": ((2, 3), 0),
    "_safeTransfer": ((3, 4), 1),
    "safeTransferFrom": ((3, 4, 5), 1),
    "_safeTransferFrom": ((4, 5), 1),
    "_safeBatchTransferFrom": ((5,), 1),
    "safeBatchTransferFrom": ((5,), 1),
    "_mint": ((4,), 0),  # ERC-1155: (to, id, amount, data)
    "_mintBatch": ((4,), 0),
}

# the hooks a token calls on its recipient
RECEIVER_HOOK = re.compile(r"^onERC(721|1155)(Batch)?Received$")


def _name(call: Call) -> str | None:
    callee = call.callee
    if isinstance(callee, Identifier):
        return callee.name
    if isinstance(callee, Member) and isinstance(callee.base, Identifier):
        if callee.base.name == "super":
            return callee.member
    return None


def recipient(call: Call) -> Expr | None:
    """The address an unresolved token mint/transfer hands control to, if ``call`` is one."""
    if isinstance(call.target, Function) and call.target.body is not None:
        return None  # in scope: its own receiver call is seen where it is made
    if call.kind not in ("unknown", "internal"):
        return None
    name = _name(call)
    shape = _SHAPES.get(name) if name else None
    if shape is None or call.arg_names:
        return None
    counts, at = shape
    if len(call.args) not in counts:
        return None
    return call.args[at]


def hook_call(call: Call, owner: Callable) -> ExternalCall | None:
    """An external call standing for the receiver hook an unresolved mint makes."""
    to = recipient(call)
    if to is None:
        return None
    name = _name(call) or ""
    hook = "onERC721Received" if name in ("_safeMint", "_safeTransfer") else "onERC1155Received"
    return ExternalCall("high_level", call, to, None, None, hook, None, owner)


def is_receiver_hook(ext: ExternalCall) -> bool:
    return bool(ext.function_name and RECEIVER_HOOK.match(ext.function_name))


def mints(function: Function, callees: object) -> bool:
    """``function`` (or a helper it calls) makes an unresolved receiver-hook mint."""
    bodies: list[Callable] = [function]
    if isinstance(callees, (list, set, frozenset, tuple)):
        bodies.extend(c for c in callees if isinstance(c, Callable))
    for body in bodies:
        if body.index is not None and any(recipient(c) is not None for c in body.index.calls):
            return True
    return False
