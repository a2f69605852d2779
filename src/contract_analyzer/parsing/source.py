"""Turning raw input into text we are willing to analyse."""

from __future__ import annotations

from pathlib import Path

from contract_analyzer.errors import InputError
from contract_analyzer.sourcetext import is_blank

MAX_SOURCE_BYTES = 5 * 1024 * 1024
"""Files larger than this are refused (no real contract comes close)."""


def decode_source(data: bytes, *, name: str = "<input>", max_bytes: int = MAX_SOURCE_BYTES) -> str:
    """Decode source bytes, refusing what is clearly not Solidity text.

    Raises :class:`InputError` with one clear sentence for empty, binary, non-UTF-8
    or oversized input.
    """
    if len(data) > max_bytes:
        raise InputError(
            f"{name}: file is too large ({len(data):,} bytes; the limit is {max_bytes:,})"
        )
    if not data.strip():
        raise InputError(f"{name}: file is empty")
    if b"\x00" in data[:8192]:
        raise InputError(f"{name}: file looks binary (it contains NUL bytes), not Solidity source")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{name}: file is not valid UTF-8 (byte {exc.start}); save it as UTF-8"
        ) from None
    return text


def check_text(text: str, *, name: str = "<input>", max_bytes: int = MAX_SOURCE_BYTES) -> str:
    """Validate source given as a string (the API path)."""
    if len(text) > max_bytes or len(text.encode("utf-8", "surrogatepass")) > max_bytes:
        raise InputError(f"{name}: source is too large (the limit is {max_bytes:,} bytes)")
    if is_blank(text):
        raise InputError(f"{name}: source is empty")
    if "\x00" in text:
        raise InputError(f"{name}: source contains NUL characters; it is not Solidity text")
    return text


def read_source_file(path: Path, *, max_bytes: int = MAX_SOURCE_BYTES) -> str:
    """Read and decode a file; every failure is an :class:`InputError`."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if size > max_bytes:
        raise InputError(f"{path}: file is too large ({size:,} bytes; the limit is {max_bytes:,})")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    return decode_source(data, name=str(path), max_bytes=max_bytes)
