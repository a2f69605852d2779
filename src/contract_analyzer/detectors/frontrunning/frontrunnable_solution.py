"""A reward for the first sender of a secret's preimage, readable in the mempool
(SWC-114)."""

from __future__ import annotations

from collections.abc import Iterator

from contract_analyzer.detectors.base import SECURITY, Confidence, Detector, Issue, Severity
from contract_analyzer.detectors.context import Context
from contract_analyzer.detectors.dos._access import open_to_anyone
from contract_analyzer.detectors.dos._calls import reached_calls
from contract_analyzer.detectors.dos._exprs import (
    first_key,
    is_sender,
    path_key,
)
from contract_analyzer.detectors.frontrunning._hashes import (
    check_before,
    commit_reveal,
    hash_check,
    puzzle_check,
)
from contract_analyzer.ir.declarations import Function
from contract_analyzer.ir.nodes import (
    Binary,
)
from contract_analyzer.ir.render import render

_TOKEN_PAYOUTS = ("transfer", "safeTransfer", "mint", "safeMint", "transferFrom")


class FrontrunnableSolution(Detector):
    id = "frontrunnable_solution"
    title = "Reward for a secret answer can be front-run"
    swc = "SWC-114"
    severity = Severity.HIGH
    confidence = Confidence.MEDIUM
    types = SECURITY
    description = (
        "The function rewards whoever submits a value whose hash matches a stored hash (or "
        "whose arithmetic hits a stored target, such as the factors of a number). The "
        "answer travels in the clear in the pending transaction, so anyone watching the "
        "mempool can copy it and submit it with a higher gas price to take the reward."
    )
    recommendation = (
        "Use commit-reveal: first accept a commitment `keccak256(abi.encode(answer, "
        "msg.sender, salt))`, then, in a later block, the reveal checked against the "
        "caller's own commitment. Binding the answer to `msg.sender` in the hash also stops "
        "copying."
    )
    references = ("https://swcregistry.io/docs/SWC-114",)

    def detect(self, ctx: Context) -> Iterator[Issue]:
        for function in ctx.functions():
            index = function.index
            if index is None or function.is_view or not function.is_public:
                continue
            if not isinstance(function, Function) or not open_to_anyone(ctx, function):
                continue
            checks = [
                b
                for b in index.binaries
                if b.op == "==" and (hash_check(ctx, function, b) or puzzle_check(function, b))
            ]
            if not checks or commit_reveal(ctx, function):
                continue
            issue = self._payout(ctx, function, checks)
            if issue is not None:
                yield issue

    def _payout(self, ctx: Context, function: Function, checks: list[Binary]) -> Issue | None:
        index = function.index
        assert index is not None
        for reached in reached_calls(ctx, function, index.calls, depth=1):
            ext = reached.ext
            pays = ext.sends_ether and is_sender(reached.target)
            tokens = (
                ext.kind == "high_level"
                and reached.site is ext.call
                and (ext.function_name or "").startswith(_TOKEN_PAYOUTS)
                and any(is_sender(a) for a in ext.call.args)
            )
            check = check_before(function, reached.site.stmt, checks)
            if (pays or tokens) and check is not None:
                what = "ether" if pays else "tokens"
                return self.issue(
                    check,
                    self._message(function, check, f"pays {what} to `msg.sender`"),
                    function=function,
                )
        for assignment in index.assignments:
            target = assignment.target
            if path_key(function, target) is None:
                continue
            if is_sender(assignment.value):
                effect = f"records `msg.sender` as `{render(target, max_len=30)}`"
            elif assignment.op == "+=" and is_sender(first_key(target)):
                effect = f"credits `{render(target, max_len=30)}`"
            else:
                continue
            check = check_before(function, assignment.stmt, checks)
            if check is not None:
                return self.issue(
                    check,
                    self._message(function, check, effect),
                    function=function,
                    severity=Severity.MEDIUM,
                )
        return None

    @staticmethod
    def _message(function: Function, check: Binary, effect: str) -> str:
        return (
            f"`{function.name}` {effect} once `{render(check, max_len=60)}` holds; the answer is "
            "visible in the pending transaction, so a front-runner can copy it and claim first."
        )
