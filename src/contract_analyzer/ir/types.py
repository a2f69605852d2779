"""Type names as written in the source.

The analyzer has no compiler, so a type is what the code spells: an elementary
type (``uint256``, ``address payable``), a user-defined name (a contract, struct,
enum or type alias, resolved later), a mapping, an array or a function type.
"""

from __future__ import annotations

import re

_INT_RE = re.compile(r"^(u?)int(\d*)$")
_BYTES_RE = re.compile(r"^bytes(\d+)$")


class TypeName:
    """A type as spelled in the source.

    ``kind`` is one of ``elementary``, ``user``, ``mapping``, ``array``, ``function``.
    """

    __slots__ = ("base", "key", "kind", "length", "name", "value")

    def __init__(
        self,
        kind: str,
        name: str = "",
        *,
        key: TypeName | None = None,
        value: TypeName | None = None,
        base: TypeName | None = None,
        length: str | None = None,
    ) -> None:
        self.kind = kind
        self.name = name
        self.key = key
        self.value = value
        self.base = base
        self.length = length

    # -- constructors -----------------------------------------------------------------
    @classmethod
    def elementary(cls, name: str) -> TypeName:
        return cls("elementary", _canonical(name))

    @classmethod
    def user(cls, name: str) -> TypeName:
        return cls("user", name)

    # -- queries ------------------------------------------------------------------------
    @property
    def is_address(self) -> bool:
        return self.kind == "elementary" and self.name in ("address", "address payable")

    @property
    def is_integer(self) -> bool:
        return self.kind == "elementary" and _INT_RE.match(self.name) is not None

    @property
    def is_signed(self) -> bool:
        return self.is_integer and self.name.startswith("int")

    @property
    def bits(self) -> int | None:
        """Bit width of an integer or fixed bytes type, ``None`` for others."""
        if self.kind != "elementary":
            return None
        m = _INT_RE.match(self.name)
        if m:
            return int(m.group(2) or 256)
        m = _BYTES_RE.match(self.name)
        if m:
            return int(m.group(1)) * 8
        return None

    @property
    def is_dynamic_array(self) -> bool:
        return self.kind == "array" and self.length is None

    @property
    def is_bool(self) -> bool:
        return self.kind == "elementary" and self.name == "bool"

    @property
    def is_string_or_bytes(self) -> bool:
        return self.kind == "elementary" and self.name in ("string", "bytes")

    @property
    def is_value_type(self) -> bool:
        """True for types copied by value (no storage/memory location)."""
        return self.kind == "elementary" and self.name not in ("string", "bytes")

    def __str__(self) -> str:
        if self.kind == "mapping":
            return f"mapping({self.key} => {self.value})"
        if self.kind == "array":
            return f"{self.base}[{self.length or ''}]"
        return self.name

    def __repr__(self) -> str:
        return f"TypeName({self})"


def _canonical(name: str) -> str:
    name = " ".join(name.split())
    if name == "uint":
        return "uint256"
    if name == "int":
        return "int256"
    if name == "byte":
        return "bytes1"
    return name


ADDRESS = TypeName.elementary("address")
ADDRESS_PAYABLE = TypeName.elementary("address payable")
UINT256 = TypeName.elementary("uint256")
BOOL = TypeName.elementary("bool")
BYTES32 = TypeName.elementary("bytes32")
BYTES = TypeName.elementary("bytes")
STRING = TypeName.elementary("string")
