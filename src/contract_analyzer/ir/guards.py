"""Who may call a function: access-control guards, recognised by behaviour.

A guard is a check that the caller (``msg.sender``, ``_msgSender()``, or a parameter
that receives one of those) is privileged: equal to an address held in state
(``owner``), present in a state mapping of flags (``admins[msg.sender]``,
``_roles[role].members[account]``), or accepted by a function that does one of
those (``hasRole(ROLE, msg.sender)``, ``_checkOwner()``). Checks are found in
``require``/``assert``, in ``if (...) revert`` exits, in modifiers before ``_``, and
through internal calls.

A comparison of the caller with a parameter (``require(msg.sender == from)``) is a
*caller match*: it scopes the call to the caller's own assets, it does not make the
function privileged. ``tx.origin`` checks are guards too, and a finding of their own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from contract_analyzer.ir.declarations import (
    Callable,
    EnumDef,
    Function,
    Modifier,
    StateVariable,
)
from contract_analyzer.ir.index import Conditions, facts_of
from contract_analyzer.ir.nodes import (
    Binary,
    Block,
    Call,
    Expr,
    ExpressionStmt,
    Identifier,
    Index,
    Literal,
    Member,
    Return,
    Stmt,
    TupleExpr,
    TypeExpr,
    Unary,
    Variable,
)
from contract_analyzer.ir.resolve import dotted_name

PRIVILEGED_NAME = re.compile(
    r"only|auth|admin|owner|role|governance|governor|guardian|restricted|whitelist|allowlist|"
    r"minter|operator|keeper|manager|controller|dao|council|multisig|trusted|permission|ward",
    re.IGNORECASE,
)
# helpers that change roles rather than check them: `_transferOwnership(x)`, `_grantRole(r, a)`
_EFFECT_NAME = re.compile(
    r"^_*(transfer|grant|revoke|set|add|remove|change|update|renounce|mint|burn|setup|init|"
    r"accept|propose|register|approve)",
    re.IGNORECASE,
)
_NOT_ACCESS = re.compile(
    r"reentran|paused|notpaused|initializ|lock|mutex|valid|check(?!owner|role|admin|auth)",
    re.IGNORECASE,
)
_SENDER_FUNCTIONS = frozenset({"_msgSender", "msgSender", "_sender", "sender"})
_MAX_DEPTH = 4

# Guard kinds that make a function privileged.
PRIVILEGED = frozenset({"owner", "role", "self", "tx_origin", "modifier_name"})


@dataclass(eq=False)
class Guard:
    """One access check.

    ``kind``: ``owner`` (caller equals a stored address), ``role`` (caller is in a
    stored set), ``self`` (caller is the contract itself), ``tx_origin`` (a ``tx.origin``
    check), ``modifier_name`` (a modifier we cannot see, named like a guard),
    ``caller_match`` (caller equals a parameter: not privileged).
    """

    kind: str
    node: Expr | None
    source: str
    confidence: str = "high"

    @property
    def privileged(self) -> bool:
        return self.kind in PRIVILEGED


class GuardAnalysis:
    """Memoised guard questions over a project's callables."""

    def __init__(self, counters: set[StateVariable] | None = None) -> None:
        # integer state written with computed values (balances, not `wards[x] = 1`): a
        # lookup of the caller in one of these is accounting, not a role check
        self.counters: set[StateVariable] = counters or set()
        # mappings anyone can put themselves into (`members[msg.sender] = true` in an open
        # function): a lookup of the caller there is membership, not privilege
        self.self_enrolled: set[StateVariable] = set()
        self._enforced: dict[tuple[int, frozenset[int]], list[Guard]] = {}
        self._returns: dict[tuple[int, frozenset[int]], str | None] = {}
        self._in_progress: set[tuple[int, frozenset[int]]] = set()

    # ------------------------------------------------------------------ public
    def forget(self) -> None:
        """Drop memoised answers (after ``self_enrolled`` changed)."""
        self._enforced.clear()
        self._returns.clear()
        self._in_progress.clear()

    def function_guards(self, function: Function) -> list[Guard]:
        """Guards that protect the whole body of ``function``."""
        guards: list[Guard] = []
        for invocation in function.modifiers:
            ref = invocation.ref
            if isinstance(ref, Modifier):
                found = self.enforced_by(ref, frozenset(), 0)
                for guard in found:
                    guards.append(
                        Guard(guard.kind, guard.node, f"modifier {ref.name}", guard.confidence)
                    )
                if (
                    not found
                    and PRIVILEGED_NAME.search(ref.name)
                    and not _NOT_ACCESS.search(ref.name)
                ):
                    # a modifier named like a guard whose check we cannot read
                    if _has_opaque_check(ref):
                        guards.append(Guard("modifier_name", None, f"modifier {ref.name}", "low"))
            elif (
                ref is None
                and PRIVILEGED_NAME.search(invocation.name)
                and not _NOT_ACCESS.search(invocation.name)
            ):
                guards.append(Guard("modifier_name", None, f"modifier {invocation.name}", "medium"))
        guards.extend(self.enforced_by(function, frozenset(), 0))
        return guards

    def statement_guards(self, stmt: Stmt, scope_callable: Callable) -> list[Guard]:
        """Access checks among the conditions known when ``stmt`` runs (enclosing
        ``if``s included)."""
        return self._guards_in_conditions(stmt.conditions, scope_callable, frozenset(), 0, "body")

    # ------------------------------------------------------------------ core
    def enforced_by(
        self, callable_: Callable, sender_params: frozenset[int], depth: int
    ) -> list[Guard]:
        """Guards that hold whenever ``callable_`` completes (for a modifier: when it
        reaches ``_``). ``sender_params`` are indexes of parameters that carry the caller."""
        key = (id(callable_), sender_params)
        if key in self._enforced:
            return self._enforced[key]
        if (
            key in self._in_progress
            or depth > _MAX_DEPTH
            or callable_.body is None
            or callable_.index is None
        ):
            return []
        self._in_progress.add(key)
        guards: list[Guard] = []
        if isinstance(callable_, Modifier):
            placeholders = callable_.index.placeholders
            if placeholders:
                conds = placeholders[0].conditions
                guards.extend(
                    self._guards_in_conditions(conds, callable_, sender_params, depth, "modifier")
                )
                guards.extend(
                    self._guards_in_calls_before(callable_, placeholders[0], sender_params, depth)
                )
        else:
            conds = _exit_conditions(callable_.body)
            guards.extend(
                self._guards_in_conditions(conds, callable_, sender_params, depth, "body")
            )
            guards.extend(self._guards_in_calls_before(callable_, None, sender_params, depth))
        self._in_progress.discard(key)
        self._enforced[key] = guards
        return guards

    def _guards_in_calls_before(
        self, callable_: Callable, stop: Stmt | None, sender_params: frozenset[int], depth: int
    ) -> list[Guard]:
        """Guards enforced by internal calls made as top-level statements (``_checkOwner();``)."""
        guards: list[Guard] = []
        body = callable_.body
        if body is None:
            return guards
        for stmt in body.statements:
            if stmt is stop:
                break
            if not isinstance(stmt, ExpressionStmt) or not isinstance(stmt.expr, Call):
                continue
            call = stmt.expr
            target = call.target
            if call.kind == "internal" and isinstance(target, Function):
                params = self._sender_params_of_call(call, target, callable_, sender_params)
                for guard in self.enforced_by(target, params, depth + 1):
                    guards.append(Guard(guard.kind, call, f"call {target.name}", guard.confidence))
            elif call.kind in ("unknown", "internal") and isinstance(call.callee, Identifier):
                name = call.callee.name
                if (
                    PRIVILEGED_NAME.search(name)
                    and not _NOT_ACCESS.search(name)
                    and not _EFFECT_NAME.search(name)
                    and target is None
                ):
                    guards.append(Guard("modifier_name", call, f"call {name}", "medium"))
        return guards

    def _guards_in_conditions(
        self,
        conds: Conditions,
        callable_: Callable,
        sender_params: frozenset[int],
        depth: int,
        source: str,
    ) -> list[Guard]:
        guards: list[Guard] = []
        for expr, truth in facts_of(conds):
            kind = self.access_kind(expr, truth, callable_, sender_params, depth)
            if kind is not None:
                guards.append(Guard(kind, expr, source))
        return guards

    def access_kind(
        self,
        expr: Expr,
        truth: bool,
        callable_: Callable,
        sender_params: frozenset[int],
        depth: int,
    ) -> str | None:
        """What access check ``expr`` (known to be ``truth``) is, if any."""
        if isinstance(expr, Binary) and (
            (expr.op == "||" and truth) or (expr.op == "&&" and not truth)
        ):
            # `msg.sender == owner || msg.sender == admin`: privileged when every branch is
            left = self.access_kind(expr.left, truth, callable_, sender_params, depth)
            right = self.access_kind(expr.right, truth, callable_, sender_params, depth)
            if left is None or right is None:
                return None
            if left == "caller_match" or right == "caller_match":
                return "caller_match"
            return left if left == right else "role"
        if isinstance(expr, Unary) and expr.op == "!":
            return self.access_kind(expr.operand, not truth, callable_, sender_params, depth)
        if isinstance(expr, Binary) and expr.op in ("==", "!="):
            positive = (expr.op == "==") == truth
            sides = (expr.left, expr.right)
            for mine, other in (sides, sides[::-1]):
                sender = self._sender_kind(mine, callable_, sender_params, depth)
                if sender is None:
                    continue
                if not positive:
                    return None
                if sender == "tx_origin":
                    return "tx_origin"
                return self._compared_with(other, callable_)
            # flags[msg.sender] == true / wards[msg.sender] == 1
            for mine, other in (sides, sides[::-1]):
                if isinstance(other, Literal) and self._is_sender_flag(
                    mine, callable_, sender_params, depth
                ):
                    if (other.value in ("true", "1")) == positive:
                        return "role"
                    if other.value in ("false", "0") and not positive:
                        return "role"
            # modules[msg.sender] != address(0) / permission[msg.sender] == Permission.IN
            for mine, other in (sides, sides[::-1]):
                if self._is_sender_entry(mine, callable_, sender_params, depth) and (
                    (not positive and _is_zero_value(other)) or (positive and _is_enum_value(other))
                ):
                    return "role"
            return None
        if not truth:
            return None
        if self._is_sender_flag(expr, callable_, sender_params, depth):
            return "role"
        if isinstance(expr, Call):
            return self._call_check(expr, callable_, sender_params, depth)
        if isinstance(expr, Identifier) and isinstance(expr.ref, Variable) and depth <= _MAX_DEPTH:
            return self._flag_check(expr.ref, callable_, sender_params, depth + 1)
        return None

    def _flag_check(
        self, var: Variable, callable_: Callable, sender_params: frozenset[int], depth: int
    ) -> str | None:
        """A local bool set to true only where an access check holds:
        ``for (...) if (owners[i] == msg.sender) isOwner = true; require(isOwner);``."""
        from contract_analyzer.ir.index import facts_of

        if var.kind != "local" or callable_.index is None:
            return None
        kind: str | None = None
        for definition, stmt in _flag_definitions(var, callable_):
            if isinstance(definition, Literal) and definition.value == "false":
                continue
            if isinstance(definition, Literal) and definition.value == "true" and stmt is not None:
                found = [
                    self.access_kind(e, t, callable_, sender_params, depth)
                    for e, t in facts_of(stmt.conditions)
                ]
                current = next((k for k in found if k is not None), None)
            else:
                current = self.access_kind(definition, True, callable_, sender_params, depth)
            if current is None:
                return None
            kind = kind or current
        return kind

    def _call_check(
        self, call: Call, callable_: Callable, sender_params: frozenset[int], depth: int
    ) -> str | None:
        target = call.target
        if call.kind in ("internal", "library", "external") and isinstance(target, Function):
            params = self._sender_params_of_call(call, target, callable_, sender_params)
            if not params and call.args:
                return None
            result = self.returns_access(target, params, depth + 1)
            if result is not None:
                return result
            if self._is_member_set(call, callable_, sender_params, depth):
                return "role"
        name = (
            call.callee.member
            if isinstance(call.callee, Member)
            else (call.callee.name if isinstance(call.callee, Identifier) else "")
        )
        has_sender_arg = any(
            self._sender_kind(a, callable_, sender_params, depth) for a in call.args
        )
        if (
            PRIVILEGED_NAME.search(name)
            and not _NOT_ACCESS.search(name)
            and (has_sender_arg or not call.args)
        ):
            if target is None or not isinstance(target, Function) or target.body is None:
                return "role"
        return None

    def returns_access(
        self, function: Function, sender_params: frozenset[int], depth: int
    ) -> str | None:
        """``function`` returns the result of an access check (``return msg.sender == owner``)."""
        key = (id(function), sender_params)
        if key in self._returns:
            return self._returns[key]
        if depth > _MAX_DEPTH or function.index is None or key in self._in_progress:
            return None
        self._in_progress.add(key)
        result: str | None = None
        for ret in function.index.returns:
            if ret.value is not None:
                result = self.access_kind(ret.value, True, function, sender_params, depth)
                if result is not None:
                    break
        if result is None and len(function.returns) == 1 and function.returns[0].name:
            # named return: `returns (bool ok) { ok = hasRole(...); }`
            for assignment in function.index.assignments:
                target = assignment.target
                if isinstance(target, Identifier) and target.ref is function.returns[0]:
                    result = self.access_kind(
                        assignment.value, True, function, sender_params, depth
                    )
                    if result is not None:
                        break
        self._in_progress.discard(key)
        self._returns[key] = result
        return result

    # ------------------------------------------------------------------ helpers
    def _sender_params_of_call(
        self, call: Call, target: Function, callable_: Callable, sender_params: frozenset[int]
    ) -> frozenset[int]:
        indexes = [
            i
            for i, arg in enumerate(call.args)
            if i < len(target.params)
            and self._sender_kind(arg, callable_, sender_params, 0) == "sender"
        ]
        return frozenset(indexes)

    def _sender_kind(
        self, expr: Expr, callable_: Callable, sender_params: frozenset[int], depth: int
    ) -> str | None:
        """``sender`` if ``expr`` is the caller, ``tx_origin`` for ``tx.origin``."""
        name = dotted_name(expr)
        if name == "msg.sender":
            return "sender"
        if name == "tx.origin":
            return "tx_origin"
        if isinstance(expr, Call) and not expr.args:
            callee = expr.callee
            if isinstance(callee, Identifier) and callee.name in _SENDER_FUNCTIONS:
                return "sender"
            target = expr.target
            if isinstance(target, Function) and target.index is not None and depth <= _MAX_DEPTH:
                for ret in target.index.returns:
                    if ret.value is not None and dotted_name(ret.value) == "msg.sender":
                        return "sender"
        if isinstance(expr, Call) and expr.kind == "conversion" and len(expr.args) == 1:
            return self._sender_kind(expr.args[0], callable_, sender_params, depth)
        if isinstance(expr, Identifier) and isinstance(expr.ref, Variable) and sender_params:
            params = callable_.params
            for i in sender_params:
                if i < len(params) and params[i] is expr.ref:
                    return "sender"
        if (
            isinstance(expr, Identifier)
            and isinstance(expr.ref, Variable)
            and expr.ref.kind == "local"
            and depth <= _MAX_DEPTH
        ):
            # `address sender = _msgSender(); if (pendingOwner() != sender) revert ...`
            definitions = _local_definitions(expr.ref, callable_)
            if definitions and all(
                d is not None
                and self._sender_kind(d, callable_, sender_params, depth + 1) == "sender"
                for d in definitions
            ):
                return "sender"
        return None

    def _compared_with(self, other: Expr, callable_: Callable) -> str:
        """The caller was compared with ``other``: a stored address, itself, or a parameter."""
        if isinstance(other, Call) and other.kind == "conversion" and len(other.args) == 1:
            inner = other.args[0]
            if isinstance(inner, Identifier) and inner.name == "this":
                return "self"
            other = inner
        if _involves_state(other, callable_):
            return "owner"
        return "caller_match"

    def _is_sender_flag(
        self, expr: Expr, callable_: Callable, sender_params: frozenset[int], depth: int
    ) -> bool:
        """``expr`` is a lookup of the caller in a state mapping (``admins[msg.sender]``)."""
        keyed_by_sender = False
        node: Expr = expr
        while isinstance(node, Index | Member):
            if (
                isinstance(node, Index)
                and node.index is not None
                and self._sender_kind(node.index, callable_, sender_params, depth)
            ):
                keyed_by_sender = True
            node = node.base
        if not keyed_by_sender or not isinstance(node, Identifier):
            return False
        ref = node.ref
        if not isinstance(ref, StateVariable) or ref in self.self_enrolled:
            return False
        scope = callable_.scope
        value_type = scope.type_of(expr) if scope is not None else None
        if value_type is not None and value_type.is_integer:
            return ref not in self.counters
        return value_type is None or value_type.is_bool

    def _is_sender_entry(
        self, expr: Expr, callable_: Callable, sender_params: frozenset[int], depth: int
    ) -> bool:
        """``expr`` looks the caller up in a state mapping of addresses or enum values
        that the caller cannot fill themselves (``modules[msg.sender]``)."""
        if not isinstance(expr, Index) or expr.index is None:
            return False
        if not self._sender_kind(expr.index, callable_, sender_params, depth):
            return False
        base = expr.base
        ref = base.ref if isinstance(base, Identifier) else None
        if not isinstance(ref, StateVariable) or ref in self.self_enrolled:
            return False  # (addresses and enum values are not amounts: `counters` is moot)
        scope = callable_.scope
        value_type = scope.type_of(expr) if scope is not None else None
        return value_type is not None and (value_type.is_address or value_type.kind == "user")

    def _is_member_set(
        self, call: Call, callable_: Callable, sender_params: frozenset[int], depth: int
    ) -> bool:
        """``registrars.contains(msg.sender)`` on a state set (a library-bound
        ``using Set for ...`` lookup): the caller is in an allow-list."""
        callee = call.callee
        if call.kind != "library" or not isinstance(callee, Member) or callee.member != "contains":
            return False
        base = callee.base
        ref = base.ref if isinstance(base, Identifier) else None
        return (
            isinstance(ref, StateVariable)
            and ref not in self.self_enrolled
            and len(call.args) == 1
            and self._sender_kind(call.args[0], callable_, sender_params, depth) == "sender"
        )


def _is_zero_value(expr: Expr) -> bool:
    """``0``, ``address(0)``, ``IModule(address(0))``."""
    while isinstance(expr, Call) and expr.kind == "conversion" and len(expr.args) == 1:
        expr = expr.args[0]
    return isinstance(expr, Literal) and expr.value in ("0", "0x0")


def _is_enum_value(expr: Expr) -> bool:
    """A member of an enum type (``Permission.INCOMING``)."""
    return (
        isinstance(expr, Member)
        and isinstance(expr.base, Identifier)
        and isinstance(expr.base.ref, EnumDef)
    )


def _involves_state(expr: Expr, callable_: Callable) -> bool:
    """``expr`` reads contract state, directly, through a getter call, or through a local
    assigned from state."""
    for node in expr.walk():
        if isinstance(node, Identifier):
            ref = node.ref
            if isinstance(ref, StateVariable):
                return True
            if isinstance(ref, Variable) and ref.kind == "local" and callable_.index is not None:
                for assignment in _local_definitions(ref, callable_):
                    if (
                        assignment is not None
                        and assignment is not expr
                        and _involves_state(assignment, callable_)
                    ):
                        return True
        if (
            isinstance(node, Call)
            and node.kind in ("internal", "external", "unknown")
            and not node.args
            and not isinstance(node.callee, TypeExpr)
        ):
            return True  # owner(), getOwner(), pendingOwner() from an unresolved base
        if isinstance(node, Call) and node.kind == "external" and isinstance(node.callee, Member):
            return True  # registry.owner(), roles.admin()
    return False


def _local_definitions(var: Variable, callable_: Callable) -> list[Expr | None]:
    from contract_analyzer.ir.nodes import VarDecl

    out: list[Expr | None] = []
    parent = var.parent
    if isinstance(parent, VarDecl) and not parent.is_tuple:
        out.append(parent.value)
    elif isinstance(parent, VarDecl) and parent.value is not None:
        # `(address newAdmin, ) = pendingDefaultAdmin();`: part of what the call returns
        value = parent.value
        if isinstance(value, TupleExpr) and var in parent.variables:
            position = parent.variables.index(var)
            if position < len(value.elements):
                out.append(value.elements[position])
        elif not isinstance(value, TupleExpr):
            out.append(value)
    index = callable_.index
    if index is not None:
        for assignment in index.assignments:
            if isinstance(assignment.target, Identifier) and assignment.target.ref is var:
                out.append(assignment.value)
    return out


def _flag_definitions(var: Variable, callable_: Callable) -> list[tuple[Expr, Stmt | None]]:
    """The values a local receives, with the statement that assigns each."""
    from contract_analyzer.ir.nodes import VarDecl

    out: list[tuple[Expr, Stmt | None]] = []
    parent = var.parent
    if isinstance(parent, VarDecl) and not parent.is_tuple and parent.value is not None:
        out.append((parent.value, parent))
    index = callable_.index
    for assignment in index.assignments if index is not None else []:
        target = assignment.target
        if isinstance(target, Identifier) and target.ref is var and assignment.op == "=":
            out.append((assignment.value, assignment.stmt))
    return out


def _exit_conditions(body: Block) -> Conditions:
    """Conditions that hold once the top-level statements of ``body`` have all run."""
    from contract_analyzer.ir.index import _after

    conds: Conditions = ()
    for stmt in body.statements:
        conds = _after(stmt, stmt.conditions)
    return conds


def _has_opaque_check(modifier: Modifier) -> bool:
    """The modifier calls something or has assembly before ``_`` (a check we could not read)."""
    index = modifier.index
    if index is None:
        return True
    if index.assemblies:
        return True
    readable = ("require", "assert", "revert")
    return any(
        not (isinstance(call.callee, Identifier) and call.callee.name in readable)
        and call.kind not in ("builtin", "conversion", "event")
        for call in index.calls
    )


__all__ = ["PRIVILEGED", "PRIVILEGED_NAME", "Guard", "GuardAnalysis", "Return"]
