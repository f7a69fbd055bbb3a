"""The report model: one annual report with its sections, its three tables and findings.

A cell keeps the value kind it was printed with — a number, a blank, "/", "-", other text, or
unknown when the source does not decide it — so 0 and blank never get confused, and where it
came from. ``Report.to_json``/``from_json`` give the stable, documented JSON form
(schema ``gongkai.report/1``, see docs/schema.md).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from typing import Iterator

from .blocks import Source
from .findings import Finding
from .formats import Format, load_format

SCHEMA = "gongkai.report/1"


class Kind(str, Enum):
    NUMBER = "number"
    BLANK = "blank"      # printed empty: not 0
    SLASH = "slash"      # "/" or "／"
    DASH = "dash"        # "-", "—", "－"
    TEXT = "text"        # other printed text (e.g. 无, 空)
    UNKNOWN = "unknown"  # the source does not decide the value (see the cell's findings)
    MISSING = "missing"  # the row or table is not printed at all


class Basis(str, Enum):
    """How gongkai arrived at a cell's value."""

    PRINTED = "printed"            # a cell of its own in the source
    SPLIT = "split"                # cut out of run-together digits; the cut was unique
    ARITHMETIC = "arithmetic"      # cut chosen because it alone satisfies the table's sums
    PROSE = "prose"                # cut chosen because the report's own text states the number
    PLAUSIBILITY = "plausibility"  # several cuts remain; the most plausible is shown (finding says so)


Number = int | Decimal


@dataclass(slots=True)
class Cell:
    kind: Kind
    value: Number | None = None
    text: str = ""                  # as printed (after trimming)
    unit: str | None = None         # e.g. 元 when printed inside the cell
    source: Source | None = None
    basis: Basis = Basis.PRINTED
    alternatives: list[Number | None] = field(default_factory=list)

    @classmethod
    def blank(cls, source: Source | None = None) -> "Cell":
        return cls(Kind.BLANK, None, "", source=source)

    @classmethod
    def missing(cls) -> "Cell":
        return cls(Kind.MISSING)

    @property
    def is_number(self) -> bool:
        return self.kind is Kind.NUMBER

    def number_or_none(self) -> Number | None:
        return self.value if self.kind is Kind.NUMBER else None

    def as_printed(self) -> object:
        """The value as a hand-checked truth file records it: number, null for blank, or text."""
        if self.kind is Kind.NUMBER:
            if self.unit:
                return self.text
            return self.value
        if self.kind in (Kind.BLANK, Kind.MISSING, Kind.UNKNOWN):
            return None
        return self.text

    def to_dict(self) -> dict:
        d: dict = {"kind": self.kind.value}
        if self.value is not None:
            d["value"] = _json_number(self.value)
        if self.text:
            d["text"] = self.text
        if self.unit:
            d["unit"] = self.unit
        if self.basis is not Basis.PRINTED:
            d["basis"] = self.basis.value
        if self.alternatives:
            d["alternatives"] = [_json_number(a) if a is not None else None for a in self.alternatives]
        if self.source is not None:
            d["source"] = self.source.to_dict()
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "Cell":
        return cls(
            Kind(d["kind"]), _from_json_number(d.get("value")), d.get("text", ""), d.get("unit"),
            Source.from_dict(d["source"]) if "source" in d else None, Basis(d.get("basis", "printed")),
            [_from_json_number(a) for a in d.get("alternatives", [])],
        )


_NUMBER = Kind.NUMBER  # bound once: sums run over every row of every report and every reading


def part_sum(cells) -> Number:
    """The sum of the numbers among ``cells``. A blank, "/", "-" or text adds nothing — it is not a 0: the
    rules report such cells on their own, and a blank total against non-zero parts is a break."""
    s: Number = 0
    for c in cells:  # a plain loop: this runs for every row of every report and every reading of a row
        if c.kind is _NUMBER and c.value is not None:
            s += c.value
    return s


def _json_number(v: Number) -> int | float | str:
    if isinstance(v, Decimal):
        # Keep exactly what was printed: 24252.311082 must not become 24252.311081999.
        return float(v) if Decimal(repr(float(v))) == v else str(v)
    return v


def _from_json_number(v) -> Number | None:
    if v is None:
        return None
    if isinstance(v, bool):
        raise ValueError("boolean is not a number")
    if isinstance(v, int):
        return v
    return Decimal(str(v))


@dataclass
class Report:
    """One annual report. Tables are keyed ``row -> [cells]`` in the format's column order."""

    format: str
    table3_variant: str
    agency: str | None = None
    year: int | None = None
    title: str | None = None
    path: str | None = None
    source_kind: str | None = None
    sections: dict[str, str] = field(default_factory=dict)
    table2: dict[str, list[Cell]] = field(default_factory=dict)
    table3: dict[str, list[Cell]] = field(default_factory=dict)
    table4: dict[str, list[Cell]] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)

    @property
    def spec(self) -> Format:
        return load_format(self.format)

    # ---- cell access by key --------------------------------------------------------------
    def cell(self, key: str) -> Cell:
        """A cell by key: ``t2.normative_documents.made``, ``t3.granted.natural``, ``t4.review.total``."""
        table, row, col = _split_key(key)
        rows = {"t2": self.table2, "t3": self.table3, "t4": self.table4}[table]
        cols = self._columns(table, row)
        if row not in rows:
            return Cell.missing()
        return rows[row][cols.index(col)]

    def _columns(self, table: str, row: str) -> list[str]:
        spec = self.spec
        if table == "t2":
            return [c.key for c in spec.table2_row(row).columns]
        if table == "t3":
            return [c.key for c in spec.table3.columns]
        return [c.key for c in spec.table4.columns]

    def cells(self) -> Iterator[tuple[str, Cell]]:
        """Every cell with its key, in the format's order (printed rows only)."""
        spec = self.spec
        for r in spec.table2:
            if r.key in self.table2:
                for c, cell in zip(r.columns, self.table2[r.key]):
                    yield f"t2.{r.key}.{c.key}", cell
        for r in spec.table3.rows_for(self.table3_variant):
            if r.key in self.table3:
                for c, cell in zip(spec.table3.columns, self.table3[r.key]):
                    yield f"t3.{r.key}.{c.key}", cell
        for g in spec.table4.groups:
            if g.key in self.table4:
                for c, cell in zip(spec.table4.columns, self.table4[g.key]):
                    yield f"t4.{g.key}.{c.key}", cell

    # ---- JSON -----------------------------------------------------------------------------
    def to_dict(self, *, with_findings: bool = True) -> dict:
        d = {
            "schema": SCHEMA, "format": self.format, "table3_variant": self.table3_variant,
            "agency": self.agency, "year": self.year, "title": self.title, "path": self.path,
            "source_kind": self.source_kind, "sections": dict(self.sections),
            "table2": {k: [c.to_dict() for c in v] for k, v in self.table2.items()},
            "table3": {k: [c.to_dict() for c in v] for k, v in self.table3.items()},
            "table4": {k: [c.to_dict() for c in v] for k, v in self.table4.items()},
        }
        if with_findings:
            d["findings"] = [f.to_dict() for f in self.findings]
        return d

    def to_json(self, **kw) -> str:
        return json.dumps(self.to_dict(**kw), ensure_ascii=False, indent=1)

    @classmethod
    def from_dict(cls, d: dict) -> "Report":
        if d.get("schema") != SCHEMA:
            raise ValueError(f"not a {SCHEMA} document (schema={d.get('schema')!r})")
        return cls(
            format=d["format"], table3_variant=d["table3_variant"], agency=d.get("agency"), year=d.get("year"),
            title=d.get("title"), path=d.get("path"), source_kind=d.get("source_kind"),
            sections=dict(d.get("sections", {})),
            table2={k: [Cell.from_dict(c) for c in v] for k, v in d.get("table2", {}).items()},
            table3={k: [Cell.from_dict(c) for c in v] for k, v in d.get("table3", {}).items()},
            table4={k: [Cell.from_dict(c) for c in v] for k, v in d.get("table4", {}).items()},
            findings=[Finding.from_dict(f) for f in d.get("findings", [])],
        )

    @classmethod
    def from_json(cls, text: str) -> "Report":
        return cls.from_dict(json.loads(text))

    # ---- the compact form of the hand-checked truth files ---------------------------------
    def to_truth_form(self) -> dict:
        """Values as ``../shared/corpus/truth`` records them: numbers, null for blank, text."""
        t2: dict = {}
        for r in self.spec.table2:
            if r.key in self.table2:
                t2[r.key] = {c.key: cell.as_printed() for c, cell in zip(r.columns, self.table2[r.key])}
        return {
            "agency": self.agency, "year": self.year, "template": self.format,
            "table2": t2,
            "table3": {k: [c.as_printed() for c in v] for k, v in self.table3.items()},
            "table4": {k: [c.as_printed() for c in v] for k, v in self.table4.items()},
        }


def _split_key(key: str) -> tuple[str, str, str]:
    table, rest = key.split(".", 1)
    row, col = rest.rsplit(".", 1)
    return table, row, col
