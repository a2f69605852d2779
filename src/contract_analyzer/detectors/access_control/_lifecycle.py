"""Construction and initialisation: one-shot initialisers and misspelt constructors.

* :func:`one_shot` - an initialisation guard (``require(!initialized)`` + set, an
  ``initializer`` modifier, ``if (numOwners > 0) throw``, also inside helpers);
* :func:`typo_constructor` - a pre-0.5 function meant to be the constructor.
"""

from __future__ import annotations

import re

from contract_analyzer.detectors.access_control._flows import closure_union
from contract_analyzer.detectors.access_control._util import (
    ONE_SHOT_MODIFIER,
    cache,
    zero_checked_vars,
)
from contract_analyzer.detectors.context import Context
from contract_analyzer.ir.declarations import Callable, Function, Modifier, StateVariable


def one_shot(ctx: Context, fn: Function) -> bool:
    """``fn`` can complete only once: an initializer-style modifier, or a check that some
    state it writes is still unset (``require(!initialized)``, ``owner == address(0)``)."""
    key = ("one_shot", id(fn))
    store = cache(ctx)
    found = store.get(key)
    if isinstance(found, bool):
        return found
    result = _one_shot(ctx, fn)
    store[key] = result
    return result


def _one_shot(ctx: Context, fn: Function) -> bool:
    written = ctx.facts(fn).writes_all
    for invocation in fn.modifiers:
        ref = invocation.ref
        if ONE_SHOT_MODIFIER.search(invocation.name) and not isinstance(ref, Modifier):
            return True  # e.g. OpenZeppelin's `initializer` from an unresolved import
        if isinstance(ref, Modifier) and ref.index is not None:
            if re.search(r"^(re)?initializer$", ref.name, re.IGNORECASE):
                return True  # the library modifier keeps its flag behind a storage slot
            holes = ref.index.placeholders
            if holes:
                mod_written = written | ctx.facts(ref).writes_all
                if zero_checked_vars(holes[0].conditions) & mod_written:
                    return True
    # in the body or a helper (`setupOwners` checks `threshold == 0`)
    return bool(closure_union(ctx, fn, "pinned", lambda b: _pinned_unset(ctx, b)) & written)


def _pinned_unset(ctx: Context, body: Callable) -> frozenset[StateVariable]:
    """State some statement of ``body`` runs only while it is zero / false (memoised)."""
    key = ("pinned", id(body))
    store = cache(ctx)
    found = store.get(key)
    if isinstance(found, frozenset):
        return found
    out: set[StateVariable] = set()
    seen: set[int] = set()
    index = body.index
    for stmt in index.statements if index is not None else []:
        conditions = stmt.conditions
        if conditions and id(conditions) not in seen:
            seen.add(id(conditions))
            out |= zero_checked_vars(conditions)
    result = frozenset(out)
    store[key] = result
    return result


def typo_constructor(fn: Function) -> bool:
    """A pre-0.5 public function that was meant to be the constructor: named
    ``constructor``, or like its contract but for case or a small typo."""
    contract = fn.contract
    if fn.kind != "function" or contract is None or contract.kind != "contract":
        return False
    version = contract.unit.version
    if version is not None and not version.allows_below((0, 5, 0)):
        return False
    if fn.name == "constructor":
        return True
    a, b = fn.name.lower(), contract.name.lower()
    limit = 2 if min(len(a), len(b)) >= 6 else 1
    if a != b and (len(a) < 4 or abs(len(a) - len(b)) > limit or _distance(a, b, limit) > limit):
        return False
    return not fn.is_view and not any(f.kind == "constructor" for f in contract.functions)


def _distance(a: str, b: str, limit: int) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]
