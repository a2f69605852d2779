"""Uninitialised local storage pointers in pre-0.5 code (SWC-109)."""

from __future__ import annotations

from collections.abc import Iterator

from contract_analyzer.detectors.base import SECURITY, Confidence, Detector, Issue, Severity
from contract_analyzer.detectors.context import Context
from contract_analyzer.ir.declarations import Contract, Function, StructDef
from contract_analyzer.ir.nodes import (
    Assignment,
    Call,
    Index,
    Member,
    Node,
    Unary,
    Update,
    VarDecl,
    Variable,
)


class UninitializedStoragePointer(Detector):
    id = "uninitialized_storage_pointer"
    title = "Uninitialized storage pointer"
    swc = "SWC-109"
    severity = Severity.HIGH
    confidence = Confidence.HIGH
    types = SECURITY
    description = (
        "Before Solidity 0.5 a local struct or array declared without `memory` is a storage "
        "pointer, and without an initial value it points at storage slot 0. Writing to it "
        "overwrites the contract's first state variables - often the owner or a lock."
    )
    recommendation = (
        "Declare the local `memory` if it is a temporary value, or initialise it from a "
        "state variable (`Item storage it = items[id];`). Solidity 0.5+ rejects this code."
    )
    references = ("https://swcregistry.io/docs/SWC-109",)

    def detect(self, ctx: Context) -> Iterator[Issue]:
        if not ctx.allows_legacy():
            return
        for function in ctx.functions():
            index = function.index
            if index is None:
                continue
            for var in index.locals:
                decl = var.parent
                if not isinstance(decl, VarDecl) or decl.value is not None:
                    continue
                if var.location not in (None, "storage") or not _reference_type(function, var):
                    continue
                first = _first_write(function, var)
                if first is None:
                    continue
                slot0 = _first_slot(function.contract)
                yield self.issue(
                    decl,
                    f"`{var.name}` is declared without `memory` and without a value, so it "
                    f"points at storage slot 0{slot0}; the write on line {first} overwrites that "
                    "state.",
                    function=function,
                )


def _reference_type(function: Function, var: Variable) -> bool:
    """A struct or array (what a pre-0.5 local defaults to storage for)."""
    t = var.type_name
    if t is None:
        return False
    if t.kind == "array":
        return True
    if t.kind != "user" or function.scope is None:
        return False
    return isinstance(function.scope.resolve_user_type(t), StructDef)


def _first_write(function: Function, var: Variable) -> int | None:
    """Line of the first write through ``var`` (member, index, push, length), unless the
    pointer is assigned a location first."""
    index = function.index
    if index is None:
        return None
    for ident in index.identifiers:
        if ident.ref is not var:
            continue
        parent = ident.parent
        if isinstance(parent, Assignment) and parent.target is ident:
            return None  # `p = items[i];` gives the pointer a real location
        if isinstance(parent, Member | Index) and _written(parent):
            return ident.line
    return None


def _written(node: Node) -> bool:
    child = node
    parent = node.parent
    while isinstance(parent, Member | Index) and parent.base is child:
        child, parent = parent, parent.parent
    if isinstance(parent, Assignment):
        return parent.target is child
    if isinstance(parent, Update):
        return True
    if isinstance(parent, Unary):
        return parent.op == "delete"
    if isinstance(parent, Call) and isinstance(child, Member):
        return child.member in ("push", "pop")
    return False


def _first_slot(contract: Contract | None) -> str:
    if contract is None:
        return ""
    stored = [v for v in contract.all_state_variables() if not v.constant]
    if not stored:
        return ""
    names = ", ".join(f"`{v.name}`" for v in stored[:2])
    return f" (where {names} live)"
