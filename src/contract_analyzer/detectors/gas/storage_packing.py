"""State variables declared in an order that wastes storage slots."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from contract_analyzer.detectors.base import GAS, Confidence, Detector, Issue, Severity
from contract_analyzer.detectors.context import Context
from contract_analyzer.detectors.gas import _costs
from contract_analyzer.ir.declarations import Contract, StateVariable
from contract_analyzer.ir.types import TypeName

_SLOT = 32
_UPGRADEABLE_MARKERS = ("Upgradeable", "Initializable")


@dataclass
class _Slot:
    first: StateVariable
    used: int
    members: list[StateVariable]


class StoragePacking(Detector):
    id = "storage_packing"
    title = "State variables could be packed into fewer slots"
    severity = Severity.INFO
    confidence = Confidence.MEDIUM
    types = GAS
    description = (
        "Variables smaller than 32 bytes (bool, address, uint8..uint128, bytesN, enums) share "
        "a storage slot only when they are declared next to each other. The declaration "
        "order leaves gaps that a reordering would fill, so the contract uses more slots than "
        "it needs: each extra slot costs 20,000 gas on its first write and 2,100 per cold read."
    )
    recommendation = (
        "Group the small variables so consecutive ones fill 32-byte slots (for example "
        "`address owner; bool paused; uint64 start;` together). Do not reorder the storage "
        "of an upgradeable contract that is already deployed."
    )
    references = ("https://docs.soliditylang.org/en/latest/internals/layout_in_storage.html",)

    def detect(self, ctx: Context) -> Iterator[Issue]:
        for contract in ctx.contracts:
            if contract.kind != "contract" or _upgradeable(contract):
                continue
            variables = [v for v in contract.state_variables if not v.constant and not v.immutable]
            if any(_unknown(ctx, contract, v.type_name) for v in variables):
                continue  # an unresolved type may be a 1-byte enum or a full-slot struct
            items = [(v, _size(ctx, contract, v.type_name)) for v in variables]
            if sum(1 for _, size in items if size is not None) < 2:
                continue
            slots, barrier_slots = _declared_layout(items)
            smalls = [size for _, size in items if size is not None]
            best = barrier_slots + _first_fit_decreasing(smalls)
            declared = barrier_slots + len(slots)
            if declared - best < 1:
                continue
            yield self._report(contract, slots, items, declared, best)

    def _report(
        self,
        contract: Contract,
        slots: list[_Slot],
        items: list[tuple[StateVariable, int | None]],
        declared: int,
        best: int,
    ) -> Issue:
        order = {id(v): i for i, (v, _) in enumerate(items)}
        sizes = {id(v): s for v, s in items}
        saved = declared - best
        tail = (
            f"the state variables of `{contract.name}` take {declared} slots "
            f"in declaration order but fit in {best}: reordering saves {saved} slot"
            f"{'s' if saved > 1 else ''}."
        )
        for slot in slots:
            free = _SLOT - slot.used
            last = max(order[id(m)] for m in slot.members)
            for var, size in items:
                if size is not None and order[id(var)] > last and size <= free:
                    text = (
                        f"`{slot.first.name}` leaves {free} bytes of its slot unused that "
                        f"`{var.name}` ({sizes[id(var)]} bytes, declared later) could fill; {tail}"
                    )
                    return self.issue(
                        None,
                        text[0].upper() + text[1:],
                        line=slot.first.line,
                        contract=contract,
                        gas_saved=_costs.SLOT_SAVED_FIRST_WRITE * saved,
                    )
        return self.issue(
            None,
            tail[0].upper() + tail[1:],
            line=contract.line,
            contract=contract,
            gas_saved=_costs.SLOT_SAVED_FIRST_WRITE * saved,
        )


def _declared_layout(
    items: list[tuple[StateVariable, int | None]],
) -> tuple[list[_Slot], int]:
    """Slots holding small variables in declaration order, and the number of slots
    taken by everything else (32-byte values, mappings, arrays, structs, strings)."""
    slots: list[_Slot] = []
    barriers = 0
    current: _Slot | None = None
    for var, size in items:
        if size is None:
            barriers += 1
            current = None
            continue
        if current is None or current.used + size > _SLOT:
            current = _Slot(var, 0, [])
            slots.append(current)
        current.used += size
        current.members.append(var)
    return slots, barriers


def _first_fit_decreasing(sizes: list[int]) -> int:
    bins: list[int] = []
    for size in sorted(sizes, reverse=True):
        for i, used in enumerate(bins):
            if used + size <= _SLOT:
                bins[i] = used + size
                break
        else:
            bins.append(size)
    return len(bins)


def _size(ctx: Context, contract: Contract, t: TypeName) -> int | None:
    """Bytes of a value type smaller than a slot, ``None`` for anything else."""
    size: int | None = None
    if t.kind == "elementary":
        if t.is_bool:
            size = 1
        elif t.is_address:
            size = 20
        elif t.bits is not None:
            size = t.bits // 8
    elif t.kind == "user":
        if contract.find_enum(t.name) is not None or ctx.project.find_file_enum(
            t.name, contract.unit
        ):
            size = 1
        else:
            target = ctx.project.find_contract(t.name, contract.unit)
            if target is not None and not target.is_library:
                size = 20
    return size if size is not None and size < _SLOT else None


def _unknown(ctx: Context, contract: Contract, t: TypeName) -> bool:
    """A type whose size we cannot tell (unresolved user type, unreadable type)."""
    if t.kind == "elementary":
        return t.name == "unknown"
    if t.kind != "user":
        return False
    name = t.name.rsplit(".", 1)[-1]
    owner = contract
    if "." in t.name:
        found = ctx.project.find_contract(t.name.split(".")[0], contract.unit)
        if found is None:
            return True
        owner = found
    project, unit = ctx.project, contract.unit
    return not (
        owner.find_enum(name)
        or owner.find_struct(name)
        or project.find_file_enum(name, unit)
        or project.find_file_struct(name, unit)
        or project.find_contract(name, unit)
    )


def _upgradeable(contract: Contract) -> bool:
    if any(v.name.startswith("__gap") for v in contract.all_state_variables()):
        return True
    names = [c.name for c in contract.linearization] + contract.unresolved_bases
    return any(marker in name for name in names for marker in _UPGRADEABLE_MARKERS)
