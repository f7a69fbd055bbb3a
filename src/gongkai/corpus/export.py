"""The stored corpus as a table: CSV, Excel workbook, Parquet, or a rich table for the terminal.

``load_corpus`` reads the latest version of every report from the store and computes the indicators
(``gongkai.corpus.compare``) and the cross-report findings (``gongkai.corpus.crossyear``). The writers only lay them out:

* CSV and Parquet: one row per report with the indicator columns (English field names, stable for
  scripts; ``headers="zh"`` gives the Chinese ones). CSV is UTF-8 with a BOM so Excel opens it right.
* Excel: an office's workbook — Chinese headers; sheets 指标, 表二 (one per format, their columns
  differ), 表三, 表四, 问题清单 (every finding with the cells it names, as 表/行/列 labels, and where
  they were printed) and 趋势 (received requests per agency and year).
"""
from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from .compare import COLUMNS, RATES, Indicators, Placed, cell_label, compare, trends
from .crossyear import CorpusFinding, check_corpus
from ..formats import load_format
from ..model import Cell, Kind, Report
from ..spreadsheet import append_row, csv_row
from ..store.reports import ReportStore, StoredReportView

FORMATS = ("csv", "xlsx", "parquet")


@dataclass
class Corpus:
    views: list[StoredReportView]
    rows: list[Indicators]
    cross: list[CorpusFinding]


def build_corpus(views: Iterable[StoredReportView]) -> Corpus:
    views = list(views)
    placed = [Placed(v.info.agency, v.info.year, v.report, v.info.parent, v.info.version, v.info.sha256, v.info.path,
                     v.info.n_errors, v.info.n_warnings) for v in views]
    return Corpus(views, compare(placed), check_corpus(placed))


def load_corpus(store: ReportStore, *, agency: str | None = None, year: int | None = None) -> Corpus:
    """Latest versions from the store. Cross-year checks need the neighbours, so they run on the
    whole corpus and the filter applies to what is shown."""
    corpus = build_corpus(store.load_reports())
    if agency is None and year is None:
        return corpus
    name = store.rules.normalise(agency) if agency else None
    keep = lambda a, y: (name is None or a == name) and (year is None or y == year)  # noqa: E731
    return Corpus([v for v in corpus.views if keep(v.info.agency, v.info.year)],
                  [r for r in corpus.rows if keep(r.agency, r.year)],
                  [f for f in corpus.cross if keep(f.agency, f.year)])


@dataclass
class Page:
    """One page of the indicator rows (computed in SQL), how many rows match, and the cross-report
    findings about the reports on the page."""

    rows: list[Indicators]
    total: int
    cross: list[CorpusFinding]


def load_page(store: ReportStore, *, agency: str | None = None, year: int | None = None, limit: int | None = 50,
              offset: int = 0, cross: bool = True) -> Page:
    """The rows ``load_corpus`` gives, a page at a time and from SQL; the cross-report checks run only
    on the page's reports and the neighbours they need (previous years, children)."""
    rows, total = store.indicator_rows(agency=agency, year=year, limit=limit, offset=offset)
    return Page(rows, total, page_cross(store, rows) if cross else [])


def page_cross(store: ReportStore, rows: list[Indicators]) -> list[CorpusFinding]:
    from .crossyear import needed_cells

    keys = {(r.agency, r.year) for r in rows}
    views = store.load_cells(store.neighbour_versions(sorted(keys)), needed_cells())
    found = build_corpus(views).cross
    return [f for f in found if (f.agency, f.year) in keys]


def load_rows(store: ReportStore, *, agency: str | None = None, year: int | None = None) -> Corpus:
    """Every indicator row (from SQL) without the reports: what the CSV and Parquet exports need."""
    return Corpus([], load_page(store, agency=agency, year=year, limit=None, cross=False).rows, [])


def export(corpus: Corpus, path: str | Path, fmt: str | None = None, *, headers: str = "en") -> Path:
    path = Path(path)
    fmt = fmt or path.suffix.lstrip(".")
    if fmt == "csv":
        write_csv(corpus.rows, path, headers=headers)
    elif fmt == "xlsx":
        write_xlsx(corpus, path)
    elif fmt == "parquet":
        write_parquet(corpus.rows, path, headers=headers)
    else:
        raise ValueError(f"unknown export format {fmt!r} (one of {', '.join(FORMATS)})")
    return path


def _names(headers: str) -> list[str]:
    return [zh if headers == "zh" else key for key, zh in COLUMNS]


def write_csv(rows: list[Indicators], path: Path, *, headers: str = "en") -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(_names(headers))
        for r in rows:
            w.writerow(csv_row("" if v is None else v for v in r.as_row().values()))


def write_parquet(rows: list[Indicators], path: Path, *, headers: str = "en") -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    types = {"agency": pa.string(), "parent": pa.string(), "format": pa.string(), "sha256": pa.string(),
             "path": pa.string(), "year": pa.int32(), "version": pa.int32(), "errors": pa.int32(),
             "warnings": pa.int32(), "received_rank": pa.int32(), "disclosure_rank": pa.int32(), "peers": pa.int32()}
    data = [r.as_row() for r in rows]

    def kind(key: str):
        if key in types:
            return types[key]
        if key in RATES:
            return pa.float64()
        # Counts are integers; a count printed with decimals (a cell.non-negative-integer error in its report)
        # keeps the column float rather than lose the value.
        whole = all(d[key] is None or float(d[key]).is_integer() for d in data)
        return pa.int64() if whole else pa.float64()

    schema = pa.schema([(name, kind(key)) for (key, _), name in zip(COLUMNS, _names(headers))])
    columns = {name: [d[key] if d[key] is None or pa.types.is_floating(schema.field(name).type)
                      or not isinstance(d[key], float) else int(d[key]) for d in data]
               for (key, _), name in zip(COLUMNS, _names(headers))}
    pq.write_table(pa.table(columns, schema=schema), path)


# ---- Excel -----------------------------------------------------------------------------------------
def write_xlsx(corpus: Corpus, path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "指标"
    _sheet(ws, [zh for _, zh in COLUMNS], [list(r.as_row().values()) for r in corpus.rows],
           percent={i for i, (k, _) in enumerate(COLUMNS) if k in RATES})
    for fmt_id in ("2021", "2019"):
        views = [v for v in corpus.views if v.report.format == fmt_id]
        if views:
            spec = load_format(fmt_id)
            cols = list(dict.fromkeys(c.label for r in spec.table2 for c in r.columns))  # the form's order
            rows = []
            for v in views:
                for row in spec.table2:
                    if row.key in v.report.table2:
                        by = {c.label: _value(cell) for c, cell in zip(row.columns, v.report.table2[row.key])}
                        rows.append([v.info.agency, v.info.year, v.info.version, row.label] + [by.get(c) for c in cols])
            _sheet(wb.create_sheet(f"表二（{fmt_id}格式）"), ["机关", "年度", "版本", "项目"] + cols, rows)
    t3 = load_format("2021").table3
    rows = []
    for v in corpus.views:
        for row in t3.rows_for(v.report.table3_variant):
            if row.key in v.report.table3:
                rows.append([v.info.agency, v.info.year, v.info.version, row.label]
                            + [_value(c) for c in v.report.table3[row.key]])
    _sheet(wb.create_sheet("表三"), ["机关", "年度", "版本", "项目"] + [c.label for c in t3.columns], rows)
    t4 = load_format("2021").table4
    rows = [[v.info.agency, v.info.year, v.info.version, g.label] + [_value(c) for c in v.report.table4[g.key]]
            for v in corpus.views for g in t4.groups if g.key in v.report.table4]
    _sheet(wb.create_sheet("表四"), ["机关", "年度", "版本", "类别"] + [c.label for c in t4.columns], rows)
    _sheet(wb.create_sheet("问题清单"),
           ["机关", "年度", "来源", "级别", "代码", "说明", "English", "单元格", "打印位置", "数据"], finding_rows(corpus))
    series = trends(corpus.rows)
    years = sorted({y for ys in series.values() for y in ys})
    _sheet(wb.create_sheet("趋势"), ["机关（本年新收申请）"] + [f"{y}年" for y in years],
           [[a] + [ys.get(y) for y in years] for a, ys in series.items()])
    wb.save(path)


def finding_rows(corpus: Corpus) -> list[list[object]]:
    """Every finding, the report's own and the cross-report ones, with readable cell references."""
    out = []
    fmt = {(v.info.agency, v.info.year): v.report for v in corpus.views}
    for v in corpus.views:
        for f in v.report.findings:
            out.append(_finding_row(v.info.agency, v.info.year, "本报告检查", f, v.report))
    for cf in corpus.cross:
        out.append(_finding_row(cf.agency, cf.year, "跨报告比对", cf.finding, fmt.get((cf.agency, cf.year))))
    return out


def _finding_row(agency: str, year: int, origin: str, f, report: Report | None) -> list[object]:
    fmt_id = report.format if report else "2021"
    variant = report.table3_variant if report else None
    refs = [cell_label(fmt_id, k, variant) for k in f.cells]
    other = f.numbers.get("other") if isinstance(f.numbers, dict) else None
    if isinstance(other, dict) and other.get("cell"):
        refs.append(f"{other.get('year')}年报告 {cell_label(fmt_id, other['cell'], variant)}")
    where = []
    if report is not None:
        for k in f.cells:
            try:
                src = report.cell(k).source
            except (KeyError, ValueError, StopIteration):
                src = None
            if src is not None:
                where.append(f"{k}: {src.label()}")
    where += [json.dumps(p, ensure_ascii=False) for p in f.positions]
    return [agency, year, origin, f.severity.zh, f.code, f.message, f.gloss,
            "；".join(refs), "；".join(where), json.dumps(f.numbers, ensure_ascii=False) if f.numbers else ""]


def _value(cell: Cell) -> object:
    """What an office expects in a cell: the number, the printed mark (/, -, text), or empty for blank."""
    if cell.kind is Kind.NUMBER and not cell.unit:
        return int(cell.value) if cell.value == int(cell.value) else float(cell.value)
    if cell.kind in (Kind.BLANK, Kind.MISSING):
        return None
    if cell.kind is Kind.UNKNOWN:
        return "？"
    return cell.text or cell.kind.value


def _sheet(ws, header: list[str], rows: list[list[object]], *, percent: set[int] = frozenset(),
           freeze: str = "B2") -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for row in rows:
        append_row(ws, row)
    for i in percent:
        for (cell,) in ws.iter_rows(min_row=2, min_col=i + 1, max_col=i + 1):
            cell.number_format = "0.0%"
    ws.freeze_panes = freeze
    for i, h in enumerate(header, start=1):
        width = max([_width(h)] + [_width(r[i - 1]) for r in rows[:500] if r[i - 1] is not None])
        ws.column_dimensions[get_column_letter(i)].width = min(60, max(6, width + 2))
    long = {i for i in range(1, len(header) + 1) if ws.column_dimensions[get_column_letter(i)].width >= 60}
    for row in ws.iter_rows(min_row=2):  # text past the widest column wraps instead of being cut off
        for cell in row:
            if cell.column in long:
                cell.alignment = Alignment(wrap_text=True, vertical="top")


def _width(v: object) -> float:
    """Width of a value in Excel's character units: a CJK (wide) character takes two, others one; a percent or
    a float as Excel shows it."""
    import unicodedata

    if isinstance(v, float):
        v = f"{v:.1%}" if abs(v) <= 1 else f"{v:g}"
    text = str(v)
    longest_line = max(text.split("\n"), key=len) if text else ""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in longest_line)


# ---- terminal ----------------------------------------------------------------------------------------
SHOWN = ("agency", "year", "version", "received", "answered", "disclosure_rate", "unable_share",
         "carried_forward", "reviews", "review_correction_rate", "lawsuits", "lawsuit_correction_rate",
         "received_rank", "received_change", "errors", "warnings")
# What a narrow terminal still shows as a table; the rest is named under it.
CORE = ("agency", "year", "received", "answered", "disclosure_rate", "carried_forward", "reviews", "lawsuits",
        "errors")
HEADER_MIN = 4        # a header may fold onto lines of two characters, not fewer
AGENCY_MAX = 16       # a long agency name folds onto lines of eight characters rather than take the table's width


def rich_table(rows: list[Indicators], *, title: str = "政府信息公开年度报告 指标", width: int = 200):
    """The indicators laid out for a terminal ``width`` columns wide: every column as a table when they fit, the
    key columns when only those fit (the others named below), else one block per report, indicator by
    indicator. A value is never folded into strips or cut."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    headers = dict(COLUMNS)
    values = [{k: _fmt(k, v) for k, v in r.as_row().items()} for r in rows]
    for keys in (SHOWN, CORE):
        if _table_width(keys, headers, values) <= width:
            # Rich takes an unbroken run of CJK (本年新收申请) as one word it cannot narrow, and crops a table
            # that is still too wide: when the natural widths do not fit, every column gets its width here, and
            # headers fold inside it.
            natural = sum(max([_display(headers[k])] + [_display(d[k]) for d in values]) + 3 for k in keys) + 1
            t = Table(title=title)
            for k in keys:
                t.add_column(headers[k], justify="left" if k == "agency" else "right", overflow="fold",
                             width=None if natural <= width else _need(k, headers, values))
            for d in values:
                t.add_row(*[d[k] for k in keys])
            if keys is SHOWN:
                return t
            hidden = "、".join(headers[k] for k in SHOWN if k not in keys)
            return Group(t, Text(f"终端较窄，未显示：{hidden}（加宽终端或用 gongkai export 查看全部）", style="dim"))
    blocks = [Text(title, style="bold")]
    for d in values:
        blocks.append(Text(f"{d['agency']} {d['year']}年"))
        t = Table(show_header=False)
        t.add_column("指标", overflow="fold")
        t.add_column("值", justify="right", no_wrap=True)
        for k in SHOWN[2:]:
            t.add_row(headers[k], d[k])
        blocks.append(t)
    return Group(*blocks)


def _display(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _need(key: str, headers: dict[str, str], values: list[dict[str, str]]) -> int:
    widest = max([_display(d[key]) for d in values] or [1])
    if key == "agency":
        return min(widest, AGENCY_MAX)
    return max(widest, min(_display(headers[key]), HEADER_MIN))


def _table_width(keys, headers, values) -> int:
    return sum(_need(k, headers, values) + 3 for k in keys) + 1


def _fmt(key: str, v: object) -> str:
    if v is None:
        return "—"
    if key in RATES:
        return f"{v:+.0%}" if key == "received_change" else f"{v:.1%}"
    if key == "agency":
        from rich.markup import escape  # a stored name is printed as text, never as rich markup

        return escape(str(v))
    return f"{v:g}" if isinstance(v, float) else str(v)
