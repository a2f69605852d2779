"""Gas cost figures the gas detectors report, one documented constant each.

Figures follow the EVM after Berlin (EIP-2929 cold/warm access) and Shanghai
(PUSH0). They are estimates of what a fix saves with the optimizer on: the exact
saving depends on the compiler version, optimizer runs and surrounding code.
"""

from __future__ import annotations

# --- raw opcode prices -------------------------------------------------------------
COLD_SLOAD = 2100
"""SLOAD of a slot not yet touched in the transaction (EIP-2929)."""
WARM_SLOAD = 100
"""SLOAD of a slot already touched in the transaction (EIP-2929)."""
MLOAD = 3
"""MLOAD/MSTORE of one word, without memory expansion."""
SSTORE_SET = 20_000
"""SSTORE that turns a zero slot into a non-zero one (EIP-2200)."""
CODE_DEPOSIT_PER_BYTE = 200
"""Deployment cost of each byte of runtime bytecode (Yellow Paper G_codedeposit)."""
KECCAK_BASE = 30
"""KECCAK256 base cost."""
KECCAK_PER_WORD = 6
"""KECCAK256 cost per 32-byte word hashed."""

# --- savings per pattern -----------------------------------------------------------
SLOAD_CACHED_PER_ITERATION = WARM_SLOAD - MLOAD
"""Reading a local copy (MLOAD or a stack DUP) instead of a warm SLOAD, each iteration."""
STORAGE_LENGTH_CACHED_PER_ITERATION = WARM_SLOAD - MLOAD
"""``arr.length`` of a storage array is an SLOAD of the array slot on every check."""
MEMORY_LENGTH_CACHED_PER_ITERATION = MLOAD
"""``arr.length`` of a memory array is an MLOAD on every check; a local is a DUP."""
PREFIX_INCREMENT = 5
"""``i++`` keeps a copy of the old value (DUP + POP) that ``++i`` does not need."""
UNCHECKED_INCREMENT_PER_ITERATION = 30
"""The overflow check of a checked ``++i`` (compare + conditional jump + panic path
setup) in Solidity 0.8.0-0.8.21, which does not drop it on its own."""
CUSTOM_ERROR_RUNTIME = 50
"""A revert with a 4-byte custom error selector instead of ABI-encoding a string
(memory writes of the offset, length and padded text)."""
ZERO_INIT_LOCAL = 3
"""Writing an explicit zero into a local that is already zero (no-optimizer builds)."""
ZERO_INIT_STATE = COLD_SLOAD + WARM_SLOAD
"""Deployment: SSTORE of zero into a fresh (zero, cold) slot still pays access + no-op
store."""
CALLDATA_COPY_PER_PARAM = 60
"""Copying a reference-type argument from calldata to memory (CALLDATACOPY, memory
expansion, ABI decoding of offset and length) for a short value; it grows by about
3 gas per 32-byte word."""
SLOT_SAVED_FIRST_WRITE = SSTORE_SET
"""Each storage slot saved by packing avoids one zero→non-zero SSTORE."""
CONSTANT_INSTEAD_OF_SLOAD = COLD_SLOAD
"""A constant or immutable is inlined in the bytecode: each transaction that reads it
saves a cold SLOAD (and deployment saves the initial SSTORE)."""
KECCAK_ONE_WORD = KECCAK_BASE + KECCAK_PER_WORD + 2 * MLOAD
"""Hashing a short constant at run time: KECCAK256 of one word plus storing it in
memory first; a constant is a single PUSH32."""
