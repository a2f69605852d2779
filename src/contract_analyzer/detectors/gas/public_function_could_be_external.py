"""A public function nothing calls internally could be ``external``."""

from __future__ import annotations

from collections.abc import Iterator

from contract_analyzer.detectors.base import GAS, Confidence, Detector, Issue, Severity
from contract_analyzer.detectors.context import Context
from contract_analyzer.detectors.gas import _costs
from contract_analyzer.detectors.gas._project import usage_of
from contract_analyzer.ir.declarations import Contract, Function, StructDef
from contract_analyzer.ir.nodes import Variable
from contract_analyzer.ir.resolve import Scope


class PublicFunctionCouldBeExternal(Detector):
    id = "public_function_could_be_external"
    title = "Public function could be declared external"
    severity = Severity.INFO
    confidence = Confidence.MEDIUM
    types = GAS
    description = (
        "The function is `public` but no function of the contract or of the contracts in "
        "the project that derive from it calls it internally. `external` states the intent, "
        "and lets array, bytes, string and struct parameters stay in calldata instead of "
        "being copied to memory."
    )
    recommendation = (
        "Declare the function `external` and give its reference-type parameters the "
        "`calldata` location."
    )
    references = ("https://docs.soliditylang.org/en/latest/contracts.html#function-visibility",)

    def detect(self, ctx: Context) -> Iterator[Issue]:
        usage = usage_of(ctx.project)
        for contract in ctx.contracts:
            if contract.kind != "contract":
                continue
            for function in contract.functions:
                if (
                    function.kind != "function"
                    or function.body is None
                    or function.effective_visibility != "public"
                    or function.is_override
                    or function.virtual
                    or function.name in usage.internal_call_names
                    or _overrides_base(contract, function)
                ):
                    continue
                unknown_base = contract.has_unknown_bases  # an unseen base may fix it
                copied = _copied_params(function)
                message = (
                    f"`{function.name}` is public but never called internally: declare it external"
                )
                if copied:
                    names = ", ".join(f"`{p.name}`" for p in copied)
                    message += f" and move {names} to calldata to avoid copying to memory"
                yield self.issue(
                    None,
                    message + ".",
                    line=function.line,
                    function=function,
                    confidence=Confidence.LOW if unknown_base else None,
                    gas_saved=_costs.CALLDATA_COPY_PER_PARAM * len(copied) if copied else None,
                )


def _overrides_base(contract: Contract, function: Function) -> bool:
    """Legacy code has no ``override`` keyword: a base function of the same name means
    the visibility is fixed by the base."""
    return any(f.name == function.name for base in contract.ancestors for f in base.functions)


def _copied_params(function: Function) -> list[Variable]:
    """Reference-type parameters a public function copies from calldata to memory."""
    scope = function.scope
    out: list[Variable] = []
    for param in function.params:
        t = param.type_name
        if t is None or param.location == "calldata":
            continue
        if t.kind == "array" or t.is_string_or_bytes or _is_struct(scope, param):
            out.append(param)
    return out


def _is_struct(scope: Scope | None, param: Variable) -> bool:
    t = param.type_name
    if t is None or t.kind != "user" or scope is None:
        return False
    return isinstance(scope.resolve_user_type(t), StructDef)
