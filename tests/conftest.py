"""Test configuration: make the tests folder importable for shared helpers, and keep
the local state of every app and server the tests start (result cache, job store) in a
fresh folder per test process, never in the repository's ``.data/``."""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

if "CONTRACT_ANALYZER_DATA_DIR" not in os.environ:
    _DATA_DIR = tempfile.mkdtemp(prefix="contract-analyzer-tests-")
    os.environ["CONTRACT_ANALYZER_DATA_DIR"] = _DATA_DIR
    atexit.register(shutil.rmtree, _DATA_DIR, ignore_errors=True)
