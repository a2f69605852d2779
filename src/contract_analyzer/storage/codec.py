"""Values to bytes and back: compact JSON, compressed with zlib when that pays.

The first byte says how the rest is encoded, so the reader never guesses:
``J`` plain UTF-8 JSON, ``Z`` zlib-compressed JSON, ``P`` a pointer (the rest is the
key of the value in the overflow blob store, see :mod:`contract_analyzer.storage.cache`).
Small values stay plain: decompressing costs more than it saves below a few kB.
"""

from __future__ import annotations

import json
import zlib
from typing import Any

PLAIN = b"J"
ZLIB = b"Z"
POINTER = b"P"
COMPRESS_ABOVE = 4096
"""Values whose JSON is longer than this many bytes are compressed."""


def dumps(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()


def encode(value: Any, *, compress_above: int = COMPRESS_ABOVE) -> bytes:
    """``value`` (JSON-ready) as tagged bytes."""
    raw = dumps(value)
    if len(raw) > compress_above:
        packed = zlib.compress(raw, 6)
        if len(packed) < len(raw):
            return ZLIB + packed
    return PLAIN + raw


def decode(data: bytes) -> Any:
    """The value :func:`encode` encoded. Raises ``ValueError`` for anything else
    (a pointer included: the caller resolves those)."""
    tag, body = data[:1], data[1:]
    if tag == PLAIN:
        return json.loads(body)
    if tag == ZLIB:
        return json.loads(zlib.decompress(body))
    raise ValueError(f"not an encoded value (tag {tag!r})")


def pointer(key: str) -> bytes:
    return POINTER + key.encode()


def pointer_key(data: bytes) -> str | None:
    """The blob key if ``data`` is a pointer, else ``None``."""
    return data[1:].decode() if data[:1] == POINTER else None
