"""State written after an external call that can re-enter (SWC-107)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import PurePath

from contract_analyzer.detectors.base import SECURITY, Confidence, Detector, Issue, Severity
from contract_analyzer.detectors.context import Context
from contract_analyzer.detectors.reentrancy._callsite import judge
from contract_analyzer.detectors.reentrancy._mint_hook import hook_call, is_receiver_hook, mints
from contract_analyzer.detectors.reentrancy._reach import open_to_users
from contract_analyzer.ir.access import is_self_update
from contract_analyzer.ir.declarations import Callable, Contract, Function, StateVariable
from contract_analyzer.ir.facts import ExternalCall
from contract_analyzer.ir.flow import Step, execution_order
from contract_analyzer.ir.index import facts_of
from contract_analyzer.ir.nodes import Assignment, Call, Expr, Identifier, Literal, Member, Update
from contract_analyzer.ir.render import render
from contract_analyzer.ir.resolve import dotted_name


@dataclass(eq=False)
class _Hit:
    call: ExternalCall
    step: Step
    read_before: set[StateVariable] = field(default_factory=set)
    locks: set[StateVariable] = field(default_factory=set)
    writes: dict[StateVariable, int] = field(default_factory=dict)
    grows: set[StateVariable] = field(default_factory=set)  # only credited after the call


class _BodyFacts:
    """Per-body lookups from node to the facts about it."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self._cache: dict[
            int,
            tuple[
                dict[int, ExternalCall], dict[int, list[StateVariable]], dict[int, StateVariable]
            ],
        ] = {}

    def get(
        self, owner: Callable
    ) -> tuple[dict[int, ExternalCall], dict[int, list[StateVariable]], dict[int, StateVariable]]:
        cached = self._cache.get(id(owner))
        if cached is None:
            facts = self.ctx.facts(owner)
            calls = {id(e.call): e for e in facts.external_calls}
            writes: dict[int, list[StateVariable]] = {}
            for access in facts.state_writes:
                writes.setdefault(id(access.node), []).append(access.var)
            reads = {id(a.node): a.var for a in facts.state_reads}
            cached = (calls, writes, reads)
            self._cache[id(owner)] = cached
        return cached


class Reentrancy(Detector):
    id = "reentrancy"
    title = "Reentrancy: state written after an external call"
    swc = "SWC-107"
    severity = Severity.CRITICAL
    confidence = Confidence.HIGH
    types = SECURITY
    description = (
        "The function makes an external call that hands control to another contract and only "
        "then updates its own state. The callee can call back into this contract while the state "
        "is stale - for example withdraw again before the balance is reduced."
    )
    recommendation = (
        "Follow checks-effects-interactions: update all state before the external call, or guard "
        "the function (and every function that reads the same state) with a reentrancy lock such "
        "as OpenZeppelin's `nonReentrant`."
    )
    references = ("https://swcregistry.io/docs/SWC-107",)

    def detect(self, ctx: Context) -> Iterator[Issue]:
        lookups = _BodyFacts(ctx)
        for contract in ctx.contracts:
            if contract.kind != "contract":
                continue
            readers = _state_readers(ctx, contract)
            for function in contract.functions:
                if function.body is None or not function.is_public:
                    continue
                facts = ctx.facts(function)
                if not facts.writes_all or not open_to_users(ctx, function):
                    continue
                if not any(e.can_reenter for e in facts.calls_out_all) and not mints(
                    function, facts.callees
                ):
                    continue
                yield from self._check(ctx, contract, function, lookups, readers)

    def _check(
        self,
        ctx: Context,
        contract: Contract,
        function: Function,
        lookups: _BodyFacts,
        readers: dict[StateVariable, list[Function]],
    ) -> Iterator[Issue]:
        hits: dict[int, tuple[int, _Hit]] = {}  # one per call site, at its first position
        # var -> (position, line, whether the write only adds to it)
        writes_at: dict[StateVariable, list[tuple[int, int, bool]]] = {}
        read_so_far: set[StateVariable] = set()
        written_so_far: set[StateVariable] = set()
        covered: set[int] = set()  # helpers whose calls a summary already brought in
        lock_sets = _lock_flag_writes(ctx, function)
        for position, step in enumerate(execution_order(function)):
            calls, writes, reads = lookups.get(step.owner)
            node_id = id(step.node)
            var = reads.get(node_id)
            if var is not None:
                read_so_far.add(var)
            step_writes = list(writes.get(node_id, ())) if node_id not in lock_sets else []
            step_calls = [calls[node_id]] if node_id in calls else []
            if (
                step.summarized
                and isinstance(step.node, Call)
                and isinstance(step.node.target, Function)
            ):
                # a helper too deep to inline: its effects, writes before calls (the cautious order)
                target = step.node.target
                summary = ctx.facts(target)
                read_so_far |= summary.reads_all
                step_writes.extend(summary.writes_all)
                if id(target) not in covered:  # its calls count from their first position
                    covered.add(id(target))
                    covered.update(id(c) for c in summary.callees)
                    step_calls.extend(summary.calls_out_all)
            if isinstance(step.node, Call) and not step.summarized:
                token_hook = hook_call(step.node, step.owner)  # an unresolved `_safeMint(to, id)`
                if token_hook is not None:
                    step_calls.append(token_hook)
            grows = not step.summarized and _only_adds(step.node)
            for written in step_writes:
                written_so_far.add(written)
                writes_at.setdefault(written, []).append((position, step.node.line, grows))
            for ext in step_calls:
                if id(ext.call) not in hits and ext.can_reenter:
                    # a flag checked and set before the call is a lock: resetting it after is fine
                    hit = _Hit(ext, step, set(read_so_far), read_so_far & written_so_far)
                    hits[id(ext.call)] = (position, hit)
        for position, hit in hits.values():
            for var, positions in writes_at.items():
                if var in hit.locks:
                    continue
                later = [(line, grows) for pos, line, grows in positions if pos > position]
                if later:
                    hit.writes[var] = later[0][0]
                    if all(grows for _, grows in later):
                        hit.grows.add(var)
        guarded = ctx.facts(function).reentrancy_guarded
        for _, hit in sorted(hits.values(), key=lambda item: item[0]):
            if not hit.writes:
                continue
            locked = guarded or _locked_by_helper(ctx, hit.step)
            issue = self._issue_for(ctx, contract, function, hit, locked, readers)
            if issue is not None:
                yield issue

    def _issue_for(
        self,
        ctx: Context,
        contract: Contract,
        function: Function,
        hit: _Hit,
        guarded: bool,
        readers: dict[StateVariable, list[Function]],
    ) -> Issue | None:
        ext = hit.call
        site = judge(ctx, ext, hit.step)
        stale: list[StateVariable] = []
        cross: list[str] = []
        for var in hit.writes:
            other_readers = [
                f
                for f in readers.get(var, [])
                if f is not function and not (guarded and ctx.facts(f).reentrancy_guarded)
            ]
            if (
                var in hit.grows
                and var not in hit.read_before
                and not (other_readers and (site.attacker_target or site.sends_ether))
            ):
                # credited after the call (`deposits[a] += v` once the contract's own
                # token arrived) and nothing here decided on it: re-entry sees less, not more
                continue
            if not guarded and (var in hit.read_before or var.effective_visibility == "public"):
                stale.append(var)
            elif other_readers:
                stale.append(var)
                cross.extend(f.name for f in other_readers[:3])
            elif not guarded and var in ctx.facts(function).reads_all:
                stale.append(var)
        if not stale:
            return None
        owner = ext.owner
        attacker_target, sends_ether = site.attacker_target, site.sends_ether
        own_result = _stores_own_result(ext.call, [hit.writes[v] for v in stale])
        token_hook = is_receiver_hook(ext)
        if token_hook:
            # a mint/transfer calling the recipient's hook: re-entry mints past a limit
            # the function checked on state it only updates afterwards
            decided = attacker_target and any(v in hit.read_before for v in stale)
            severity = Severity.HIGH if decided and not guarded else Severity.MEDIUM
            confidence = Confidence.MEDIUM
        elif own_result and not attacker_target and not sends_ether:
            # `s_id = coordinator.request()`: the write cannot come before the call
            severity, confidence = Severity.LOW, Confidence.LOW
        elif guarded or site.hook:
            # a designed callback (checked for a magic answer) or a locked function
            severity, confidence = (
                Severity.MEDIUM,
                Confidence.LOW if site.hook else Confidence.MEDIUM,
            )
        elif sends_ether and attacker_target:
            severity, confidence = Severity.CRITICAL, Confidence.HIGH
        elif attacker_target:
            severity, confidence = Severity.HIGH, Confidence.MEDIUM
        else:
            severity, confidence = Severity.MEDIUM, Confidence.LOW
        names = ", ".join(f"`{v.name}` (line {hit.writes[v]})" for v in stale[:4])
        here = owner.contract is not None and owner.contract.unit is ctx.unit
        location = ext.call if here else hit.step.anchor
        via = "" if here else f" (through `{owner.qualified_name}`, {_file_name(owner)}:{ext.line})"
        if token_hook:  # reported where the analysed function mints, not inside the token
            here, owner, via = True, function, ""
            location = hit.step.anchor if hit.step.anchor is not None else ext.call
        call_text = render(location if isinstance(location, Expr) else ext.call, max_len=60)
        message = (
            f"`{call_text}`{via} hands control to "
            f"{'an address the caller chooses' if attacker_target else 'another contract'}"
            f"{' together with ether' if sends_ether else ''} before {names} "
            f"{'is' if len(stale) == 1 else 'are'} updated. A re-entrant call into `{function.name}`"
        )
        if cross:
            message += f" or into {', '.join(f'`{n}`' for n in sorted(set(cross)))}"
        message += " sees the old value."
        if token_hook:
            message += (
                f" `{ext.function_name}` runs on the recipient in the middle of `{function.name}`;"
                " update the counters first or add a reentrancy lock."
            )
        elif site.hook:
            message += " The call is a callback the protocol makes on purpose; make sure every function it can reach is safe to run at that point."
        elif guarded:
            message += " The function has a reentrancy lock, but the functions named above do not."
        return self.issue(
            location,
            message,
            severity=severity,
            confidence=confidence,
            contract=(owner.contract if here else function.contract) or contract,
            function=owner if here else function,
        )


def _stores_own_result(call: Call, lines: list[int]) -> bool:
    """Every late write is ``x = call(...)``, storing this call's own result."""
    node = call.parent
    return (
        isinstance(node, Assignment)
        and node.op == "="
        and node.value is call
        and all(line == node.line for line in lines)
    )


def _locked_by_helper(ctx: Context, step: Step) -> bool:
    """The call runs inside an internal helper that takes the reentrancy lock itself
    (``function _joinOrExit(...) private nonReentrant``): a re-entry reaches the lock."""
    anchor = step.anchor
    if anchor is None or anchor is step.node:
        return False
    for node in anchor.walk():
        if isinstance(node, Call) and isinstance(node.target, Function):
            if node.kind == "internal" and ctx.facts(node.target).reentrancy_guarded:
                return True
    return False


def _lock_flag_writes(ctx: Context, function: Function) -> set[int]:
    """Assignments of `true`/`false` to a flag a modifier of ``function`` checks before
    ``_`` (``s_config.reentrancyLock = true;`` around a loop of calls): the lock itself,
    not state a re-entrant call could see stale."""
    checked: set[str] = set()
    for modifier in ctx.facts(function).modifiers:
        index = modifier.index
        if index is None or not index.placeholders:
            continue
        for expr, _truth in facts_of(index.placeholders[0].conditions):
            checked.update(dotted_name(n) for n in expr.walk() if isinstance(n, Member))
    checked.discard("")  # not a plain chain (`offers[id].open`)
    if not checked or function.index is None:
        return set()
    return {
        id(a)
        for a in function.index.assignments
        if a.op == "="
        and isinstance(a.value, Literal)
        and a.value.value in ("true", "false")
        and dotted_name(a.target) in checked
    }


def _state_readers(ctx: Context, contract: Contract) -> dict[StateVariable, list[Function]]:
    """For each state variable, the state-changing functions anyone can call that read it
    to decide something (a read that only updates the variable itself, like
    ``balances[a] += v``, does not count)."""
    readers: dict[StateVariable, list[Function]] = {}
    for function in contract.callable_functions():
        facts = ctx.facts(function)
        if function.is_view or not function.is_public or not open_to_users(ctx, function):
            continue  # a private helper is re-entered only through its public callers
        decided: set[StateVariable] = set()
        for body in (function, *facts.callees):
            for access in ctx.facts(body).state_reads:
                node = access.node
                if isinstance(node, Identifier) and not is_self_update(node):
                    decided.add(access.var)
        for var in decided:
            readers.setdefault(var, []).append(function)
    return readers


def _only_adds(node: object) -> bool:
    """``x += v`` / ``x++`` / ``++x``: the write only increases the stored value."""
    if isinstance(node, Update):
        return node.op == "++"
    return isinstance(node, Assignment) and node.op == "+="


def _file_name(callable_: Callable) -> str:
    """The file name (not the whole path) a helper is declared in."""
    unit = callable_.contract.unit if callable_.contract is not None else None
    return PurePath(unit.path).name if unit is not None else "?"
