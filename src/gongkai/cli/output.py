"""Terminal output a person can read at any width: nothing cut with "…".

Rich crops a cell whose text does not fit its column and puts "…" at the end; a run of Chinese without spaces
is one word to rich, so at 80 columns (and when piped, where rich assumes 80) whole messages were cut.
``ReadableConsole`` folds every table column instead: the text wraps inside its cell.
"""
from __future__ import annotations

from rich.console import Console
from rich.table import Table


def fold(table: Table) -> Table:
    """The table with every column wrapping (fold) rather than cropping; nested tables too."""
    for column in table.columns:
        column.overflow = "fold"
        column.no_wrap = False
        for cell in column._cells:
            if isinstance(cell, Table):
                fold(cell)
    return table


class ReadableConsole(Console):
    """A rich Console whose tables wrap their cells instead of cutting them with "…"."""

    def print(self, *objects, **kwargs) -> None:  # type: ignore[override]
        super().print(*(fold(o) if isinstance(o, Table) else o for o in objects), **kwargs)


__all__ = ["ReadableConsole", "fold"]
