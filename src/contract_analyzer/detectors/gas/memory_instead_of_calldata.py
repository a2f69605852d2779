"""Read-only ``memory`` parameters of external functions that could be ``calldata``."""

from __future__ import annotations

from collections.abc import Iterator

from contract_analyzer.detectors.base import GAS, Confidence, Detector, Issue, Severity
from contract_analyzer.detectors.context import Context
from contract_analyzer.detectors.gas import _costs
from contract_analyzer.detectors.gas._project import usage_of
from contract_analyzer.detectors.gas._util import requires_at_least
from contract_analyzer.ir.access import is_written_by, root_identifier
from contract_analyzer.ir.declarations import Function, StructDef
from contract_analyzer.ir.nodes import Assignment, Identifier, Member, VarDecl, Variable

_PUBLIC_CALLDATA_SINCE = (0, 6, 9)


class MemoryInsteadOfCalldata(Detector):
    id = "memory_instead_of_calldata"
    title = "Read-only memory parameter could be calldata"
    severity = Severity.INFO
    confidence = Confidence.HIGH
    types = GAS
    description = (
        "A `memory` parameter of an externally called function is copied from calldata into "
        "memory on every call. When the function never modifies it, `calldata` reads the "
        "argument in place."
    )
    recommendation = "Declare the parameter `calldata` (Solidity 0.6.9+ for public functions)."

    def detect(self, ctx: Context) -> Iterator[Issue]:
        usage = usage_of(ctx.project)
        public_ok = requires_at_least(ctx, _PUBLIC_CALLDATA_SINCE)
        for function in ctx.functions():
            if function.kind != "function" or function.is_override or function.index is None:
                continue
            visibility = function.effective_visibility
            if visibility == "public":
                if not public_ok or function.name in usage.internal_call_names:
                    continue
            elif visibility != "external":
                continue
            candidates = [p for p in function.params if _reference_in_memory(function, p)]
            if not candidates:
                continue
            untouched = _unmodified(function, candidates)
            by_line: dict[int, list[Variable]] = {}
            for param in untouched:
                by_line.setdefault(param.line, []).append(param)
            for line, params in by_line.items():
                names = ", ".join(f"`{p.name}`" for p in params)
                yield self.issue(
                    None,
                    f"{names} of {visibility} `{function.name}` "
                    f"{'are' if len(params) > 1 else 'is'} never modified: declare "
                    f"{'them' if len(params) > 1 else 'it'} `calldata` instead of `memory` to "
                    "skip the copy.",
                    line=line,
                    function=function,
                    gas_saved=_costs.CALLDATA_COPY_PER_PARAM * len(params),
                )


def _reference_in_memory(function: Function, param: Variable) -> bool:
    t = param.type_name
    if param.location != "memory" or t is None or not param.name:
        return False
    if t.kind == "array" or t.is_string_or_bytes:
        return True
    scope = function.scope
    return (
        t.kind == "user" and scope is not None and isinstance(scope.resolve_user_type(t), StructDef)
    )


def _unmodified(function: Function, params: list[Variable]) -> list[Variable]:
    """The parameters the body never writes, never hands to an internal function that
    takes memory, and never names in inline assembly."""
    index = function.index
    assert index is not None
    touched: set[int] = set()
    for ident in index.identifiers:
        if isinstance(ident.ref, Variable) and (is_written_by(ident) or _aliased(ident)):
            touched.add(id(ident.ref))
    for call in index.calls:
        target = call.target
        if call.kind not in ("internal", "library") or not isinstance(target, Function):
            continue
        args = list(call.args)
        offset = len(target.params) - len(args)
        if isinstance(call.callee, Member) and call.kind == "library" and offset == 1:
            args.insert(0, call.callee.base)  # `x.f(y)` through `using L for T`
        for arg, param in zip(args, target.params, strict=False):
            root = root_identifier(arg)
            if root is not None and isinstance(root.ref, Variable) and param.location != "calldata":
                touched.add(id(root.ref))
    names_in_assembly: set[str] = set()
    for assembly in index.assemblies:
        names_in_assembly.update(n.split(".", 1)[0] for n in assembly.identifiers)
    return [p for p in params if id(p) not in touched and p.name not in names_in_assembly]


def _aliased(ident: Identifier) -> bool:
    """``T memory b = a;`` or ``b = a;``: a memory alias could modify the parameter."""
    parent = ident.parent
    if isinstance(parent, VarDecl):
        return parent.value is ident
    return isinstance(parent, Assignment) and parent.value is ident
