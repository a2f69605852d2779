"""A state variable that nothing ever assigns, yet the code relies on its value."""

from __future__ import annotations

from collections.abc import Iterator

from contract_analyzer.detectors.base import SECURITY, Confidence, Detector, Issue, Severity
from contract_analyzer.detectors.context import Context
from contract_analyzer.ir.declarations import Callable, Contract, StateVariable
from contract_analyzer.ir.index import is_call_to
from contract_analyzer.ir.nodes import (
    Binary,
    Call,
    DoWhile,
    Expr,
    For,
    Identifier,
    If,
    Index,
    Member,
    Node,
    While,
)

_ARITHMETIC = frozenset({"+", "-", "*", "/", "%", "**", "<<", ">>"})
_COMPARISON = frozenset({"==", "!=", "<", ">", "<=", ">=", "&&", "||"})
_SENDS = frozenset({"transfer", "send", "call"})
_DEFAULTS = {"bool": "`false`", "string": "empty", "bytes": "empty"}


class UninitializedStateVariable(Detector):
    id = "uninitialized_state_variable"
    title = "Uninitialized state variable"
    swc = None
    severity = Severity.MEDIUM
    confidence = Confidence.MEDIUM
    types = SECURITY
    description = (
        "A state variable is never assigned - no initializer, no write in a constructor or "
        "function, here or in a derived contract - but the code depends on it: ether is sent "
        "to it, it selects a mapping entry, or it decides a condition or a computation. It "
        "always holds its default value (zero, `address(0)`, `false`)."
    )
    recommendation = (
        "Initialize the variable (in its declaration or the constructor), or declare it "
        "`constant`/`immutable` if it never changes; remove it if it is not needed."
    )
    references = ("https://docs.soliditylang.org/en/latest/control-structures.html#default-value",)

    def detect(self, ctx: Context) -> Iterator[Issue]:
        derived: dict[int, list[Contract]] = {}
        for other in ctx.project.all_contracts():
            for base in other.linearization[1:]:
                derived.setdefault(id(base), []).append(other)
        for contract in ctx.contracts:
            if contract.kind != "contract" or contract.abstract:
                continue
            candidates = {
                id(v): v
                for v in contract.state_variables
                if not (v.constant or v.immutable) and v.value is None
                and v.type_name.kind == "elementary"
            }  # fmt: skip
            if not candidates:
                continue
            bodies = list(_bodies(contract, derived.get(id(contract), [])))
            for body in bodies:
                for access in ctx.facts(body).state_writes:
                    candidates.pop(id(access.var), None)
                _drop_assembly_mentions(body, candidates)
            if not candidates:
                continue
            uses: dict[int, tuple[int, str, Node]] = {}
            for body in bodies:
                for access in ctx.facts(body).state_reads:
                    var = access.var
                    if id(var) not in candidates or not isinstance(access.node, Identifier):
                        continue
                    use = _use(access.node, var)
                    if use is not None and (id(var) not in uses or use[0] < uses[id(var)][0]):
                        uses[id(var)] = (use[0], use[1], access.node)
            for key, (rank, what, node) in uses.items():
                var = candidates[key]
                default = (
                    "`address(0)`"
                    if var.type_name.is_address
                    else _DEFAULTS.get(var.type_name.name, "zero")
                )
                yield self.issue(
                    None,
                    f"`{var.name}` is never assigned, so it is always {default}; yet it is "
                    f"{what} (line {node.line}).",
                    line=var.line,
                    contract=contract,
                    severity=Severity.HIGH if rank == 0 else Severity.MEDIUM,
                )


def _bodies(contract: Contract, derived: list[Contract]) -> Iterator[Callable]:
    """Functions and modifiers that can touch the contract's variables: its own, its
    bases' and those of every contract that derives from it."""
    seen: set[int] = set()
    for owner in (*(contract.linearization or [contract]), *derived):
        if id(owner) in seen:
            continue
        seen.add(id(owner))
        for callable_ in (*owner.functions, *owner.modifiers):
            if callable_.body is not None:
                yield callable_


def _drop_assembly_mentions(body: Callable, candidates: dict[int, StateVariable]) -> None:
    index = body.index
    if index is None or not index.assemblies:
        return
    names: set[str] = set()
    for assembly in index.assemblies:
        names |= assembly.identifiers
    for key, var in list(candidates.items()):
        if var.name in names or f"{var.name}_slot" in names:
            del candidates[key]


def _use(ident: Identifier, var: StateVariable) -> tuple[int, str] | None:
    """How the value is relied on: (0, ...) for an ether recipient or a mapping key,
    (1, ...) for a condition or arithmetic; ``None`` for other reads."""
    child: Node = ident
    parent = ident.parent
    while parent is not None:
        if isinstance(parent, Index) and parent.index is child:
            return 0, f"used as the key of `{_name(parent.base)}[...]`"
        if (
            isinstance(parent, Member)
            and parent.base is child
            and parent.member in _SENDS
            and var.type_name.is_address
        ):
            return 0, f"the recipient of `{var.name}.{parent.member}`"
        if isinstance(parent, Call):
            if is_call_to(parent, "selfdestruct", "suicide") and var.type_name.is_address:
                return 0, "the beneficiary of `selfdestruct`"
            if is_call_to(parent, "require", "assert"):
                return 1, "checked in a `require`"
            if parent.kind != "conversion":
                return None
        if isinstance(parent, Binary):
            if parent.op in _ARITHMETIC:
                return 1, "used in arithmetic"
            if parent.op in _COMPARISON:
                return 1, "compared in a condition"
        if isinstance(parent, If | While | DoWhile | For):
            return (1, "tested as a condition") if getattr(parent, "cond", None) is child else None
        if not isinstance(parent, Expr):
            return None
        child, parent = parent, parent.parent
    return None


def _name(expr: Expr) -> str:
    return expr.name if isinstance(expr, Identifier) else "..."
