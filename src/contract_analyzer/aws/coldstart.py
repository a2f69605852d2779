"""Cold-start trims of the Lambda API handler, applied on import, before FastAPI loads.

FastAPI (0.119+) asks, for every route parameter and response model, whether it is a
*Pydantic v1* model, importing the whole ``pydantic.v1`` compatibility package to find
out (25-40 ms, about a tenth of the handler's import). The service has no v1 models, so
on Lambda (``AWS_LAMBDA_FUNCTION_NAME`` is set) the package is marked as absent: FastAPI
catches the ImportError and answers "no", as it would for a Pydantic without ``v1``.
Anything else that needs ``pydantic.v1`` in that process gets a clear ImportError; no
dependency of the Lambda package does (``bench/import_time.py`` measures the gain, a
test serves the API with the trim on). Elsewhere nothing changes.
"""

from __future__ import annotations

import os
import sys


def skip_pydantic_v1() -> bool:
    """Mark ``pydantic.v1`` as absent unless something already imported it; True when
    the mark is in place."""
    if "pydantic.v1" in sys.modules:
        return sys.modules["pydantic.v1"] is None
    sys.modules["pydantic.v1"] = None  # type: ignore[assignment]
    return True


TRIMMED = bool(os.environ.get("AWS_LAMBDA_FUNCTION_NAME")) and skip_pydantic_v1()
"""Whether this process runs with the trims (on Lambda)."""
