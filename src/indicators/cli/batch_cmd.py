"""`indicators batch` commands (not yet available)."""

from __future__ import annotations

import argparse
from typing import Any


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add the `batch` command family to the top-level parser."""
