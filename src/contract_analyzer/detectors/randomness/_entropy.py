"""Where a "random" value comes from.

:class:`Entropy` follows an expression through locals and internal calls and records
the block values it uses - directly (``block.timestamp % 2``) or through a hash
(``keccak256(abi.encodePacked(block.difficulty, now))``) - and stored seeds: state
variables assigned from such a hash or from a hash of themselves, which anyone can read
no matter their visibility. Chainlink-VRF-style callbacks (``fulfillRandomness``,
``fulfillRandomWords``) and the state they store are trusted randomness.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from contract_analyzer.detectors.context import Context
from contract_analyzer.ir.access import root_state_variable
from contract_analyzer.ir.builtins import Builtin
from contract_analyzer.ir.declarations import Callable, Contract, Function, StateVariable
from contract_analyzer.ir.nodes import (
    Assignment,
    Call,
    Expr,
    Identifier,
    Literal,
    Member,
    Node,
    Update,
    Variable,
)
from contract_analyzer.ir.resolve import dotted_name
from contract_analyzer.ir.taint import block_labels

_HASHES = frozenset({"keccak256", "sha3", "sha256", "ripemd160"})
_BLOCK_MEMBERS = {
    "block.timestamp": "block.timestamp",
    "block.number": "block.number",
    "block.difficulty": "block.difficulty",
    "block.prevrandao": "block.difficulty",
    "block.coinbase": "block.coinbase",
    "block.gaslimit": "block.gaslimit",
}
_MAX_DEPTH = 3


def is_vrf_callback(fn: Callable) -> bool:
    name = fn.name.lower()
    return name.startswith(("fulfillrandom", "rawfulfillrandom"))


@dataclass(eq=False)
class EntropyInfo:
    """``direct``: block values used as they are; ``hashed``: block values and seeds fed
    to a hash; ``origin``: where the weak value is made; ``vrf``: mixes in VRF output."""

    direct: set[str] = field(default_factory=set)
    hashed: set[str] = field(default_factory=set)
    seeds: set[str] = field(default_factory=set)
    origin: Node | None = None
    origin_owner: Callable | None = None
    vrf: bool = False

    @property
    def weak(self) -> bool:
        return bool(self.hashed or self.seeds) and not self.vrf


class Entropy:
    """Memoised entropy questions for one detector run."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self._defs: dict[int, dict[Variable, list[Expr]]] = {}
        self._contract: dict[int, tuple[set[str], set[str]]] = {}
        self._relevant: dict[tuple[int, bool], bool] = {}
        self._mentions: dict[int, bool] = {}
        self._counters: dict[int, set[str]] = {}

    def of(self, fn: Callable, expr: Expr | None) -> EntropyInfo:
        info = EntropyInfo()
        if expr is not None:
            self._walk(fn, expr, info, 0, set(), None)
        return info

    # ------------------------------------------------------------------ walking
    def _walk(
        self,
        fn: Callable,
        expr: Expr,
        info: EntropyInfo,
        depth: int,
        seen: set[int],
        self_seed: str | None,
    ) -> None:
        contract = fn.contract
        seeds = self.seeds(contract) | self.counters(contract) if self_seed is None else set()
        vrf = self.vrf_states(contract)
        stack: list[Node] = [expr]
        while stack:
            node = stack.pop()
            if isinstance(node, Call) and _is_hash(node):
                labels: set[str] = {"blockhash"} if _is_blockhash(node) else set()
                for arg in node.args:
                    labels |= self.ctx.sources(fn, arg)
                states = {lb[6:] for lb in labels if lb.startswith("state:")}
                found = block_labels(frozenset(labels)) - {"block"}
                found_seeds = states & (seeds | ({self_seed} if self_seed else set()))
                info.vrf |= bool(states & vrf)
                if found or found_seeds:
                    info.hashed |= found | {f"state:{s}" for s in found_seeds}
                    self._origin(info, node, fn)
                continue
            if isinstance(node, Member):
                label = _BLOCK_MEMBERS.get(dotted_name(node))
                if label is not None:
                    info.direct.add(label)
                    self._origin(info, node, fn)
                    continue
            if isinstance(node, Identifier):
                ref = node.ref
                if isinstance(ref, Builtin) and ref.name == "now":
                    info.direct.add("block.timestamp")
                    self._origin(info, node, fn)
                elif isinstance(ref, Variable) and id(ref) not in seen:
                    seen.add(id(ref))
                    stack.extend(self.definitions(fn).get(ref, ()))
                elif isinstance(ref, StateVariable):
                    if ref.name in seeds:
                        info.seeds.add(ref.name)
                        self._origin(info, node, fn)
                    info.vrf |= ref.name in vrf
                continue
            if isinstance(node, Call) and depth < _MAX_DEPTH:
                target = node.target
                if node.kind in ("internal", "library") and isinstance(target, Function):
                    for ret in target.index.returns if target.index else ():
                        if ret.value is not None:
                            self._walk(target, ret.value, info, depth + 1, seen, self_seed)
            stack.extend(node.children())

    @staticmethod
    def _origin(info: EntropyInfo, node: Node, fn: Callable) -> None:
        if info.origin is None:
            info.origin, info.origin_owner = node, fn

    def _mentions_block(self, fn: Callable) -> bool:
        found = self._mentions.get(id(fn))
        if found is None:
            found = _mentions_block(fn)
            self._mentions[id(fn)] = found
        return found

    def relevant(self, fn: Callable, *, seeds: bool = True) -> bool:
        """Cheap pre-check: the body (or code it calls) mentions a block value, or a
        stored seed when ``seeds``."""
        key = (id(fn), seeds)
        found = self._relevant.get(key)
        if found is None:
            bodies = [fn, *self.ctx.facts(fn).callees]
            found = any(self._mentions_block(body) for body in bodies)
            if not found and seeds:
                stored = self.seeds(fn.contract)
                if any(_hashes(body) for body in bodies):
                    stored = stored | self.counters(fn.contract)
                found = bool(stored) and any(v.name in stored for v in self.ctx.facts(fn).reads_all)
            self._relevant[key] = found
        return found

    # ------------------------------------------------------------------ per body / contract
    def definitions(self, fn: Callable) -> dict[Variable, list[Expr]]:
        found = self._defs.get(id(fn))
        if found is None:
            found = {}
            index = fn.index
            for var in index.locals if index else ():
                value = getattr(var.parent, "value", None)
                if isinstance(value, Expr) and not getattr(var.parent, "is_tuple", True):
                    found.setdefault(var, []).append(value)
            for assignment in index.assignments if index else ():
                target = assignment.target
                if isinstance(target, Identifier) and isinstance(target.ref, Variable):
                    found.setdefault(target.ref, []).append(assignment.value)
            self._defs[id(fn)] = found
        return found

    def seeds(self, contract: Contract | None) -> set[str]:
        """State variables assigned a hash of block values or of themselves."""
        return self._stored(contract)[0]

    def counters(self, contract: Contract | None) -> set[str]:
        """Integer state only ever stepped by constants (``nonce++``, ``round += 1``):
        a hash of it adds nothing anyone cannot read (a seed only inside a hash)."""
        if contract is None:
            return set()
        found = self._counters.get(id(contract))
        if found is None:
            stepped: set[str] = set()
            other: set[str] = set()
            for fn in contract.callable_functions():
                for write in self.ctx.facts(fn).state_writes:
                    var = write.var
                    if var.constant or var.type_name is None or not var.type_name.is_integer:
                        continue
                    (stepped if _steps(write.node) else other).add(var.name)
            found = stepped - other
            self._counters[id(contract)] = found
        return found

    def vrf_states(self, contract: Contract | None) -> set[str]:
        """State variables written by a VRF callback (trusted randomness)."""
        return self._stored(contract)[1]

    def _stored(self, contract: Contract | None) -> tuple[set[str], set[str]]:
        if contract is None:
            return set(), set()
        found = self._contract.get(id(contract))
        if found is None:
            seeds: set[str] = set()
            vrf: set[str] = set()
            found = (seeds, vrf)
            self._contract[id(contract)] = found  # recursion guard while computing
            functions = contract.callable_functions()
            if not any(_hashes(f) or is_vrf_callback(f) for f in functions):
                return found
            assignments = _state_assignments(self.ctx, functions)
            vrf.update(var.name for fn, _a, var in assignments if is_vrf_callback(fn))
            hashing = {
                id(fn)
                for fn, _a, _v in assignments
                if any(_hashes(body) for body in (fn, *self.ctx.facts(fn).callees))
            }
            for fn, assignment, var in assignments:
                if id(fn) not in hashing or is_vrf_callback(fn) or not _may_hash(assignment.value):
                    continue
                info = EntropyInfo()
                self._walk(fn, assignment.value, info, 0, set(), var.name)
                if info.hashed and not info.vrf:
                    seeds.add(var.name)
        return found


def _state_assignments(
    ctx: Context, functions: list[Function]
) -> list[tuple[Function, Assignment, StateVariable]]:
    out: list[tuple[Function, Assignment, StateVariable]] = []
    for fn in functions:
        aliases = ctx.facts(fn).aliases
        for assignment in fn.index.assignments if fn.index else ():
            var = root_state_variable(assignment.target, aliases)
            if var is not None and not var.constant:
                out.append((fn, assignment, var))
    return out


def _steps(node: Node) -> bool:
    """``x++``/``--x``/``x += 1``/``x = 0``: a write by a constant step or reset."""
    if isinstance(node, Update):
        return True
    return isinstance(node, Assignment) and (
        node.op in ("+=", "-=", "=") and isinstance(node.value, Literal)
    )


def _may_hash(value: Expr) -> bool:
    """The value may carry a hash: it calls something or reads a local."""
    return any(
        isinstance(n, Call) or (isinstance(n, Identifier) and isinstance(n.ref, Variable))
        for n in value.walk()
    )


def _hashes(fn: Callable) -> bool:
    return fn.index is not None and any(_is_hash(call) for call in fn.index.calls)


def _mentions_block(fn: Callable) -> bool:
    index = fn.index
    if index is None:
        return False
    if any(isinstance(m.base, Identifier) and m.base.name == "block" for m in index.members):
        return True
    return any(i.name in ("now", "blockhash") for i in index.identifiers)


def _is_hash(call: Call) -> bool:
    callee = call.callee
    if isinstance(callee, Identifier):
        return callee.name in _HASHES or callee.name == "blockhash"
    return _is_blockhash(call)


def _is_blockhash(call: Call) -> bool:
    callee = call.callee
    if isinstance(callee, Identifier):
        return callee.name == "blockhash"
    return isinstance(callee, Member) and dotted_name(callee) == "block.blockhash"
