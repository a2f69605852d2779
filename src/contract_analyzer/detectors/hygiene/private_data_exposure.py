"""A "private" state variable holds a secret, but everything on-chain is public (SWC-136)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from contract_analyzer.detectors.base import SECURITY, Confidence, Detector, Issue, Severity
from contract_analyzer.detectors.context import Context
from contract_analyzer.ir.declarations import Function, StateVariable
from contract_analyzer.ir.nodes import Call, Expr, Identifier
from contract_analyzer.ir.taint import is_caller_controlled
from contract_analyzer.ir.types import TypeName

_SECRET = frozenset(
    {"password", "passwd", "passcode", "passphrase", "secret", "seed", "salt", "answer",
     "hidden", "mnemonic", "solution", "pin", "privkey", "privatekey", "secretkey"}
)  # fmt: skip
_NOT_SECRET = frozenset(
    {"hash", "hashed", "commit", "commitment", "price", "fee", "cost", "round", "time",
     "timestamp", "deadline", "count", "index", "length", "id", "total", "nonce", "amount"}
)  # fmt: skip
_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")


class PrivateDataExposure(Detector):
    id = "private_data_exposure"
    title = "Secret stored in a private variable"
    swc = "SWC-136"
    severity = Severity.LOW
    confidence = Confidence.MEDIUM
    types = SECURITY
    description = (
        "A state variable marked `private` or `internal` appears to hold a secret (a password, "
        "seed, salt or the answer of a game) or is compared with values callers guess. "
        "`private` only hides a variable from other contracts: anyone can read every storage "
        "slot (`eth_getStorageAt`) and every transaction's inputs, so the secret is public."
    )
    recommendation = (
        "Never store secrets on-chain. Use a commit-reveal scheme (store only a salted hash, "
        "reveal later) or keep the secret off-chain and verify a signature."
    )
    references = ("https://swcregistry.io/docs/SWC-136",)

    def detect(self, ctx: Context) -> Iterator[Issue]:
        checks = _guess_checks(ctx)
        for contract in ctx.contracts:
            for var in contract.state_variables:
                if var.visibility == "public" or not _secret_type(var.type_name):
                    continue
                words = _words(var.name)
                if words & _NOT_SECRET:
                    continue
                check = checks.get(id(var))
                named = bool(words & _SECRET) or words == {"key"}
                if not named and check is None:
                    continue
                if named:
                    message = (
                        f"`{var.name}` is `{var.effective_visibility}`, but its name says it is a "
                        "secret: every storage slot can be read off-chain."
                    )
                else:
                    message = (
                        f"`{var.name}` is `{var.effective_visibility}` yet callers are paid for "
                        "guessing it: anyone can read the value from storage."
                    )
                if check is not None:
                    message += f" It is compared with caller input on line {check}."
                yield self.issue(
                    None,
                    message,
                    line=var.line,
                    contract=contract,
                    severity=Severity.MEDIUM if check is not None else Severity.LOW,
                    confidence=Confidence.MEDIUM if named else Confidence.LOW,
                )


def _words(name: str) -> set[str]:
    words = {w.lower() for w in _WORD.findall(name)}
    joined = "".join(w.lower() for w in _WORD.findall(name))
    for combo in ("privatekey", "secretkey", "privkey"):
        if combo in joined:
            words.add(combo)
    return words


def _secret_type(t: TypeName) -> bool:
    while t.kind in ("mapping", "array"):
        inner = t.value if t.kind == "mapping" else t.base
        if inner is None:
            return False
        t = inner
    return t.kind == "elementary" and not t.is_address and not t.is_bool


def _guess_checks(ctx: Context) -> dict[int, int]:
    """State variables compared for equality with caller input in a function that pays
    out, mapped to the line of the comparison."""
    found: dict[int, int] = {}
    for function in ctx.functions():
        facts = ctx.facts(function)
        if not (facts.ether_out or any(c.sends_ether for c in facts.calls_out_all)):
            continue
        index = function.index
        if index is None:
            continue
        for binary in index.binaries:
            if binary.op not in ("==", "!="):
                continue
            for side, other in ((binary.left, binary.right), (binary.right, binary.left)):
                var = _state_operand(side)
                if var is not None and _is_guess(ctx, function, other):
                    found.setdefault(id(var), binary.line)
    return found


def _state_operand(expr: Expr) -> StateVariable | None:
    """A plain state variable (not a mapping entry: balances and allowances are not
    secrets) on one side of the comparison, possibly hashed."""
    while isinstance(expr, Call) and expr.kind == "builtin" and len(expr.args) == 1:
        expr = expr.args[0]
    if isinstance(expr, Identifier) and isinstance(expr.ref, StateVariable):
        return expr.ref if expr.ref.type_name.kind == "elementary" else None
    return None


def _is_guess(ctx: Context, function: Function, expr: Expr) -> bool:
    labels = ctx.sources(function, expr)
    return is_caller_controlled(labels) and "msg.value" not in labels
