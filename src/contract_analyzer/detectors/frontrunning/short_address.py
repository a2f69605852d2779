"""Pre-0.5 token transfer functions without a calldata length check (short address)."""

from __future__ import annotations

from collections.abc import Iterator

from contract_analyzer.detectors.base import SECURITY, Confidence, Detector, Issue, Severity
from contract_analyzer.detectors.context import Context
from contract_analyzer.ir.declarations import Callable, Function
from contract_analyzer.ir.nodes import Expr, Identifier, Index, Variable
from contract_analyzer.ir.resolve import dotted_name

# name -> number of leading address parameters before the amount
_TOKEN_FUNCTIONS = {"transfer": 1, "transferFrom": 2}


class ShortAddress(Detector):
    id = "short_address"
    title = "Short address attack: no calldata length check"
    swc = None
    severity = Severity.LOW
    confidence = Confidence.MEDIUM
    types = SECURITY
    description = (
        "Compilers before 0.5.0 accept calldata shorter than the parameters need and pad it "
        "with zeros. A client that sends a truncated recipient address to this token "
        "`transfer` shifts the amount left by the missing bytes, moving far more tokens than "
        "the user intended."
    )
    recommendation = (
        "Compile with Solidity 0.5.0 or later, which rejects short calldata, or check "
        "`msg.data.length` in a modifier (`require(msg.data.length >= size + 4)`) on "
        "functions that take an address followed by an amount."
    )
    references = ("https://docs.soliditylang.org/en/v0.5.0/050-breaking-changes.html",)

    def detect(self, ctx: Context) -> Iterator[Issue]:
        if not ctx.allows_legacy((0, 5, 0)):
            return
        for contract in ctx.contracts:
            if contract.kind != "contract":
                continue
            for function in contract.functions:
                if not _token_signature(function) or function.body is None:
                    continue
                if _checks_length(ctx, function):
                    continue
                message = (
                    f"`{function.signature}` takes an address followed by an amount and never "
                    "checks `msg.data.length`; with a pre-0.5 compiler a truncated address "
                    "shifts the amount and transfers far more than intended."
                )
                yield self.issue(None, message, line=function.line, function=function)


def _token_signature(function: Function) -> bool:
    """``transfer(address,uint)``/``transferFrom(address,address,uint)``, or any public
    function shaped like them that moves a balance to the address it is given."""
    params = function.params
    if not function.is_public or len(params) not in (2, 3):
        return False
    types = [p.type_name for p in params]
    amount = types[-1]
    if amount is None or not amount.is_integer:
        return False
    if not all(t is not None and t.is_address for t in types[:-1]):
        return False
    if _TOKEN_FUNCTIONS.get(function.name) == len(params) - 1:
        return True
    return _moves_balance(function, params[-2], params[-1], 0)


def _moves_balance(function: Function, to: Variable, amount: Variable, depth: int) -> bool:
    """``balances[to] += amount`` together with a debit (``-=``) of another entry, here or
    in an internal helper it hands ``to`` and ``amount`` to."""
    index = function.index
    if index is None:
        return False
    credit = debit = False
    for assignment in index.assignments:
        target = assignment.target
        if not isinstance(target, Index) or not _uses(assignment.value, amount):
            continue
        if assignment.op == "+=" and _uses(target.index, to):
            credit = True
        elif assignment.op == "-=":
            debit = True
    if credit and debit:
        return True
    if depth > 0:
        return False
    for call in index.calls:
        callee = call.target
        if call.kind != "internal" or not isinstance(callee, Function):
            continue
        inner_to = inner_amount = None
        for arg, param in zip(call.args, callee.params, strict=False):
            if isinstance(arg, Identifier) and arg.ref is to:
                inner_to = param
            elif isinstance(arg, Identifier) and arg.ref is amount:
                inner_amount = param
        if inner_to is not None and inner_amount is not None:
            if _moves_balance(callee, inner_to, inner_amount, depth + 1):
                return True
    return False


def _uses(expr: Expr | None, var: Variable) -> bool:
    return expr is not None and any(isinstance(n, Identifier) and n.ref is var for n in expr.walk())


def _checks_length(ctx: Context, function: Function) -> bool:
    facts = ctx.facts(function)
    bodies: list[Callable] = [function, *facts.modifiers, *facts.callees]
    for body in bodies:
        index = body.index
        if index is None:
            continue
        if any(dotted_name(m) == "msg.data.length" for m in index.members):
            return True
        for assembly in index.assemblies:
            if any(call.name == "calldatasize" for call in assembly.calls):
                return True
    return False
