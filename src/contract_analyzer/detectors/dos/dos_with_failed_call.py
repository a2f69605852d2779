"""Progress that needs a call to a previously stored address to succeed ("King of the
Ether"): the stored address can refuse the call and block everyone (SWC-113)."""

from __future__ import annotations

from collections.abc import Iterator

from contract_analyzer.detectors.base import SECURITY, Confidence, Detector, Issue, Severity
from contract_analyzer.detectors.context import Context
from contract_analyzer.detectors.dos._access import functions_of, open_to_anyone
from contract_analyzer.detectors.dos._calls import Reached, failure_reverts, reached_calls
from contract_analyzer.detectors.dos._exprs import (
    first_key,
    local_definition,
    path_key,
    unwrap_conversion,
)
from contract_analyzer.detectors.dos._loops import enclosing_loop
from contract_analyzer.detectors.dos._state import StatePaths, Write, state_paths
from contract_analyzer.ir.declarations import Contract, Function
from contract_analyzer.ir.nodes import Assignment, Identifier, Variable
from contract_analyzer.ir.render import render

_CALLER_LABELS = frozenset({"msg.sender", "param", "tx.origin"})


class DosWithFailedCall(Detector):
    id = "dos_with_failed_call"
    title = "Denial of service: progress depends on a call to a stored address"
    swc = "SWC-113"
    severity = Severity.HIGH
    confidence = Confidence.HIGH
    types = SECURITY
    description = (
        "The function pays or calls an address that an earlier caller stored (the current "
        "leader, the previous highest bidder) and reverts if that call fails. Whoever is "
        "stored there can be a contract that always rejects the call, so nobody else can "
        "ever get past this point - the game or auction is frozen with that address in place."
    )
    recommendation = (
        "Do not push funds to the previous participant inside the function that replaces "
        "them. Credit the amount (`pendingReturns[previous] += amount`) and let each address "
        "withdraw it in a separate call (pull payments)."
    )
    references = (
        "https://swcregistry.io/docs/SWC-113",
        "https://consensys.github.io/smart-contract-best-practices/attacks/denial-of-service/",
    )

    def detect(self, ctx: Context) -> Iterator[Issue]:
        seen: set[int] = set()
        direct: set[int] = set()  # calls reported in the function that makes them
        for contract in ctx.contracts:
            if contract.kind != "contract":
                continue
            paths: StatePaths | None = None
            candidates: list[tuple[Function, Reached]] = []
            for function in functions_of(ctx, contract):
                index = function.index
                if index is None or function.is_view or function.contract is None:
                    continue
                if function.contract.unit is not ctx.unit:
                    continue
                if not function.is_public or not open_to_anyone(ctx, function):
                    continue
                top = [c for c in index.calls if enclosing_loop(c) is None]
                candidates.extend((function, r) for r in reached_calls(ctx, function, top))
            # a public function reports its own call once; a caller reaching it through an
            # internal call (a fallback forwarding to `buy()`) would only repeat it
            candidates.sort(key=lambda c: c[1].site is not c[1].ext.call)
            for function, reached in candidates:
                if id(reached.site) in seen or id(reached.ext.call) in direct:
                    continue
                if paths is None:
                    paths = state_paths(ctx, contract)
                issue = self._check(ctx, contract, function, reached, paths)
                if issue is not None:
                    seen.add(id(reached.site))
                    if reached.site is reached.ext.call:
                        direct.add(id(reached.ext.call))
                    yield issue

    def _check(
        self,
        ctx: Context,
        contract: Contract,
        function: Function,
        reached: Reached,
        paths: StatePaths,
    ) -> Issue | None:
        ext = reached.ext
        inner_stmt = ext.call.stmt
        if reached.site is not ext.call and inner_stmt is not None and inner_stmt.loop_depth:
            return None
        if ext.kind not in ("transfer", "send", "call", "high_level") or not failure_reverts(ext):
            return None
        owner = reached.target_owner
        target = unwrap_conversion(reached.target)
        if isinstance(target, Identifier) and isinstance(target.ref, Variable):
            if target.ref.kind == "local":
                target = unwrap_conversion(local_definition(owner, target.ref))
        key = path_key(owner, target)
        if key is None:
            return None
        writers = [w for w in paths.anyone_writes(key) if _set_by_caller(ctx, w)]
        if not writers:
            return None
        here = {id(function), *(id(c) for c in ctx.facts(function).callees)}
        replaced_here = any(id(w.function) in here for w in writers)
        if not replaced_here and (not ext.sends_ether or first_key(target) is not None):
            return None  # a per-record address (a listing's seller) only blocks its own record
        name = f"{key[0].name}{'.' + key[1] if key[1] else ''}"
        setters = sorted({w.function.name for w in writers})
        if replaced_here:
            message = (
                f"`{function.name}` replaces the stored `{name}` but reverts unless the call to "
                f"the previous one (`{render(reached.site, max_len=50)}`) succeeds; a contract "
                "that rejects the call can never be replaced."
            )
        else:
            message = (
                f"`{function.name}` reverts unless `{render(reached.site, max_len=50)}` succeeds, "
                f"and anyone can make `{name}` an address that rejects it "
                f"(through {', '.join(f'`{s}`' for s in setters[:3])})."
            )
        severity = Severity.HIGH if replaced_here and ext.sends_ether else Severity.MEDIUM
        confidence = Confidence.HIGH if replaced_here else Confidence.MEDIUM
        return self.issue(
            reached.site, message, function=function, severity=severity, confidence=confidence
        )


def _set_by_caller(ctx: Context, write: Write) -> bool:
    node = write.node
    if not isinstance(node, Assignment) or node.op != "=":
        return False
    return bool(ctx.sources(write.function, node.value) & _CALLER_LABELS)
