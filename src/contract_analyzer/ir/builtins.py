"""Names the language defines: global variables, global functions, their members."""

from __future__ import annotations

from contract_analyzer.ir.types import (
    ADDRESS,
    ADDRESS_PAYABLE,
    BOOL,
    BYTES,
    BYTES32,
    UINT256,
    TypeName,
)


class Builtin:
    """A global name of the language (``msg``, ``block``, ``require``, ``keccak256``...)."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"Builtin({self.name})"


GLOBAL_NAMES = (
    "msg",
    "block",
    "tx",
    "now",
    "this",
    "super",
    "abi",
    "keccak256",
    "sha3",
    "sha256",
    "ripemd160",
    "ecrecover",
    "require",
    "assert",
    "revert",
    "selfdestruct",
    "suicide",
    "addmod",
    "mulmod",
    "gasleft",
    "blockhash",
    "type",
    "bytes",
    "string",
)

BUILTINS: dict[str, Builtin] = {name: Builtin(name) for name in GLOBAL_NAMES}

BLOCK_VALUES = frozenset(
    {
        "block.timestamp",
        "now",
        "block.number",
        "block.difficulty",
        "block.prevrandao",
        "block.coinbase",
        "block.gaslimit",
        "block.basefee",
        "block.blockhash",
        "blockhash",
        "block.chainid",
    }
)

MEMBER_TYPES: dict[str, TypeName] = {
    "msg.sender": ADDRESS,
    "msg.value": UINT256,
    "msg.data": BYTES,
    "msg.sig": TypeName.elementary("bytes4"),
    "msg.gas": UINT256,
    "tx.origin": ADDRESS,
    "tx.gasprice": UINT256,
    "block.timestamp": UINT256,
    "block.number": UINT256,
    "block.difficulty": UINT256,
    "block.prevrandao": UINT256,
    "block.gaslimit": UINT256,
    "block.basefee": UINT256,
    "block.chainid": UINT256,
    "block.coinbase": ADDRESS_PAYABLE,
}

FUNCTION_RESULT_TYPES: dict[str, TypeName] = {
    "keccak256": BYTES32,
    "sha3": BYTES32,
    "sha256": BYTES32,
    "ripemd160": TypeName.elementary("bytes20"),
    "ecrecover": ADDRESS,
    "addmod": UINT256,
    "mulmod": UINT256,
    "gasleft": UINT256,
    "blockhash": BYTES32,
    "abi.encode": BYTES,
    "abi.encodePacked": BYTES,
    "abi.encodeWithSelector": BYTES,
    "abi.encodeWithSignature": BYTES,
    "abi.encodeCall": BYTES,
    "block.blockhash": BYTES32,
}

LOW_LEVEL_CALLS = frozenset({"call", "delegatecall", "staticcall", "callcode"})
ETHER_TRANSFERS = frozenset({"send", "transfer"})

__all__ = [
    "ADDRESS",
    "BLOCK_VALUES",
    "BOOL",
    "BUILTINS",
    "ETHER_TRANSFERS",
    "FUNCTION_RESULT_TYPES",
    "LOW_LEVEL_CALLS",
    "MEMBER_TYPES",
    "Builtin",
]
