"""What every reader produces: a document as a sequence of blocks.

Readers know file formats and nothing about annual reports. A block is either a paragraph of
text or a table given as a grid of cells with spans. Every piece keeps where it came from
(character offsets and line in a text file; page and box in a PDF; row/column in a grid), so a
value in the final report can be traced to the place it was printed.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union


@dataclass(frozen=True, init=False)
class Source:
    """Where a piece of text was found. Unknown parts stay None."""

    start: int | None = None          # character offset in the document text (text readers)
    end: int | None = None
    line: int | None = None           # 1-based line in the document text
    page: int | None = None           # 1-based page (PDF, scans)
    bbox: tuple[float, float, float, float] | None = None  # x0, top, x1, bottom in PDF points
    table: int | None = None          # index of the table block in the document
    row: int | None = None            # row / column in that table's grid
    col: int | None = None
    sheet: str | None = None          # worksheet name (spreadsheet input: the composer's Excel template)
    conf: float | None = None         # OCR: the lowest character confidence (0–1) of the text read there

    def __init__(self, start: int | None = None, end: int | None = None, line: int | None = None,
                 page: int | None = None, bbox: tuple[float, float, float, float] | None = None,
                 table: int | None = None, row: int | None = None, col: int | None = None,
                 sheet: str | None = None, conf: float | None = None) -> None:
        # The generated __init__ of a frozen dataclass calls object.__setattr__ once per field;
        # filling __dict__ at once halves the cost (readers build one Source per cell and line).
        self.__dict__.update(start=start, end=end, line=line, page=page, bbox=bbox, table=table, row=row, col=col,
                             sheet=sheet, conf=conf)

    def to_dict(self) -> dict:
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in self.__dict__.items() if v is not None}

    @classmethod
    def from_dict(cls, d: dict | None) -> "Source":
        d = dict(d or {})
        if d.get("bbox") is not None:
            d["bbox"] = tuple(d["bbox"])
        return cls(**d)

    def sub(self, start: int, end: int) -> "Source":
        """The part [start, end) of this source's text (offsets relative to its start)."""
        if self.start is None:
            return self
        # Built without the frozen dataclass __init__ (a setattr per field): the matcher makes a
        # sub-source for every value it considers, tens of thousands per second.
        out = object.__new__(Source)
        d = out.__dict__
        d.update(self.__dict__)
        d["start"] = self.start + start
        d["end"] = self.start + end
        return out

    @classmethod
    def in_text(cls, start: int | None, end: int | None, line: int | None) -> "Source":
        """``Source(start, end, line)``, built as ``sub`` builds one: the text reader makes one per line."""
        out = object.__new__(cls)
        d = out.__dict__
        d.update(_NO_FIELDS)
        d["start"], d["end"], d["line"] = start, end, line
        return out

    @classmethod
    def row_cells(cls, spans: list[tuple[str, int, int]], line: int, table: int, row: int) -> list["Source"]:
        """``Source(start, end, line, table=table, row=row, col=col)`` for each (text, start, end) of a text
        table's row, from the fields its cells share."""
        shared = dict(_NO_FIELDS, line=line, table=table, row=row)  # the fields in their order
        out = []
        for col, (_text, start, end) in enumerate(spans):
            s = object.__new__(cls)
            d = s.__dict__
            d.update(shared)
            d["start"], d["end"], d["col"] = start, end, col
            out.append(s)
        return out

    def label(self) -> str:
        """Short human-readable position, e.g. ``line 83`` or ``p.3 r4c2``."""
        if self.sheet is not None and self.row is not None and self.col is not None:
            return f"{self.sheet}!{_column_letters(self.col)}{self.row + 1}"  # as a spreadsheet names a cell
        parts = []
        if self.page is not None:
            parts.append(f"p.{self.page}")
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.row is not None and self.col is not None:
            parts.append(f"r{self.row + 1}c{self.col + 1}")
        return " ".join(parts) or "?"


_NO_FIELDS = dict(Source().__dict__)  # every field None, in the order the constructor sets them


def _column_letters(col: int) -> str:
    """0-based column index → A, B, …, Z, AA, …"""
    out = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


@dataclass
class Paragraph:
    text: str
    source: Source = field(default_factory=Source)
    heading_level: int | None = None  # Markdown/HTML heading level where the reader knows it


@dataclass
class TableCell:
    text: str
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1
    source: Source = field(default_factory=Source)


@dataclass
class Table:
    """A grid. ``rows`` lists the cells as printed in each row (merged cells appear once, in
    the row where they start, with their spans)."""

    rows: list[list[TableCell]]
    source: Source = field(default_factory=Source)

    @property
    def n_rows(self) -> int:
        return len(self.rows)


Block = Union[Paragraph, Table]


@dataclass
class Document:
    """A read document: its blocks and where it came from."""

    path: str
    blocks: list[Block]
    kind: str                  # "text", "markdown", "html", "pdf", "docx"
    text: str = ""             # full plain text where the reader has it (for offsets)
    pages: int | None = None
    meta: dict = field(default_factory=dict)
    findings: list = field(default_factory=list)  # how the file was read (e.g. read.decode-errors)
