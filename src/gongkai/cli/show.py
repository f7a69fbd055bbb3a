"""Terminal output of text gongkai did not write itself.

rich reads ``[...]`` in every string it prints as markup, so a file named ``[/x].txt`` raised
MarkupError mid-batch and ``[link=…]`` in a request would become a live link. Every value that
comes from a user, a file name, a document or the database goes through ``esc`` before it is put
into a string rich prints (``console.print``, table cells and titles); our own styling stays markup.
"""
from __future__ import annotations

from rich.markup import escape


def esc(value: object) -> str:
    """``value`` as text rich prints literally (None → "")."""
    return "" if value is None else escape(str(value))


def cells(*values: object) -> list[str]:
    """Table cells, each printed literally: ``table.add_row(*cells(a, b))``."""
    return [esc(v) for v in values]
