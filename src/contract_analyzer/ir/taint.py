"""Where values come from: a small intra-procedural data flow.

``Taint(function).sources(expr)`` answers with labels:

* ``param`` and ``param:<name>`` - a parameter of the function;
* ``msg.sender``, ``msg.value``, ``msg.data``, ``tx.origin``;
* ``block`` plus the precise one: ``block.timestamp`` (also ``now``), ``block.number``,
  ``block.difficulty`` (also ``prevrandao``), ``block.coinbase``, ``block.gaslimit``,
  ``blockhash``;
* ``call_return`` - the result of an external call;
* ``state`` and ``state:<name>`` - a state variable.

Locals carry the union of everything ever assigned to them (flow-insensitive), and an
internal call carries what its callee returns, computed a few levels deep.
"""

from __future__ import annotations

import weakref

from contract_analyzer.ir.builtins import Builtin
from contract_analyzer.ir.declarations import Callable, Function, StateVariable
from contract_analyzer.ir.nodes import (
    Assignment,
    Call,
    Expr,
    Identifier,
    Index,
    Literal,
    Member,
    TupleExpr,
    VarDecl,
    Variable,
)
from contract_analyzer.ir.resolve import dotted_name

Labels = frozenset[str]
_EMPTY: Labels = frozenset()
_MAX_CALL_DEPTH = 3

_BLOCK_LABELS: dict[str, str] = {
    "block.timestamp": "block.timestamp",
    "now": "block.timestamp",
    "block.number": "block.number",
    "block.difficulty": "block.difficulty",
    "block.prevrandao": "block.difficulty",
    "block.coinbase": "block.coinbase",
    "block.gaslimit": "block.gaslimit",
    "block.basefee": "block.basefee",
}
_MSG_LABELS = frozenset({"msg.sender", "msg.value", "msg.data", "tx.origin", "msg.sig"})


class Taint:
    """Sources of values inside one function or modifier body (memoised)."""

    def __init__(self, callable_: Callable, depth: int = 0) -> None:
        self.callable = callable_
        self.depth = depth
        self._defs: dict[Variable, list[Expr]] = {}
        self._memo: dict[Variable, Labels] = {}
        self._in_progress: set[Variable] = set()
        self._expr_memo: dict[int, Labels] = {}
        self._collect_definitions()

    def _collect_definitions(self) -> None:
        index = self.callable.index
        if index is None:
            return
        defs = self._defs
        for var in index.locals:
            parent = var.parent
            if isinstance(parent, VarDecl) and parent.value is not None:
                value = parent.value
                if parent.is_tuple and isinstance(value, TupleExpr):
                    position = parent.variables.index(var)
                    if position < len(value.elements) and value.elements[position] is not None:
                        element = value.elements[position]
                        assert element is not None
                        defs.setdefault(var, []).append(element)
                else:
                    defs.setdefault(var, []).append(value)
        for assignment in index.assignments:
            self._add_assignment(assignment)

    def _add_assignment(self, assignment: Assignment) -> None:
        target = assignment.target
        if isinstance(target, Identifier) and isinstance(target.ref, Variable):
            self._defs.setdefault(target.ref, []).append(assignment.value)
        elif isinstance(target, TupleExpr):
            value = assignment.value
            for i, element in enumerate(target.elements):
                if isinstance(element, Identifier) and isinstance(element.ref, Variable):
                    if isinstance(value, TupleExpr) and i < len(value.elements):
                        item = value.elements[i]
                        if item is not None:
                            self._defs.setdefault(element.ref, []).append(item)
                    else:
                        self._defs.setdefault(element.ref, []).append(value)
        elif isinstance(target, Index | Member):
            # writing into a local memory array/struct taints the local
            root: Expr = target
            while isinstance(root, Index | Member):
                root = root.base
            if isinstance(root, Identifier) and isinstance(root.ref, Variable):
                self._defs.setdefault(root.ref, []).append(assignment.value)

    # ------------------------------------------------------------------ queries
    def sources(self, expr: Expr | None) -> Labels:
        if expr is None:
            return _EMPTY
        key = id(expr)
        cached = self._expr_memo.get(key)
        if cached is None:
            cached = self._sources(expr)
            self._expr_memo[key] = cached
        return cached

    def _sources(self, expr: Expr) -> Labels:
        if isinstance(expr, Literal):
            return _EMPTY
        if isinstance(expr, Identifier):
            return self._identifier(expr)
        if isinstance(expr, Member):
            name = dotted_name(expr)
            if name in _BLOCK_LABELS:
                return frozenset({"block", _BLOCK_LABELS[name]})
            if name in _MSG_LABELS:
                return frozenset({name})
            return self.sources(expr.base)
        if isinstance(expr, Index):
            return self.sources(expr.base) | self.sources(expr.index)
        if isinstance(expr, Call):
            return self._call(expr)
        out: set[str] = set()
        for child in expr.children():
            if isinstance(child, Expr):
                out |= self.sources(child)
        return frozenset(out)

    def _identifier(self, ident: Identifier) -> Labels:
        ref = ident.ref
        if isinstance(ref, Variable):
            if ref.kind == "param":
                return frozenset({"param", f"param:{ref.name}"})
            return self.variable(ref)
        if isinstance(ref, StateVariable):
            if ref.constant:
                return _EMPTY
            return frozenset({"state", f"state:{ref.name}"})
        if isinstance(ref, Builtin) and ref.name == "now":
            return frozenset({"block", "block.timestamp"})
        return _EMPTY

    def variable(self, var: Variable) -> Labels:
        cached = self._memo.get(var)
        if cached is not None:
            return cached
        if var in self._in_progress:
            return _EMPTY
        self._in_progress.add(var)
        out: set[str] = set()
        for definition in self._defs.get(var, []):
            out |= self.sources(definition)
        self._in_progress.discard(var)
        result = frozenset(out)
        self._memo[var] = result
        return result

    def _call(self, call: Call) -> Labels:
        callee = call.callee
        args: set[str] = set()
        for arg in call.args:
            args |= self.sources(arg)
        if call.kind in ("external", "low_level"):
            return frozenset({"call_return", *args})
        if call.kind == "builtin" and isinstance(callee, Identifier):
            if callee.name == "blockhash":
                return frozenset({"block", "blockhash", *args})
            return frozenset(args)
        if isinstance(callee, Member) and dotted_name(callee) == "block.blockhash":
            return frozenset({"block", "blockhash", *args})
        target = call.target
        if call.kind in ("internal", "library") and isinstance(target, Function):
            return frozenset(args) | self._returned(target, call)
        if isinstance(callee, Member) and call.kind == "builtin":
            return frozenset(args | self.sources(callee.base))
        return frozenset(args)

    def _returned(self, function: Function, call: Call) -> Labels:
        if self.depth >= _MAX_CALL_DEPTH or function.index is None:
            return _EMPTY
        per_function = _RETURNED.get(function)
        if per_function is None:
            per_function = {}
            _RETURNED[function] = per_function
        cached = per_function.get(self.depth)
        if cached is not None:
            return cached
        inner = Taint(function, self.depth + 1)
        out: set[str] = set()
        for ret in function.index.returns:
            out |= inner.sources(ret.value)
        for var in function.returns:
            out |= inner.variable(var)
        # a parameter of the callee stands for what the caller passed
        result = frozenset(label for label in out if not label.startswith("param"))
        per_function[self.depth] = result
        return result


# What a function returns, by call depth: independent of the call site (parameters are
# dropped), so computed once per function and analysis.
_RETURNED: weakref.WeakKeyDictionary[Function, dict[int, Labels]] = weakref.WeakKeyDictionary()


def is_caller_controlled(labels: Labels) -> bool:
    """The value may be chosen by whoever calls the function."""
    return "param" in labels or "msg.data" in labels or "msg.value" in labels


def block_labels(labels: Labels) -> set[str]:
    return {label for label in labels if label.startswith("block") or label == "blockhash"}
