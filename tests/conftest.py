"""Shared test set-up: ``tests/`` is importable, so tests can use ``support``."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
