"""Cells of a CSV written for a spreadsheet: never a formula it would run."""

from __future__ import annotations

from typing import TypeVar

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
"""How a cell begins that a spreadsheet would run as a formula."""

Cell = TypeVar("Cell")


def inert(cell: Cell) -> Cell | str:
    """The cell as a spreadsheet shows it and never runs it: text that would begin a formula
    (``=cmd()``, ``+44``, ``-2+3``, ``@SUM(…)``) gets a leading ``'``. Names, lists and ids come
    from visitors and from whoever wrote a list, and may be hostile."""
    return f"'{cell}" if isinstance(cell, str) and cell.startswith(FORMULA_STARTS) else cell
