"""A state variable read on every iteration of a loop that never changes it."""

from __future__ import annotations

from collections.abc import Iterator

from contract_analyzer.detectors.base import GAS, Confidence, Detector, Issue, Severity
from contract_analyzer.detectors.context import Context
from contract_analyzer.detectors.gas import _costs
from contract_analyzer.detectors.gas._util import loop_nodes, outermost_loops
from contract_analyzer.ir.access import is_written_by
from contract_analyzer.ir.declarations import Callable, Function, StateVariable, StructDef
from contract_analyzer.ir.nodes import Call, Identifier, Member, Node, Stmt


class StorageReadInLoop(Detector):
    id = "storage_read_in_loop"
    title = "Storage variable read repeatedly inside a loop"
    severity = Severity.INFO
    confidence = Confidence.HIGH
    types = GAS
    description = (
        "A state variable that the loop never modifies is read from storage on every "
        "iteration. Each read is an SLOAD (100 gas warm, 2100 the first time)."
    )
    recommendation = (
        "Copy the value into a local variable before the loop and use the local inside it."
    )
    references = ("https://eips.ethereum.org/EIPS/eip-2929",)

    def detect(self, ctx: Context) -> Iterator[Issue]:
        for callable_ in ctx.callables():
            for loop in outermost_loops(callable_):
                yield from self._check_loop(ctx, callable_, loop)

    def _check_loop(self, ctx: Context, owner: Callable, loop: Stmt) -> Iterator[Issue]:
        facts = ctx.facts(owner)
        write_nodes: dict[int, list[StateVariable]] = {}
        for access in facts.state_writes:
            write_nodes.setdefault(id(access.node), []).append(access.var)
        written: set[StateVariable] = set()
        reads: dict[str, tuple[StateVariable, Node]] = {}
        for node in loop_nodes(owner, loop):
            if isinstance(node, Identifier):
                if isinstance(node.ref, StateVariable):
                    key = _cacheable_read(owner, node, node.ref)
                    if key is not None and key not in reads:
                        reads[key] = (node.ref, node)
                continue
            written.update(write_nodes.get(id(node), ()))
            if isinstance(node, Call) and isinstance(node.target, Function):
                written.update(ctx.facts(node.target).writes_all)
        by_line: dict[int, list[tuple[str, Node]]] = {}
        for text, (var, node) in reads.items():
            if var not in written:
                by_line.setdefault(node.line, []).append((text, node))
        function = owner if isinstance(owner, Function) else None
        for hits in by_line.values():
            names = ", ".join(f"`{text}`" for text, _ in hits)
            several = len(hits) > 1
            yield self.issue(
                hits[0][1],
                f"{names} {'are' if several else 'is'} read from storage on every iteration of "
                f"the loop at line {loop.line} in `{owner.name}`, which never changes "
                f"{'them' if several else 'it'}: cache "
                f"{'them in locals' if several else 'it in a local variable'} before the loop.",
                function=function,
                contract=owner.contract,
                gas_saved=_costs.SLOAD_CACHED_PER_ITERATION * len(hits),
            )


def _cacheable_read(owner: Callable, ident: Identifier, var: StateVariable) -> str | None:
    """The text of the storage value read at ``ident`` when one local could hold it
    (a value-type variable, or one member of a struct variable), else ``None``."""
    if var.constant or var.immutable or is_written_by(ident):
        return None
    type_name = var.type_name
    if type_name.kind == "elementary":
        return var.name if type_name.is_value_type else None
    if type_name.kind != "user":
        return None
    scope = owner.scope
    target = scope.resolve_user_type(type_name) if scope is not None else None
    if not isinstance(target, StructDef):
        return var.name  # enum, contract, interface or user value type: one slot
    parent = ident.parent
    if not isinstance(parent, Member) or parent.base is not ident:
        return None
    member_type = target.member_type(parent.member)
    if member_type is None or member_type.kind != "elementary" or not member_type.is_value_type:
        return None
    return f"{var.name}.{parent.member}"
