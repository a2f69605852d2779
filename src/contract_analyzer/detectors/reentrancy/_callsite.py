"""What an external call can do, judged where the analysed function makes it.

A call inside an inlined helper (``Address.functionCallWithValue(target, data, 0)``)
is judged by the arguments the analysed function passed down: the frames of the
execution order map each helper parameter back to the caller's expression.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from contract_analyzer.detectors.context import Context
from contract_analyzer.ir.facts import ExternalCall
from contract_analyzer.ir.flow import Step, resolve_argument
from contract_analyzer.ir.nodes import Binary, Call, Expr, Literal, Member, Node
from contract_analyzer.ir.taint import is_caller_controlled

# Callbacks a protocol makes on purpose and checks for a magic answer (ERC-721/1155
# receivers, ERC-3156 flash loans, ERC-777 hooks): re-entry there is designed in.
_HOOK_NAME = re.compile(
    r"^on\w*Received$|^onERC\d+\w*$|^onFlashLoan$|^tokensToSend$|^tokensReceived$|^uniswapV\dCall$|Callback$"
)


@dataclass(frozen=True)
class CallSite:
    """The effective target and value of an external call at the analysed function."""

    attacker_target: bool
    sends_ether: bool
    hook: bool


def judge(ctx: Context, ext: ExternalCall, step: Step) -> CallSite:
    owner = ext.owner
    target_labels: frozenset[str] = frozenset()
    if ext.target is not None:
        target, target_owner = resolve_argument(ext.target, owner, step.frame)
        if _unbound_parameter(target, target_owner, step):
            # a helper reached through a summary: we cannot see what was passed down
            return CallSite(False, _sends_ether(ext, step), _is_hook(ext))
        target_labels = ctx.sources(target_owner, target)
        if _is_this(target):
            return CallSite(False, False, False)
    low_level_unknown = ext.is_low_level and not target_labels
    # `routes[id]` / `_lookup(id)` with a caller-chosen key is still a stored address:
    # the caller picks it only if anyone can store one (`_settable_by_anyone`)
    stored = any(label.startswith("state") for label in target_labels)
    attacker = (
        low_level_unknown
        or (is_caller_controlled(target_labels) and not stored)
        or "msg.sender" in target_labels
        or "tx.origin" in target_labels
        or _settable_by_anyone(ctx, step, target_labels)
    )
    return CallSite(attacker, _sends_ether(ext, step), _is_hook(ext))


def _settable_by_anyone(ctx: Context, step: Step, labels: frozenset[str]) -> bool:
    """The target is read from state that a function anyone can call writes (the
    previous bidder, the current king)."""
    names = {label[6:] for label in labels if label.startswith("state:")}
    contract = step.anchor_contract
    if not names or contract is None:
        return False
    for function in contract.callable_functions():
        facts = ctx.facts(function)
        if facts.reachable_by_anyone and any(v.name in names for v in facts.writes_all):
            return True
    return False


def _sends_ether(ext: ExternalCall, step: Step) -> bool:
    if ext.kind in ("send", "transfer"):
        return True
    if ext.value is None:
        return False
    value, value_owner = resolve_argument(ext.value, ext.owner, step.frame)
    if _unbound_parameter(value, value_owner, step):
        return False  # passed down through a summarised helper: unknown, not assumed
    return not (isinstance(value, Literal) and value.int_value() == 0)


def _unbound_parameter(expr: Expr, owner: object, step: Step) -> bool:
    """``expr`` is a parameter of a helper whose call we did not follow (only the
    analysed function's own parameters are known to come from the caller)."""
    from contract_analyzer.ir.nodes import Identifier, Variable

    if not (isinstance(expr, Identifier) and isinstance(expr.ref, Variable)):
        return False
    if expr.ref.kind != "param":
        return False
    root = step.root
    return root is not None and owner is not root


def _is_hook(ext: ExternalCall) -> bool:
    if ext.function_name and _HOOK_NAME.search(ext.function_name):
        return True
    # `require(receiver.onX(...) == MAGIC)`: an answer checked against a constant
    parent: Node | None = ext.call.parent
    if isinstance(parent, Binary) and parent.op in ("==", "!="):
        other = parent.right if parent.left is ext.call else parent.left
        return _constant_like(other)
    return False


def _constant_like(expr: Expr) -> bool:
    if isinstance(expr, Literal):
        return True
    if isinstance(expr, Member) and expr.member == "selector":
        return True
    from contract_analyzer.ir.declarations import StateVariable
    from contract_analyzer.ir.nodes import Identifier

    return (
        isinstance(expr, Identifier) and isinstance(expr.ref, StateVariable) and expr.ref.constant
    )


def _is_this(expr: Expr) -> bool:
    from contract_analyzer.ir.nodes import Identifier

    if isinstance(expr, Call) and expr.kind == "conversion" and len(expr.args) == 1:
        expr = expr.args[0]
    return isinstance(expr, Identifier) and expr.name == "this"
