"""ERC20 ``approve`` that overwrites a non-zero allowance (SWC-114)."""

from __future__ import annotations

from collections.abc import Iterator

from contract_analyzer.detectors.base import SECURITY, Confidence, Detector, Issue, Severity
from contract_analyzer.detectors.context import Context
from contract_analyzer.detectors.dos._access import functions_of
from contract_analyzer.detectors.dos._exprs import is_sender, local_definition
from contract_analyzer.ir.declarations import Function, StateVariable
from contract_analyzer.ir.index import facts_of
from contract_analyzer.ir.nodes import (
    Assignment,
    Binary,
    Expr,
    Identifier,
    Index,
    Literal,
    Variable,
)
from contract_analyzer.ir.types import TypeName

_SAFE_COMPANIONS = frozenset(
    {"increaseAllowance", "decreaseAllowance", "increaseApproval", "decreaseApproval"}
)


class Erc20ApproveRace(Detector):
    id = "erc20_approve_race"
    title = "ERC20 approve can be front-run (allowance race)"
    swc = "SWC-114"
    severity = Severity.LOW
    confidence = Confidence.MEDIUM
    types = SECURITY
    description = (
        "`approve` replaces the spender's allowance with the new value. When an owner lowers "
        "an allowance from N to M, the spender can watch the pending transaction, spend the "
        "old N first and then also spend the new M, taking N + M in total."
    )
    recommendation = (
        "Offer `increaseAllowance`/`decreaseAllowance` that adjust the allowance relative to "
        "its current value, or require the allowance to be set to zero before it is changed "
        "(`require(value == 0 || allowance[msg.sender][spender] == 0)`)."
    )
    references = (
        "https://swcregistry.io/docs/SWC-114",
        "https://eips.ethereum.org/EIPS/eip-20",
    )

    def detect(self, ctx: Context) -> Iterator[Issue]:
        for contract in ctx.contracts:
            if contract.kind != "contract":
                continue
            functions = functions_of(ctx, contract)
            if any(f.name in _SAFE_COMPANIONS for f in functions):
                continue
            for function in functions:
                if function.name != "approve" or function.body is None or not function.is_public:
                    continue
                if function.contract is None or function.contract.unit is not ctx.unit:
                    continue
                if len(function.params) != 2:
                    continue
                spender, value = function.params
                if not _is_address(spender.type_name) or not _is_integer(value.type_name):
                    continue
                found = _allowance_write(function, spender, value)
                if found is None:
                    continue
                site, write, write_value, mapping = found
                if _zero_first(site, mapping, value) or _zero_first(write, mapping, write_value):
                    continue
                message = (
                    f"`approve` overwrites `{mapping.name}[msg.sender][{spender.name}]` with "
                    f"`{value.name}` without requiring it to be zero first, and "
                    f"`{contract.name}` offers no increaseAllowance/decreaseAllowance; a spender "
                    "can front-run an allowance change and spend both the old and new amounts."
                )
                yield self.issue(site, message, function=function)


def _is_address(type_name: TypeName | None) -> bool:
    return type_name is not None and type_name.is_address


def _is_integer(type_name: TypeName | None) -> bool:
    return type_name is not None and type_name.is_integer


def _allowance_write(
    function: Function, spender: Variable, value: Variable
) -> tuple[Expr, Expr, Variable, StateVariable] | None:
    """Where ``approve`` stores ``map[msg.sender][spender] = value``, directly or through
    internal helpers (``_approve(owner, spender, value)``, a few levels deep): (the
    expression in ``approve`` that leads to it, the assignment, the parameter holding the
    value there, ``map``)."""
    return _find_write(function, None, spender, value, 0)


def _find_write(
    function: Function, holder: Variable | None, spender: Variable, value: Variable, depth: int
) -> tuple[Expr, Expr, Variable, StateVariable] | None:
    index = function.index
    if index is None:
        return None
    for assignment in index.assignments:
        found = _matches(function, assignment, holder, spender, value)
        if found is not None:
            return assignment, assignment, value, found
    if depth >= 2:
        return None
    for call in index.calls:
        target = call.target
        if call.kind != "internal" or not isinstance(target, Function) or target.index is None:
            continue
        roles: dict[str, Variable] = {}
        for arg, param in zip(call.args, target.params, strict=False):
            if _is_param(arg, spender):
                roles["spender"] = param
            elif _is_param(arg, value):
                roles["value"] = param
            elif _is_holder(function, arg, holder):
                roles["holder"] = param
        if len(roles) != 3:
            continue
        inner = _find_write(target, roles["holder"], roles["spender"], roles["value"], depth + 1)
        if inner is not None:
            return call, inner[1], inner[2], inner[3]
    return None


def _is_holder(function: Function, expr: Expr | None, holder: Variable | None) -> bool:
    """The caller: ``msg.sender``, ``_msgSender()``, the parameter that carries it, or a
    local set to one of those (``address owner = _msgSender();``)."""
    if is_sender(expr) or (holder is not None and _is_param(expr, holder)):
        return True
    if isinstance(expr, Identifier) and isinstance(expr.ref, Variable) and expr.ref.kind == "local":
        return is_sender(local_definition(function, expr.ref))
    return False


def _matches(
    function: Function,
    assignment: Assignment,
    holder: Variable | None,
    spender: Variable,
    value: Variable,
) -> StateVariable | None:
    if assignment.op != "=" or not _is_param(assignment.value, value):
        return None
    outer = assignment.target
    if not isinstance(outer, Index) or not _is_param(outer.index, spender):
        return None
    inner = outer.base
    if not isinstance(inner, Index) or not isinstance(inner.base, Identifier):
        return None
    if not _is_holder(function, inner.index, holder):
        return None
    ref = inner.base.ref
    return ref if isinstance(ref, StateVariable) else None


def _is_param(expr: Expr | None, param: Variable) -> bool:
    return isinstance(expr, Identifier) and expr.ref is param


def _zero_first(site: Expr, mapping: StateVariable, value_param: Variable) -> bool:
    """A check before ``site`` that the new value or the current allowance is zero."""
    stmt = site.stmt
    if stmt is None:
        return False
    for expr, _truth in facts_of(stmt.conditions):
        for node in expr.walk():
            if not isinstance(node, Binary) or node.op not in ("==", "!="):
                continue
            for side, other in ((node.left, node.right), (node.right, node.left)):
                if not (isinstance(other, Literal) and other.int_value() == 0):
                    continue
                if _is_param(side, value_param):
                    return True
                root: Expr = side
                while isinstance(root, Index):
                    root = root.base
                if isinstance(root, Identifier) and root.ref is mapping:
                    return True
    return False
