"""A public initializer that anyone can call, again or first (the Parity wallet takeover)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from contract_analyzer.detectors.access_control._lifecycle import one_shot
from contract_analyzer.detectors.access_control._privilege import privileged_vars
from contract_analyzer.detectors.access_control._util import INITIALIZER_NAME, lowered
from contract_analyzer.detectors.base import SECURITY, Confidence, Detector, Issue, Severity
from contract_analyzer.detectors.context import Context
from contract_analyzer.ir.declarations import Contract, Function
from contract_analyzer.ir.index import is_call_to
from contract_analyzer.ir.nodes import Identifier


class UnprotectedInitializer(Detector):
    id = "unprotected_initializer"
    title = "Unprotected initializer"
    swc = "SWC-105"
    severity = Severity.CRITICAL
    confidence = Confidence.HIGH
    types = SECURITY
    description = (
        "An `init`/`initialize`-style function sets the owners or other privileged state, is "
        "public, checks no caller and has no one-shot guard. Anyone can call it - again, on a "
        "live contract - and make themselves the owner (the 2017 Parity multisig takeover)."
    )
    recommendation = (
        "Make the initializer callable once: a constructor, or an `initializer` modifier / "
        "`require(!initialized); initialized = true;`. For implementation contracts behind a "
        "proxy, also disable initialisation in the constructor (`_disableInitializers()`)."
    )
    references = ("https://swcregistry.io/docs/SWC-105",)

    def detect(self, ctx: Context) -> Iterator[Issue]:
        for contract in ctx.contracts:
            if contract.kind != "contract":
                continue
            for function in contract.functions:
                if (
                    function.body is None
                    or not function.is_public
                    or not INITIALIZER_NAME.match(function.name)
                ):
                    continue
                issue = self._check(ctx, contract, function)
                if issue is not None:
                    yield issue

    def _check(self, ctx: Context, contract: Contract, function: Function) -> Issue | None:
        facts = ctx.facts(function)
        if not facts.reachable_by_anyone:
            return None
        privileged = privileged_vars(ctx, contract)
        written = sorted((v for v in facts.writes_all if v in privileged), key=lambda v: v.name)
        helpers = _owner_setup_calls(function)
        if not written and not helpers:
            return None
        names = ", ".join([f"`{v.name}`" for v in written[:3]] + helpers[:2])
        if not one_shot(ctx, function):
            severity, confidence, note = lowered([function], self.severity, self.confidence)
            return self.issue(
                None,
                f"Anyone can call `{function.name}` at any time and set {names}: nothing checks "
                f"the caller and nothing stops a second initialisation{note}.",
                line=function.line,
                function=function,
                severity=severity,
                confidence=confidence,
            )
        destroyer = _privileged_destroyer(ctx, contract)
        if destroyer is None or _has_constructor(contract):
            return None
        return self.issue(
            None,
            f"`{function.name}` runs only once, but no constructor runs it: on a deployed "
            f"instance nobody initialised (a library or proxy implementation) anyone can call "
            f"it first, set {names}, then reach `{destroyer}` (selfdestruct/delegatecall).",
            line=function.line,
            function=function,
            severity=Severity.MEDIUM,
            confidence=Confidence.MEDIUM,
        )


def _has_constructor(contract: Contract) -> bool:
    return any(
        f.kind == "constructor"
        for base in contract.linearization or [contract]
        for f in base.functions
    )


def _privileged_destroyer(ctx: Context, contract: Contract) -> str | None:
    """A guarded function that can destroy the code or run foreign code in its place."""
    for function in contract.callable_functions():
        facts = ctx.facts(function)
        if not facts.is_protected:
            continue
        if any(e.kind in ("delegatecall", "callcode") for e in facts.calls_out_all):
            return function.name
        for owner in (function, *facts.callees):
            index = owner.index
            if index is not None and any(
                is_call_to(c, "selfdestruct", "suicide") for c in index.calls
            ):
                return function.name
    return None


_OWNER_SETUP = re.compile(
    r"^(__\w*(Ownable|AccessControl|Owned|Auth)\w*_init(_unchained)?|_transferOwnership"
    r"|_grantRole|_setupRole|_setOwner|_initializeOwner)$"
)
"""Inherited helpers that set the owner or roles. Upgradeable bases (OpenZeppelin 5
keeps their state in namespaced storage slots the IR cannot name, and single files
often do not have the base at all) are seen through these calls."""


def _owner_setup_calls(function: Function) -> list[str]:
    """The owner/role helpers the function calls directly, as ``owner (via `f`)``."""
    index = function.index
    if index is None:
        return []
    found: list[str] = []
    for call in index.calls:
        callee = call.callee
        if isinstance(callee, Identifier) and _OWNER_SETUP.match(callee.name):
            text = f"the owner or roles (via `{callee.name}`)"
            if text not in found:
                found.append(text)
    return found
