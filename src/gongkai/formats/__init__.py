"""The official report formats, loaded from the YAML files beside this module.

Everything a reader, matcher, rule or composer needs to know about the national formats —
sections, table rows and columns, their stable keys, official labels and the label variants
seen in real reports — lives in ``2021.yaml``, ``2019.yaml`` and ``tables.yaml``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from ..text import normalize_label

HERE = Path(__file__).resolve().parent


def _is_regex(text: str) -> bool:
    return text.startswith("^") or text.endswith("$") or "(?" in text


@dataclass(frozen=True)
class Pattern:
    """A label pattern: a substring of the normalised label, or a regex (starts with ^, ends with $ or has (?)."""

    source: str
    regex: re.Pattern[str]

    @classmethod
    def of(cls, text: str) -> "Pattern":
        if _is_regex(text):
            return cls(text, re.compile(text))
        return cls(text, re.compile(re.escape(normalize_label(text))))

    @property
    def literal(self) -> str | None:
        """The normalised text a substring pattern looks for (None for a regex)."""
        return None if _is_regex(self.source) else normalize_label(self.source)

    def search(self, normalised: str, pos: int = 0) -> re.Match[str] | None:
        return self.regex.search(normalised, pos)


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    decimal: bool = False
    signed: bool = False


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    patterns: tuple[Pattern, ...]
    columns: tuple[Column, ...] = ()
    group: str | None = None
    outcome: bool = False
    variant: str | None = None
    item: str | None = None

    def match(self, normalised: str, pos: int = 0) -> re.Match[str] | None:
        """Earliest match of any of this row's patterns at or after ``pos``."""
        best = None
        for p in self.patterns:
            m = p.search(normalised, pos)
            if m and (best is None or m.start() < best.start()):
                best = m
        return best


@dataclass(frozen=True)
class Section:
    key: str
    number: str
    title: str
    patterns: tuple[str, ...]


@dataclass(frozen=True)
class Table3Spec:
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    header_words: tuple[str, ...]
    note: str
    groups: tuple[Column, ...] = ()              # 三、本年度办理结果, （三）不予公开 … (key = Row.group)
    headers: tuple[tuple[str, str], ...] = ()    # printed header words: applicants, organisations, content

    def group_label(self, key: str) -> str:
        return next(g.label for g in self.groups if g.key == key)

    def header(self, key: str) -> str:
        return dict(self.headers)[key]

    def rows_for(self, variant: str) -> tuple[Row, ...]:
        """The data rows printed in a table with （六） as one row ("single") or three ("split"): the same
        tuple every time, so what the matcher memoises by the rows' identity is found again."""
        got = _ROWS_FOR.get((id(self), variant))
        if got is None or got[0] is not self:
            got = _ROWS_FOR[(id(self), variant)] = (self, tuple(r for r in self.rows if r.variant in (None, variant)))
        return got[1]

    def outcome_rows(self, variant: str) -> tuple[Row, ...]:
        return tuple(r for r in self.rows_for(variant) if r.outcome)


_ROWS_FOR: dict[tuple[int, str], tuple[Table3Spec, tuple[Row, ...]]] = {}


@dataclass(frozen=True)
class Table4Spec:
    columns: tuple[Column, ...]
    groups: tuple[Column, ...]
    start_patterns: tuple[str, ...]

    def group_name(self, key: str) -> str:
        """A group as one name: tables.yaml labels a litigation group "行政诉讼 未经复议直接起诉" (the printed
        parent header, then the group), named in messages 行政诉讼（未经复议直接起诉）."""
        label = next((g.label for g in self.groups if g.key == key), key)
        parent, _, group = label.partition(" ")
        return f"{parent}（{group}）" if group else parent


@dataclass(frozen=True)
class Format:
    id: str
    name: str
    markers: tuple[str, ...]
    table3_variant: str
    table2: tuple[Row, ...]
    sections: tuple[Section, ...]
    table3: Table3Spec
    table4: Table4Spec
    first_year: int | None = None
    last_year: int | None = None

    def table2_row(self, key: str) -> Row:
        return next(r for r in self.table2 if r.key == key)

    def split_key(self, key: str, variant: str | None = None) -> tuple[str, str | None, str | None]:
        """A finding's cell key as (table, row, column): ``t3.granted.natural`` a cell, ``t3.granted`` or
        ``t3.other.other`` (split variant) a whole row, ``t4.all`` or ``t3`` a whole table. Row keys hold dots
        (``denied.state_secret``), so the key is read against the form's rows, not by counting dots; the
        table-三 variant settles ``t3.other.other`` (cell of row （六） in "single", row 3.其他 in "split")."""
        table, _, rest = key.partition(".")
        rows, columns = self._rows_and_columns(table, variant)
        if rows is None or not rest or rest == "all":
            return table, None, None
        row, _, col = rest.rpartition(".")
        if row and row in rows and col in columns(row):
            return table, row, col
        if rest in rows:
            return table, rest, None
        return table, row or rest, col or None

    def _rows_and_columns(self, table: str, variant: str | None):
        if table == "t3":
            keys = {r.key for r in self.table3.rows_for(variant or self.table3_variant)}
            return keys, lambda _row: {c.key for c in self.table3.columns}
        if table == "t4":
            return {g.key for g in self.table4.groups}, lambda _row: {c.key for c in self.table4.columns}
        if table == "t2":
            return {r.key for r in self.table2}, lambda row: {c.key for c in self.table2_row(row).columns}
        return None, None

    TABLE_NAMES = {"t2": "表二", "t3": "表三", "t4": "表四"}

    def row_words(self, table: str, row: str) -> str:
        if table == "t3":
            return next((r.label for r in self.table3.rows if r.key == row), row)
        if table == "t4":
            return self.table4.group_name(row)
        return next((r.label for r in self.table2 if r.key == row), row)

    def column_words(self, table: str, row: str | None, col: str) -> str:
        if table == "t3":
            columns = self.table3.columns
        elif table == "t4":
            columns = self.table4.columns
        else:
            r2 = next((r for r in self.table2 if r.key == row), None)
            columns = r2.columns if r2 else ()
        return next((c.label for c in columns if c.key == col), col)

    def cell_words(self, key: str, variant: str | None = None) -> str:
        """A key in the words of the form: ``t3.granted.natural`` → 表三「（一）予以公开」自然人, a whole row
        ``t3.granted`` → 表三「（一）予以公开」, a whole table ``t4.all`` → 表四. Never raises: a key the form does
        not know is shown as it is."""
        table, row, col = self.split_key(key, variant)
        name = self.TABLE_NAMES.get(table)
        if name is None:
            return key
        if row is None:
            return name
        words = f"{name}「{self.row_words(table, row)}」"
        return words + self.column_words(table, row, col) if col else words

    def cell_keys(self, variant: str | None = None) -> list[str]:
        """Every cell key of this format, e.g. ``t3.granted.natural``."""
        keys = [f"t2.{r.key}.{c.key}" for r in self.table2 for c in r.columns]
        for r in self.table3.rows_for(variant or self.table3_variant):
            keys += [f"t3.{r.key}.{c.key}" for c in self.table3.columns]
        for g in self.table4.groups:
            keys += [f"t4.{g.key}.{c.key}" for c in self.table4.columns]
        return keys


def _columns(items) -> tuple[Column, ...]:
    return tuple(Column(c["key"], c["label"], c.get("decimal", False), c.get("signed", False)) for c in items)


def _row(d: dict) -> Row:
    return Row(
        key=d["key"], label=d["label"], patterns=tuple(Pattern.of(p) for p in d.get("patterns", [d["label"]])),
        columns=_columns(d.get("columns", [])), group=d.get("group"), outcome=d.get("outcome", False),
        variant=d.get("variant"), item=d.get("item"),
    )


@lru_cache(maxsize=None)
def _tables() -> tuple[Table3Spec, Table4Spec]:
    raw = yaml.safe_load((HERE / "tables.yaml").read_text(encoding="utf-8"))
    t3, t4 = raw["table3"], raw["table4"]
    return (
        Table3Spec(_columns(t3["columns"]), tuple(_row(r) for r in t3["rows"]), tuple(t3["header_words"]), t3["note"],
                   _columns(t3["groups"]), tuple(t3["headers"].items())),
        Table4Spec(_columns(t4["columns"]), _columns(t4["groups"]), tuple(t4["start_patterns"])),
    )


@lru_cache(maxsize=None)
def load_format(format_id: str) -> Format:
    raw = yaml.safe_load((HERE / f"{format_id}.yaml").read_text(encoding="utf-8"))
    t3, t4 = _tables()
    first, last = (raw.get("years") or [None, None])
    return Format(
        id=str(raw["id"]), name=raw["name"], markers=tuple(raw["markers"]), table3_variant=raw["table3_variant"],
        table2=tuple(_row(r) for r in raw["table2"]["rows"]),
        sections=tuple(Section(s["key"], s["number"], s["title"], tuple(s["patterns"])) for s in raw["sections"]),
        table3=t3, table4=t4, first_year=first, last_year=last,
    )


FORMAT_IDS = ("2021", "2019")


def all_formats() -> list[Format]:
    return [load_format(f) for f in FORMAT_IDS]


@lru_cache(maxsize=None)
def header_texts() -> tuple[str, ...]:
    """Every text a form prints as a table's header, normalised as labels are (gongkai.text.normalize_label):
    column titles, 表三's 勾稽 note, 申请人情况 and the other header words, group labels, 表二's item headings.
    A line made of these, whole or in pieces, is a table's header (repeated after a page break), never prose."""
    from ..text import normalize_label

    texts: set[str] = set()
    for f in all_formats():
        t3, t4 = f.table3, f.table4
        texts.update([t3.note, *(v for _, v in t3.headers), *t3.header_words])
        texts.update(c.label for c in (*t3.columns, *t3.groups, *t4.columns))
        texts.update(part for g in t4.groups for part in g.label.split())
        for r in f.table2:
            texts.update(c.label for c in r.columns)
            if r.item:
                texts.add(r.item)
    return tuple(sorted(n for n in (normalize_label(t) for t in texts) if n))


def format_for_year(year: int | None) -> Format:
    """The format in force for a report year (used only to break ties in detection)."""
    if year is not None and year <= 2020:
        return load_format("2019")
    return load_format("2021")


# Stable key lists for code that only needs the keys (request register, composer).
T3_COLUMNS: tuple[str, ...] = tuple(c.key for c in _tables()[0].columns)
T3_ROWS_2021: tuple[str, ...] = tuple(r.key for r in _tables()[0].rows_for("split"))
T3_ROWS_2019: tuple[str, ...] = tuple(r.key for r in _tables()[0].rows_for("single"))
T4_GROUPS: tuple[str, ...] = tuple(g.key for g in _tables()[1].groups)
T4_COLUMNS: tuple[str, ...] = tuple(c.key for c in _tables()[1].columns)

__all__ = [
    "Column", "Format", "Row", "Section", "Table3Spec", "Table4Spec", "Pattern", "load_format", "all_formats",
    "format_for_year", "header_texts", "FORMAT_IDS", "T3_COLUMNS", "T3_ROWS_2021", "T3_ROWS_2019", "T4_GROUPS", "T4_COLUMNS",
]
