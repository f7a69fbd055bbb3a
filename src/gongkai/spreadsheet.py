"""Text written into CSV and Excel files is never a formula.

A file name, an agency name, a request field or a document's text that begins with ``=``, ``+``,
``-``, ``@`` (or a tab or carriage return before one) is evaluated by Excel, LibreOffice and Sheets
when the file is opened: ``=HYPERLINK(…)`` or ``=cmd|…`` from a crafted file name became formula
cells of ``gongkai check --format xlsx``. Every CSV and XLSX gongkai writes passes its values
through here (OWASP "CSV injection"):

* CSV: such text gets a leading ``'``, which spreadsheets show and never evaluate.
* XLSX: such text is stored as a string cell with Excel's quote-prefix flag, so the cell shows the
  exact text and stays text when edited; openpyxl would otherwise store any ``=…`` string as a formula.

A number printed with its sign (``-5``, ``+3.5``) and a lone dash are not formulas and stay as they are.
"""
from __future__ import annotations

import re
from typing import Iterable

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
_PLAIN = re.compile(r"[+-]?\d+(?:\.\d+)?%?|[-—－–]+")  # a signed number or a dash placeholder


def is_formula_like(value: object) -> bool:
    """Would a spreadsheet evaluate this text (or treat it as the start of a formula)?"""
    return isinstance(value, str) and value.startswith(_TRIGGERS) and not _PLAIN.fullmatch(value)


def csv_value(value: object) -> object:
    """A value for csv.writer: formula-like text gets a leading apostrophe."""
    return "'" + value if is_formula_like(value) else value


def csv_row(values: Iterable[object]) -> list[object]:
    return [csv_value(v) for v in values]


def keep_text(cell) -> None:
    """Mark an openpyxl cell whose value is formula-like text as text (quote prefix); others unchanged."""
    if is_formula_like(cell.value):
        cell.data_type = "s"
        cell.quotePrefix = True


def append_row(ws, values: Iterable[object]) -> None:
    """``ws.append(values)`` with formula-like text kept as text (openpyxl worksheet)."""
    values = list(values)
    ws.append(values)
    if any(is_formula_like(v) for v in values):
        for cell in ws[ws.max_row]:
            keep_text(cell)


def write_only_row(ws, values: Iterable[object]) -> list[object]:
    """The values for ``ws.append`` on a write-only worksheet, formula-like text as text cells."""
    out: list[object] = []
    for v in values:
        if is_formula_like(v):
            from openpyxl.cell import WriteOnlyCell

            c = WriteOnlyCell(ws, value=v)
            keep_text(c)
            out.append(c)
        else:
            out.append(v)
    return out
