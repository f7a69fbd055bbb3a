"""What a composed report prints, defined once for every output: title, sections, and the three
tables as grids of cells with row/column spans, laid out as on the official forms
(spec ../shared/spec/format-and-rules.md §1.3–1.5, §2.2–2.4).

DOCX, HTML and Markdown draw these grids; none of them re-types a label. Every label comes from
the format data (``formats/*.yaml``, ``formats/tables.yaml``). A grid cell says what it is
(``role``) so a renderer can style a header apart from a number, and a value cell carries its
cell key (``t3.granted.natural``) so a test can find it on the page.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property, lru_cache

from ...formats import Format, Row, load_format
from ...model import Cell, Kind, Report

# Where each table goes: after the text of the section the official form puts it in.
TABLE_SECTION = {"table2": "proactive", "table3": "requests", "table4": "review_litigation"}

NOTE, HEADER, LABEL, VALUE = "note", "header", "label", "value"


@dataclass(frozen=True)
class GridCell:
    row: int
    col: int
    text: str
    role: str                 # note | header | label | value
    rowspan: int = 1
    colspan: int = 1
    vertical: bool = False    # the narrow 三、本年度办理结果 label, printed one character per line
    key: str | None = None    # cell key of a value cell, e.g. t3.granted.natural


@dataclass(frozen=True)
class TableLayout:
    name: str                         # table2 | table3 | table4
    n_cols: int
    header_rows: int                  # rows before the first data row (repeated on a new page)
    widths: tuple[float, ...]         # relative column widths, one per grid column
    cells: tuple[GridCell, ...]

    @property
    def n_rows(self) -> int:
        return max(c.row + c.rowspan for c in self.cells)

    def rows(self) -> list[list[GridCell]]:
        """Cells anchored in each row, left to right (the HTML table model)."""
        out: list[list[GridCell]] = [[] for _ in range(self.n_rows)]
        for c in sorted(self.cells, key=lambda c: (c.row, c.col)):
            out[c.row].append(c)
        return out

    @cached_property
    def _slots(self) -> dict[tuple[int, int], GridCell]:
        return {(r, k): c for c in self.cells
                for r in range(c.row, c.row + c.rowspan) for k in range(c.col, c.col + c.colspan)}

    def at(self, row: int, col: int) -> GridCell:
        """The cell covering grid slot (row, col)."""
        return self._slots[row, col]


@dataclass(frozen=True)
class SectionOut:
    key: str
    heading: str                     # 一、总体情况
    paragraphs: tuple[str, ...]
    table: TableLayout | None


@dataclass(frozen=True)
class DocumentOut:
    title: str
    sections: tuple[SectionOut, ...]
    preamble: tuple[str, ...] = ()   # the standard opening paragraph(s) between the title and 一


# ---------------------------------------------------------------- cells and text


def cell_text(cell: Cell | None) -> str:
    """A cell as printed: numbers exactly (Decimal without exponent), blank empty, "/" "-" text as text."""
    if cell is None or cell.kind in (Kind.BLANK, Kind.MISSING):
        return ""
    if cell.kind is Kind.NUMBER:
        if cell.text:
            return cell.text
        v = cell.value
        return format(v, "f") if isinstance(v, Decimal) else str(v)
    if cell.kind is Kind.SLASH:
        return cell.text or "/"
    if cell.kind is Kind.DASH:
        return cell.text or "-"
    # TEXT as printed; UNKNOWN has no value to print (a composed report should not hold one).
    return cell.text


def report_title(report: Report) -> str:
    return report.title or f"{report.agency}{report.year}年政府信息公开工作年度报告"


def paragraphs(text: str | None) -> tuple[str, ...]:
    return tuple(p.strip() for p in (text or "").split("\n") if p.strip())


@lru_cache(maxsize=None)
def _group_labels() -> dict[str, str]:
    """表三's group labels (三、本年度办理结果, （三）不予公开 …), from the format data."""
    return {g.key: g.label for g in load_format("2021").table3.groups}


# ---------------------------------------------------------------- 表二


def table2_layout(report: Report) -> TableLayout:
    """One block per 第二十条 item: item row across the table, 信息内容 + column labels, one row per item.

    The value area is as wide as the widest block (3); a block with fewer columns lets its last
    column span the rest, as the official 2021 form prints 本年处理决定数量 over three columns."""
    fmt = report.spec
    width = max(len(r.columns) for r in fmt.table2)
    blocks: list[list[Row]] = []
    for row in fmt.table2:
        if row.key not in report.table2:
            continue  # a row the report does not print (e.g. 规章 for an office without rule-making power)
        if blocks and blocks[-1][0].item == row.item and blocks[-1][0].columns == row.columns:
            blocks[-1].append(row)
        else:
            blocks.append([row])

    def spans(n: int) -> list[tuple[int, int]]:
        return [(1 + i, 1 if i < n - 1 else width - n + 1) for i in range(n)]

    cells: list[GridCell] = []
    r = 0
    for block in blocks:
        cells.append(GridCell(r, 0, block[0].item or "", HEADER, colspan=width + 1))
        cells.append(GridCell(r + 1, 0, report.spec.table3.header("content"), HEADER))
        for col, (c, span) in zip(block[0].columns, spans(len(block[0].columns))):
            cells.append(GridCell(r + 1, c, col.label, HEADER, colspan=span))
        r += 2
        for row in block:
            cells.append(GridCell(r, 0, row.label, LABEL))
            for col, cell, (c, span) in zip(row.columns, report.table2[row.key], spans(len(row.columns))):
                cells.append(GridCell(r, c, cell_text(cell), VALUE, colspan=span, key=f"t2.{row.key}.{col.key}"))
            r += 1
    # No repeated header: each 第二十条 block has its own, so a page break inside 表二 needs none.
    return TableLayout("table2", width + 1, 0, (2.4,) + (1.0,) * width, tuple(cells))


# ---------------------------------------------------------------- 表三


def table3_layout(report: Report) -> TableLayout:
    """Grid columns: 0 the vertical 三、本年度办理结果, 1 group labels （三）…（六）, 2 item labels, 3–9 data.

    Header (3 rows): the 勾稽 note over the 3×3 top-left block; 申请人情况 over the 7 data columns;
    自然人 and 总计 merged down; 法人或其他组织 over the five organisation columns."""
    spec = report.spec.table3
    groups = _group_labels()
    cols = spec.columns
    n = len(cols)
    cells = [
        GridCell(0, 0, f"（{spec.note}）", NOTE, rowspan=3, colspan=3),
        GridCell(0, 3, spec.header("applicants"), HEADER, colspan=n),
        GridCell(1, 3, cols[0].label, HEADER, rowspan=2),
        GridCell(1, 4, spec.header("organisations"), HEADER, colspan=n - 2),
        GridCell(1, 3 + n - 1, cols[-1].label, HEADER, rowspan=2),
    ]
    cells += [GridCell(2, 4 + i, c.label, HEADER) for i, c in enumerate(cols[1:-1])]

    rows = [r for r in spec.rows_for(report.table3_variant) if r.key in report.table3]
    # The vertical label covers the outcome rows and （七）总计, as on the form.
    outcome = [r for r in rows if r.outcome or r.key == "total"]
    for i, row in enumerate(rows):
        r = 3 + i
        if outcome and row is outcome[0]:
            cells.append(GridCell(r, 0, groups["outcome"], LABEL, rowspan=len(outcome), vertical=True))
        if row not in outcome:
            cells.append(GridCell(r, 0, row.label, LABEL, colspan=3))
        elif row.group is None:
            cells.append(GridCell(r, 1, row.label, LABEL, colspan=2))
        else:
            members = [x for x in rows if x.group == row.group]
            if row is members[0]:
                cells.append(GridCell(r, 1, groups[row.group], LABEL, rowspan=len(members)))
            cells.append(GridCell(r, 2, row.label, LABEL))
        cells += [GridCell(r, 3 + j, cell_text(cell), VALUE, key=f"t3.{row.key}.{c.key}")
                  for j, (c, cell) in enumerate(zip(cols, report.table3[row.key]))]
    # Widths in cm of a 15.6 cm A4 text block at 小五: data columns four characters wide
    # (法律服务/机构), group labels four (（三）不予/公开), item labels eleven.
    return TableLayout("table3", 3 + n, 3, (0.6, 1.45, 3.89) + (1.38,) * n, tuple(cells))


# ---------------------------------------------------------------- 表四


def table4_layout(report: Report) -> TableLayout:
    """行政复议 (5 columns) | 行政诉讼 (10) over 未经复议直接起诉 (5) | 复议后起诉 (5), then one data row.

    The litigation groups' labels in tables.yaml are "行政诉讼 未经复议直接起诉": the parent and the
    group, separated by a space."""
    spec = report.spec.table4
    n = len(spec.columns)
    review, *litigation = spec.groups
    parent = litigation[0].label.split()[0]
    cells = [GridCell(0, 0, review.label, HEADER, colspan=n),
             GridCell(0, n, parent, HEADER, colspan=n * len(litigation))]
    cells += [GridCell(1, j, c.label, HEADER, rowspan=2) for j, c in enumerate(spec.columns)]
    for g, group in enumerate(litigation, start=1):
        cells.append(GridCell(1, g * n, group.label.split()[-1], HEADER, colspan=n))
        cells += [GridCell(2, g * n + j, c.label, HEADER) for j, c in enumerate(spec.columns)]
    for g, group in enumerate(spec.groups):
        printed = report.table4.get(group.key) or [None] * n  # a group not given prints empty cells
        cells += [GridCell(3, g * n + j, cell_text(cell), VALUE, key=f"t4.{group.key}.{c.key}")
                  for j, (c, cell) in enumerate(zip(spec.columns, printed))]
    return TableLayout("table4", n * len(spec.groups), 3, (1.0,) * (n * len(spec.groups)), tuple(cells))


# ---------------------------------------------------------------- the document


def document(report: Report) -> DocumentOut:
    """Title, then the six sections in the format's order, each heading printed even when its text is empty."""
    fmt: Format = report.spec
    built = {"table2": table2_layout(report), "table3": table3_layout(report), "table4": table4_layout(report)}
    # A table the report does not hold at all is not printed (no header without a single row under it).
    tables = {TABLE_SECTION[name]: t for name, t in built.items() if getattr(report, name)}
    return DocumentOut(report_title(report), tuple(
        SectionOut(s.key, f"{s.number}、{s.title}", paragraphs(report.sections.get(s.key)), tables.get(s.key))
        for s in fmt.sections), preamble(report))


def preamble(report: Report) -> tuple[str, ...]:
    """The opening every annual report carries: under which regulation it is made, what its parts are and the
    period its figures cover (统计期限自1月1日起至12月31日止), in the wording of phrases.yaml."""
    from ..prose_common import phrases

    if report.year is None:
        return ()
    if any("统计期限" in text for text in report.sections.values()):
        return ()  # the office wrote its own opening (kept where it put it): said once, not twice
    parts = "、".join(s.title for s in report.spec.sections)
    return (phrases()["preamble"].format(agency=report.agency or "本机关", year=report.year, parts=parts),)
