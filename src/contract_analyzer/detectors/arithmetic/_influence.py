"""Who can make a value large: the magnitude flavour of taint.

``value_labels`` is like :meth:`Context.sources` but follows only what decides the
*size* of a value: ``balances[who]`` is as large as ``balances`` holds, whoever
``who`` is, so index expressions are ignored; ``.length`` and ``.balance`` are
bounded in practice. :class:`Influence` turns labels into a level: ``ANYONE``,
``PRIVILEGED`` (only guarded code sets it), ``BOUNDED`` (``msg.value``, block values,
lengths: far below 2**256) or ``NONE``. Parameters of internal functions take the
level of the arguments their callers pass.
"""

from __future__ import annotations

from contract_analyzer.detectors.arithmetic._keys import strip
from contract_analyzer.detectors.arithmetic._util import local_definitions
from contract_analyzer.detectors.context import Context
from contract_analyzer.ir.builtins import Builtin
from contract_analyzer.ir.declarations import Contract, Function, StateVariable
from contract_analyzer.ir.nodes import (
    Assignment,
    Binary,
    Call,
    Expr,
    Identifier,
    Index,
    Member,
    TypeExpr,
    Variable,
)
from contract_analyzer.ir.resolve import dotted_name

NONE, BOUNDED, PRIVILEGED, ANYONE = 0, 1, 2, 3
_GLOBALS = {
    "msg.value": "msg.value",
    "msg.data": "msg.data",
    "block.timestamp": "block.timestamp",
    "block.number": "block.number",
    "block.difficulty": "block.difficulty",
    "block.prevrandao": "block.difficulty",
    "block.gaslimit": "block.gaslimit",
    "tx.gasprice": "block.gasprice",
}
_MAX_DEPTH = 3
_SHRINKS = frozenset({"-", "/", "%", ">>"})


class Influence:
    """Memoised influence questions for one detector run."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self._defs: dict[int, dict[Variable, list[Expr]]] = {}
        self._states: dict[tuple[int, bool], dict[StateVariable, int]] = {}
        self._params: dict[tuple[int, str], int] = {}
        self._sites: dict[int, list[tuple[Function, Call]]] | None = None

    # ------------------------------------------------------------------ labels
    def defs(self, fn: Function) -> dict[Variable, list[Expr]]:
        found = self._defs.get(id(fn))
        if found is None:
            found = local_definitions(fn)
            self._defs[id(fn)] = found
        return found

    def value_labels(self, fn: Function, expr: Expr | None, depth: int = 0) -> frozenset[str]:
        out: set[str] = set()
        seen: set[int] = set()
        aliases = self.ctx.facts(fn).aliases
        defs = self.defs(fn)
        stack: list[Expr | None] = [expr]
        while stack:
            e = strip(stack.pop())
            if e is None:
                continue
            if isinstance(e, Index):
                stack.append(e.base)
            elif isinstance(e, Identifier):
                ref = e.ref
                if isinstance(ref, Variable):
                    if ref.kind == "param":
                        out.update(("param", f"param:{ref.name}"))
                    elif ref in aliases:
                        out.add(f"state:{aliases[ref].name}")
                    elif id(ref) not in seen:
                        seen.add(id(ref))
                        stack.extend(defs.get(ref, ()))
                elif isinstance(ref, StateVariable) and not ref.constant:
                    out.add(f"state:{ref.name}")
                elif isinstance(ref, Builtin) and ref.name == "now":
                    out.add("block.timestamp")
            elif isinstance(e, Member):
                label = _GLOBALS.get(dotted_name(e))
                if label is not None:
                    out.add(label)
                elif e.member in ("length", "balance"):
                    out.add("bounded")
                else:
                    stack.append(e.base)
            elif isinstance(e, Binary) and e.op in _SHRINKS:
                # a difference, quotient or shift is no larger than its left operand
                # (an underflow is reported on its own); a remainder is below its right
                stack.append(e.right if e.op == "%" else e.left)
            elif isinstance(e, Call):
                target = e.target
                if isinstance(e.callee, TypeExpr):
                    stack.extend(e.args)
                elif (
                    e.kind in ("internal", "library")
                    and isinstance(target, Function)
                    and target.index is not None
                    and depth < _MAX_DEPTH
                ):
                    out |= self._returned(fn, e, target, depth)
                else:
                    out |= self.ctx.sources(fn, e)
            else:
                stack.extend(c for c in e.children() if isinstance(c, Expr))
        return frozenset(out)

    def _returned(self, fn: Function, call: Call, target: Function, depth: int) -> set[str]:
        """Labels of what ``target`` returns, its parameters replaced by the arguments."""
        assert target.index is not None
        inner: set[str] = set()
        for ret in target.index.returns:
            inner |= self.value_labels(target, ret.value, depth + 1)
        for var in target.returns:
            for value in self.defs(target).get(var, ()):
                inner |= self.value_labels(target, value, depth + 1)
        args = _arguments(call)
        out: set[str] = set()
        for label in inner:
            if label.startswith("param:"):
                position = next(
                    (i for i, p in enumerate(target.params) if p.name == label[6:]), None
                )
                if position is not None and position < len(args):
                    out |= self.value_labels(fn, args[position], depth + 1)
            elif label != "param":
                out.add(label)
        return out

    # ------------------------------------------------------------------ levels
    def access(self, fn: Function) -> int:
        """``ANYONE`` for code anyone can run, ``PRIVILEGED`` for guarded code, ``NONE``
        for constructors and code only they call. Internal code nobody here calls
        counts as ``ANYONE`` (a derived contract may expose it)."""
        if fn.is_constructor:
            return NONE
        facts = self.ctx.facts(fn)
        if facts.reachable_by_anyone:
            return ANYONE
        if fn.is_public:
            return PRIVILEGED
        callers = [c for c in facts.callers if not c.is_constructor]
        if callers:
            return PRIVILEGED
        return NONE if facts.callers else ANYONE

    def level(
        self, fn: Function, labels: frozenset[str], *, bounded: bool, fed: bool = False
    ) -> int:
        """Level of a value with ``labels``. ``bounded`` counts ``msg.value``, block
        values and lengths as ``BOUNDED``; ``fed`` counts state that grows from
        parameters (``+=``, ``push``), not only state set from them."""
        level = NONE
        for label in labels:
            if label.startswith("param:"):
                level = max(level, self._param_level(fn, label[6:], 0))
            elif label in ("msg.data", "call_return"):
                level = ANYONE
        if level == ANYONE:
            return level
        states = self.state_levels(fn.contract, fed)
        for label in labels:
            if label.startswith("state:") and fn.contract is not None:
                var = fn.contract.find_state_variable(label[6:])
                if var is not None and var in states:
                    level = max(level, states[var])
        if (
            bounded
            and level == NONE
            and any(lb in ("msg.value", "bounded") or lb.startswith("block") for lb in labels)
        ):
            level = BOUNDED
        return level

    def _param_level(self, fn: Function, name: str, depth: int) -> int:
        if fn.is_public or fn.is_constructor:
            return self.access(fn)
        key = (id(fn), name)
        cached = self._params.get(key)
        if cached is not None:
            return cached
        self._params[key] = NONE  # recursion guard
        position = next((i for i, p in enumerate(fn.params) if p.name == name), None)
        sites = self._call_sites().get(id(fn), [])
        if not sites or position is None or depth >= _MAX_DEPTH:
            level = self.access(fn)
        else:
            level = NONE
            for caller, call in sites:
                args = _arguments(call)
                if position < len(args):
                    labels = self.value_labels(caller, args[position])
                    for label in labels:
                        if label.startswith("param:"):
                            level = max(level, self._param_level(caller, label[6:], depth + 1))
                    level = max(level, self.level(caller, labels - _params(labels), bounded=False))
            level = min(level, max(self.access(fn), NONE))
        self._params[key] = level
        return level

    def _call_sites(self) -> dict[int, list[tuple[Function, Call]]]:
        if self._sites is None:
            self._sites = {}
            for caller in self.ctx.functions():
                for call, target in self.ctx.facts(caller).internal_calls:
                    self._sites.setdefault(id(target), []).append((caller, call))
        return self._sites

    def state_levels(self, contract: Contract | None, fed: bool) -> dict[StateVariable, int]:
        """State variables set from a parameter or an external call's result (``fed``:
        also grown from one), with the access level of the writer."""
        if contract is None:
            return {}
        found = self._states.get((id(contract), fed))
        if found is not None:
            return found
        found = {}
        for fn in contract.callable_functions():
            level = self.access(fn) if fn.is_public else NONE
            if level == NONE:
                continue
            for body in (fn, *self.ctx.facts(fn).callees):
                if not isinstance(body, Function):
                    continue
                for write in self.ctx.facts(body).state_writes:
                    values = _written_values(write.node, write.var, fed)
                    for value in values:
                        labels = self.value_labels(body, value)
                        if "param" in labels or "call_return" in labels or "msg.data" in labels:
                            found[write.var] = max(found.get(write.var, NONE), level)
        self._states[(id(contract), fed)] = found
        return found


def _written_values(node: Expr, var: StateVariable, fed: bool) -> list[Expr]:
    """Values stored into ``var`` by ``node``: set (``x = v``) or, when ``fed``, also
    grown (``x += v``, ``x = x + v``, ``x.push(v)``)."""
    if isinstance(node, Assignment):
        value = strip(node.value)
        if value is None or (isinstance(value, Call) and value.kind == "struct"):
            return []  # field-insensitive: a struct's other fields would taint this one
        grows = node.op != "=" or any(
            isinstance(n, Identifier) and n.ref is var for n in value.walk()
        )
        return [value] if fed or not grows else []
    if fed and isinstance(node, Call):
        return list(node.args)
    return []


def _arguments(call: Call) -> list[Expr]:
    """Arguments in parameter order (``a.add(b)`` through ``using for`` passes ``a`` first)."""
    callee = call.callee
    if call.kind == "library" and isinstance(callee, Member):
        base = callee.base
        if not (isinstance(base, Identifier) and isinstance(base.ref, Contract)):
            return [base, *call.args]
    return list(call.args)


def _params(labels: frozenset[str]) -> frozenset[str]:
    return frozenset(lb for lb in labels if lb.startswith("param"))
