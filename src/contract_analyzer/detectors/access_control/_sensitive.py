"""State that is not an identity check but still needs one to change: where the
contract's money goes (a treasury or fee recipient paid elsewhere), switches that
stop other functions (a pause flag required elsewhere), how much a public function pays
(an airdrop amount) and the stored hash a public function pays for matching (a quiz
answer). Helpers of unprotected_setter.
"""

from __future__ import annotations

import re

from contract_analyzer.detectors.access_control._util import cache
from contract_analyzer.detectors.context import Context
from contract_analyzer.detectors.randomness._payout import moves_value
from contract_analyzer.ir.declarations import Callable, Contract, Function, StateVariable
from contract_analyzer.ir.index import is_call_to
from contract_analyzer.ir.nodes import Binary, Call, Expr, Identifier, If, Unary

# token calls and the position of their recipient argument
_RECIPIENT_ARG = {
    "transfer": 0,
    "safeTransfer": 0,
    "mint": 0,
    "transferFrom": 1,
    "safeTransferFrom": 1,
}

PAYEE = "payee"
SWITCH = "switch"
AMOUNT = "amount"
SECRET = "secret"
ORACLE = "oracle"

# calls that ask a contract for a price or exchange rate
_PRICE_CALL = re.compile(
    r"^(latestRoundData|latestAnswer|getPrice\w*|price\w*|\w*Price|getRate|exchangeRate\w*|"
    r"consult|peek)$"
)

# token calls and the position of their amount argument
_AMOUNT_ARG = {"transfer": 1, "safeTransfer": 1, "mint": 1, "transferFrom": 2}


def sensitive_vars(ctx: Context, contract: Contract) -> dict[StateVariable, tuple[str, Callable]]:
    """Scalar state read as a payment recipient (``payee``) or as a condition that stops
    execution (``switch``, bool only), with the first function or modifier doing so."""
    key = ("sensitive", id(contract))
    store = cache(ctx)
    cached = store.get(key)
    if isinstance(cached, dict):
        return cached
    found: dict[StateVariable, tuple[str, Callable]] = {}
    for base in contract.linearization or [contract]:
        for callable_ in (*base.functions, *base.modifiers):
            if callable_.body is None or getattr(callable_, "is_constructor", False):
                continue
            _payees(ctx, callable_, found)
            _switches(callable_, found)
            _oracles(ctx, callable_, found)
            if isinstance(callable_, Function) and ctx.facts(callable_).reachable_by_anyone:
                _amounts(ctx, callable_, found)
                _secrets(ctx, callable_, found)
    store[key] = found
    return found


def _state_labels(ctx: Context, callable_: Callable, expr: Expr | None) -> set[str]:
    return {label[6:] for label in ctx.sources(callable_, expr) if label.startswith("state:")}


def _note(
    found: dict[StateVariable, tuple[str, Callable]],
    contract: Contract | None,
    names: set[str],
    why: str,
    where: Callable,
) -> None:
    if contract is None:
        return
    for name in sorted(names):
        var = contract.find_state_variable(name)
        if var is not None and var.type_name.is_address and not var.constant:
            found.setdefault(var, (why, where))


def _payees(
    ctx: Context, callable_: Callable, found: dict[StateVariable, tuple[str, Callable]]
) -> None:
    contract = callable_.contract
    for ext in ctx.facts(callable_).external_calls:
        if ext.sends_ether and ext.kind in ("transfer", "send", "call"):
            _note(found, contract, _state_labels(ctx, callable_, ext.target), PAYEE, callable_)
        call = ext.call
        if ext.kind == "high_level":
            position = _RECIPIENT_ARG.get(ext.function_name or "")
            if position is not None and position < len(call.args):
                labels = _state_labels(ctx, callable_, call.args[position])
                _note(found, contract, labels, PAYEE, callable_)


def _oracles(
    ctx: Context, callable_: Callable, found: dict[StateVariable, tuple[str, Callable]]
) -> None:
    """A stored contract asked for a price (``oracle.getPrice(token)``): whoever sets it
    decides every valuation."""
    contract = callable_.contract
    if contract is None:
        return
    for ext in ctx.facts(callable_).external_calls:
        if ext.kind != "high_level" or not _PRICE_CALL.match(ext.function_name or ""):
            continue
        for name in sorted(_state_labels(ctx, callable_, ext.target)):
            var = contract.find_state_variable(name)
            if var is not None and not var.constant:
                found.setdefault(var, (ORACLE, callable_))


def _amounts(ctx: Context, fn: Function, found: dict[StateVariable, tuple[str, Callable]]) -> None:
    """Integer state that sets how much a public function pays (``claimAmount``)."""
    for ext in ctx.facts(fn).external_calls:
        amount: Expr | None = None
        if ext.sends_ether and ext.kind in ("transfer", "send", "call"):
            amount = ext.value
        elif ext.kind == "high_level":
            position = _AMOUNT_ARG.get(ext.function_name or "")
            if position is not None and position < len(ext.call.args):
                amount = ext.call.args[position]
        if amount is None or fn.contract is None:
            continue
        for name in sorted(_state_labels(ctx, fn, amount)):
            var = fn.contract.find_state_variable(name)
            if var is not None and var.type_name.is_integer and not var.constant:
                found.setdefault(var, (AMOUNT, fn))


def _secrets(ctx: Context, fn: Function, found: dict[StateVariable, tuple[str, Callable]]) -> None:
    """A stored hash a public paying function compares with the hash of a guess
    (``if (keccak256(answer) == answerHash)``)."""
    index = fn.index
    if index is None or fn.contract is None or not moves_value(ctx, fn):
        return
    for b in index.binaries:
        if b.op != "==":
            continue
        for side, other in ((b.left, b.right), (b.right, b.left)):
            var = side.ref if isinstance(side, Identifier) else None
            if not isinstance(var, StateVariable) or var.constant:
                continue
            if var.type_name.bits == 256 and var.type_name.name.startswith("bytes"):
                if is_call_to(other, "keccak256", "sha3", "sha256"):
                    found.setdefault(var, (SECRET, fn))


def _switches(callable_: Callable, found: dict[StateVariable, tuple[str, Callable]]) -> None:
    index = callable_.index
    if index is None:
        return
    for ident in index.identifiers:
        var = ident.ref
        if not isinstance(var, StateVariable) or var.constant or not var.type_name.is_bool:
            continue
        if _stops(ident):
            found.setdefault(var, (SWITCH, callable_))


def _stops(ident: Identifier) -> bool:
    """``require(!paused)``, ``require(open && ...)``, ``if (paused || ...) revert(...)``:
    the flag alone (or negated) can stop execution."""
    node: Expr = ident
    parent = node.parent
    if isinstance(parent, Unary) and parent.op == "!":
        node, parent = parent, parent.parent
    top = node
    while isinstance(parent, Binary) and parent.op == "&&":
        top, parent = parent, parent.parent
    if isinstance(parent, Call) and is_call_to(parent, "require", "assert"):
        return bool(parent.args) and parent.args[0] is top
    top, parent = node, node.parent
    while isinstance(parent, Binary) and parent.op == "||":
        top, parent = parent, parent.parent
    stmt = ident.stmt
    if isinstance(stmt, If) and stmt.cond is top:
        return _reverts(stmt)
    return False


def _reverts(stmt: If) -> bool:
    """The ``if`` branch only reverts / throws."""
    from contract_analyzer.ir.nodes import Block, ExpressionStmt, Revert, Throw

    body = stmt.then
    statements = body.statements if isinstance(body, Block) else [body]
    if len(statements) != 1:
        return False
    only = statements[0]
    if isinstance(only, Revert | Throw):
        return True
    return isinstance(only, ExpressionStmt) and is_call_to(only.expr, "revert")
