"""The Excel template an office fills in with the year's figures, and reading it back.

One sheet per table laid out like the official form (merged headers, the 勾稽 note, vertical group labels), the
labels taken from the format data. Input cells are unlocked and shaded; labels and total formulas are locked by
sheet protection without a password (a guard against accidents, not a security measure). A hidden sheet records
the format and 表三 variant so the layout can be rebuilt exactly when reading.

Reading recomputes every total itself (openpyxl does not evaluate formulas), with the semantics of
``validate.sum_of``. A total whose formula was replaced, or whose value Excel last showed disagrees with the
computed sum, becomes a finding; the value found there is kept and checked, never corrected. Cell sources are
``blocks.Source(sheet=…, row, col)`` (0-based, as for other grids); ``cell_reference`` gives ``表三!D7``.
"""
from __future__ import annotations

import re
import zipfile
from xml.etree.ElementTree import ParseError
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ..blocks import Source
from ..findings import Finding
from ..formats import FORMAT_IDS, Format, format_for_year, load_format
from ..model import Cell, Kind, Report
from ..read import ReadError
from ..read.limits import check_zip
from ..rules import make_finding
from ..spreadsheet import keep_text
from .figures import DASHES, SLASHES, FiguresError, parse_value
from .validate import cell_label, complete_totals, sum_of, total_parts

TEMPLATE_SCHEMA = "gongkai.template/1"
GUIDE, T2, T3, T4 = "说明", "表二", "表三", "表四"
SHEETS = (GUIDE, T2, T3, T4)
META = "_gongkai"
AGENCY_CELL, YEAR_CELL = (3, 2), (4, 2)          # (row, col) on the 说明 sheet
AGENCY_LABEL, YEAR_LABEL = "填报机关", "报告年度"

# The header words of the official form (tables.yaml headers): 表三's header rows and 表二's first column.
APPLICANTS, ORGANISATIONS, CONTENT = (load_format("2021").table3.header(k)
                                      for k in ("applicants", "organisations", "content"))

INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
TOTAL_FILL = PatternFill("solid", fgColor="E7E6E6")
THIN = Side(style="thin", color="808080")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)


# ---- the layout, shared by writing and reading ------------------------------------------------------------
@dataclass(frozen=True)
class Slot:
    key: str
    sheet: str
    row: int            # 1-based, as openpyxl
    col: int
    decimal: bool = False
    signed: bool = False
    span: int = 1       # columns merged into this input (2021 表二 single values span the block)


@dataclass
class Plan:
    """One sheet: labels (top-left of each merged block), merges, and the width in columns."""

    name: str
    width: int
    labels: list[tuple[int, int, str]] = field(default_factory=list)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    vertical: set[tuple[int, int]] = field(default_factory=set)

    def label(self, r: int, c: int, text: str, r2: int | None = None, c2: int | None = None,
              vertical: bool = False) -> None:
        self.labels.append((r, c, text))
        if (r2 or r) != r or (c2 or c) != c:
            self.merges.append((r, c, r2 or r, c2 or c))
        if vertical:
            self.vertical.add((r, c))


@dataclass
class Layout:
    spec: Format
    variant: str
    plans: dict[str, Plan]
    inputs: dict[str, Slot]
    totals: dict[str, Slot]
    parts: dict[str, list[str]]

    def slot(self, key: str) -> Slot:
        return self.inputs.get(key) or self.totals[key]

    def formula(self, key: str) -> str:
        refs = _refs([self.slot(k) for k in self.parts[key]])
        # A total of parts without any number stays empty: blank is not 0 (validate.sum_of does the same).
        return f'=IF(COUNT({refs})=0,"",SUM({refs}))'


def _refs(slots: list[Slot]) -> str:
    rows, cols = {s.row for s in slots}, sorted({s.col for s in slots})
    if len(rows) == 1 and cols == list(range(cols[0], cols[0] + len(slots))):
        r = slots[0].row
        return f"{get_column_letter(cols[0])}{r}:{get_column_letter(cols[-1])}{r}"
    rs = sorted(rows)
    if len(cols) == 1 and rs == list(range(rs[0], rs[0] + len(slots))):
        c = get_column_letter(cols[0])
        return f"{c}{rs[0]}:{c}{rs[-1]}"
    return ",".join(f"{get_column_letter(s.col)}{s.row}" for s in slots)


def _t3_groups() -> dict[str, str]:
    """表三 group labels (三、本年度办理结果, （三）不予公开 …), from the format data."""
    return {g.key: g.label for g in load_format("2021").table3.groups}


def _title(spec: Format, section: str) -> str:
    s = next(x for x in spec.sections if x.key == section)
    return f"{s.number}、{s.title}"


def _table2(spec: Format, inputs: dict[str, Slot]) -> Plan:
    width = 1 + max(len(r.columns) for r in spec.table2)
    plan = Plan(T2, width)
    plan.label(1, 1, _title(spec, "proactive"), c2=width)
    r = 2
    blocks: list[list] = []
    for row in spec.table2:  # consecutive rows under the same 第二十条 item form one block
        if blocks and blocks[-1][0].item == row.item and [c.key for c in blocks[-1][0].columns] == \
                [c.key for c in row.columns]:
            blocks[-1].append(row)
        else:
            blocks.append([row])
    for block in blocks:
        cols = block[0].columns
        last = 1 + len(cols)
        plan.label(r, 1, block[0].item or "", c2=width)
        plan.label(r + 1, 1, CONTENT)
        for j, c in enumerate(cols):
            plan.label(r + 1, 2 + j, c.label, c2=width if 2 + j == last else None)
        r += 2
        for row in block:
            plan.label(r, 1, row.label)
            for j, c in enumerate(row.columns):
                span = width - last + 1 if 2 + j == last else 1
                inputs[f"t2.{row.key}.{c.key}"] = Slot(f"t2.{row.key}.{c.key}", T2, r, 2 + j, c.decimal, c.signed, span)
            r += 1
    return plan


def _table3(spec: Format, variant: str, inputs: dict[str, Slot], totals: dict[str, Slot],
            total_keys: set[str]) -> Plan:
    cols = spec.table3.columns
    plan = Plan(T3, 3 + len(cols))
    first = 4  # first data column (D)
    plan.label(1, 1, _title(spec, "requests"), c2=plan.width)
    plan.label(2, 1, f"（{spec.table3.note}）", r2=4, c2=3)
    plan.label(2, first, APPLICANTS, c2=plan.width)
    plan.label(3, first, cols[0].label, r2=4)
    plan.label(3, first + 1, ORGANISATIONS, c2=first + len(cols) - 2)
    plan.label(3, plan.width, cols[-1].label, r2=4)
    for j, c in enumerate(cols[1:-1]):
        plan.label(4, first + 1 + j, c.label)
    groups = _t3_groups()
    rows = spec.table3.rows_for(variant)
    outcome = [r.key for r in spec.table3.outcome_rows(variant)]
    start = 5
    pos = {row.key: start + i for i, row in enumerate(rows)}
    block = (pos[outcome[0]], pos["total"])  # 三、本年度办理结果 runs from the first outcome row to （七）总计
    plan.label(block[0], 1, groups["outcome"], r2=block[1], vertical=True)
    seen: set[str] = set()
    for row in rows:
        r = pos[row.key]
        if not block[0] <= r <= block[1]:
            plan.label(r, 1, row.label, c2=3)
        elif row.group is None:
            plan.label(r, 2, row.label, c2=3)
        else:
            if row.group not in seen:
                members = [x.key for x in rows if x.group == row.group]
                plan.label(r, 2, groups[row.group], r2=pos[members[-1]])
                seen.add(row.group)
            plan.label(r, 3, row.label)
        for j, c in enumerate(cols):
            key = f"t3.{row.key}.{c.key}"
            (totals if key in total_keys else inputs)[key] = Slot(key, T3, r, first + j)
    return plan


def _table4(spec: Format, inputs: dict[str, Slot], totals: dict[str, Slot], total_keys: set[str]) -> Plan:
    cols = spec.table4.columns
    n = len(cols)
    plan = Plan(T4, n * len(spec.table4.groups))
    plan.label(1, 1, _title(spec, "review_litigation"), c2=plan.width)
    parents: list[tuple[str, int, int]] = []  # (parent label, first col, last col): 行政诉讼 spans two groups
    for i, g in enumerate(spec.table4.groups):
        c0 = 1 + n * i
        parent, _, sub = g.label.partition(" ")
        if parents and parents[-1][0] == parent:
            parents[-1] = (parent, parents[-1][1], c0 + n - 1)
        else:
            parents.append((parent, c0, c0 + n - 1))
        for j, c in enumerate(cols):
            if sub:
                plan.label(4, c0 + j, c.label)
            else:
                plan.label(3, c0 + j, c.label, r2=4)
            key = f"t4.{g.key}.{c.key}"
            (totals if key in total_keys else inputs)[key] = Slot(key, T4, 5, c0 + j)
        if sub:
            plan.label(3, c0, sub, c2=c0 + n - 1)
    for parent, c0, c1 in parents:
        plan.label(2, c0, parent, c2=c1)
    return plan


@lru_cache(maxsize=None)
def layout(format_id: str, variant: str) -> Layout:
    """The template layout of a format and 表三 variant: every sheet's labels and every cell's position."""
    spec = load_format(format_id)
    parts = total_parts(spec, variant)
    inputs: dict[str, Slot] = {}
    totals: dict[str, Slot] = {}
    plans = {T2: _table2(spec, inputs), T3: _table3(spec, variant, inputs, totals, set(parts)),
             T4: _table4(spec, inputs, totals, set(parts))}
    return Layout(spec, variant, plans, inputs, totals, parts)


@lru_cache(maxsize=None)
def _references(format_id: str, variant: str) -> dict[str, str]:
    lay = layout(format_id, variant)
    return {key: _ref(slot) for key, slot in {**lay.inputs, **lay.totals}.items()}


def template_reference(format_id: str, variant: str, key: str) -> str | None:
    """Where a cell sits in the template of its format (``表三!D7``), so any table an office reads names cells
    as the template does; None for a key the template has no cell for (a whole row, a finding's table)."""
    return _references(format_id, variant).get(key)


def cell_reference(source: Source | None) -> str | None:
    """``表三!D7`` for a cell read from the template, None for any other source."""
    if source is None or source.sheet not in SHEETS or source.row is None or source.col is None:
        return None
    return source.label()


# ---- writing ------------------------------------------------------------------------------------------
def write_template(path: str | Path, year: int, *, agency: str | None = None, prefill: Report | None = None
                   ) -> Path:
    """Write the template for report ``year`` (its format by year) to ``path``; with ``prefill`` its figures
    fill the inputs (numbers, "/", "-", text; blanks stay empty) and its 表三 variant is kept.

    A prefilled total that equals what its formula computes is written as the formula; one that does not is
    written as the value it has, not corrected, so reading the template back reports it (and the rules refuse
    the break). A prefill in another format than the year's, or with undecided cells, raises ``FiguresError``.
    """
    spec = format_for_year(year)
    variant = spec.table3_variant
    if prefill is not None:
        if prefill.format != spec.id:
            raise FiguresError(f"预填数据为 {prefill.format} 年格式，{year} 年度应使用 {spec.id} 年格式 "
                               f"(prefill format differs from the year's)", prefill.path)
        variant = prefill.table3_variant
        undecided = [k for k, c in prefill.cells() if c.kind is Kind.UNKNOWN]
        if undecided:
            raise FiguresError(f"预填数据有未确定的单元格：{', '.join(undecided)} (undecided cells in the prefill)",
                               prefill.path)
    lay = layout(spec.id, variant)
    wb = Workbook()
    guide = wb.active
    guide.title = GUIDE
    _write_guide(guide, spec, year, agency or (prefill.agency if prefill else None))
    for name in (T2, T3, T4):
        ws = wb.create_sheet(name)
        _write_plan(ws, lay.plans[name])
    for slot in lay.inputs.values():
        _write_input(wb[slot.sheet], slot, _prefill_cell(prefill, slot.key))
    for key, slot in lay.totals.items():
        _write_total(wb[slot.sheet], lay, key, slot, prefill)
    meta = wb.create_sheet(META)
    for i, (k, v) in enumerate((("schema", TEMPLATE_SCHEMA), ("format", spec.id), ("table3_variant", variant)), 1):
        meta.cell(i, 1, k)
        meta.cell(i, 2, v)
    meta.sheet_state = "veryHidden"
    for ws in wb.worksheets:
        ws.protection.sheet = True
        ws.protection.formatColumns = False  # widening a column is harmless
        ws.protection.formatRows = False
    out = Path(path)
    wb.save(out)
    return out


def _write_guide(ws: Worksheet, spec: Format, year: int, agency: str | None) -> None:
    ws.column_dimensions["A"].width = 14
    ws.column_dimensions["B"].width = 90
    ws.cell(1, 1, f"政府信息公开工作年度报告 数据填报模板 — {spec.name}").font = Font(bold=True, size=13)
    ws.cell(AGENCY_CELL[0], 1, AGENCY_LABEL)
    ws.cell(YEAR_CELL[0], 1, YEAR_LABEL)
    for (r, c), value in ((AGENCY_CELL, agency), (YEAR_CELL, year)):
        cell = ws.cell(r, c, value)
        keep_text(cell)  # an agency name is text, never a formula
        cell.protection = Protection(locked=False)
        cell.fill = INPUT_FILL
        cell.border = BOX
    dv = DataValidation(type="whole", operator="between", formula1="2019", formula2="2200", showErrorMessage=True,
                        errorTitle="报告年度", error="请填写四位数的报告年度，如 2026")
    ws.add_data_validation(dv)
    dv.add(f"{get_column_letter(YEAR_CELL[1])}{YEAR_CELL[0]}")
    special = [f"{r.label}「{c.label}」可填{'小数' if c.decimal else '负数（减少）'}"
               for r in spec.table2 for c in r.columns if c.decimal or c.signed]
    lines = [
        "填写说明：",
        f"1. 浅黄色单元格为填报单元格；标签和灰色的合计单元格已锁定（工作表保护未设密码，只为防止误改）。"
        f"本模板按{spec.name}编排，适用于{_years(spec)}年度报告。",
        "2. 填写数字；数量为零请填写 0。留空表示空白单元格：空白不等于 0，报告中照样印为空白。",
        "3. 不适用的单元格可填写“/”或“-”；不要填写其他文字或单位（如“件”“元”）。",
        "4. 灰色合计单元格由公式计算（表三“总计”列和“（七）总计”行、表四各“总计”），请勿改写；"
        "改写的合计会被报告出来，并按填写的值核对，不会被自动改正。",
        f"5. 表三每一列须满足：{spec.table3.note}。不满足的数据会被拒绝，并指明所涉单元格。",
    ]
    if special:
        lines.append("6. " + "；".join(special) + "。")
    for i, line in enumerate(lines):
        ws.cell(6 + i, 1, line).alignment = LEFT
        ws.merge_cells(start_row=6 + i, start_column=1, end_row=6 + i, end_column=2)
        ws.row_dimensions[6 + i].height = 32


def _years(spec: Format) -> str:
    if spec.last_year:
        return f"{spec.first_year}—{spec.last_year}"
    return f"{spec.first_year}年及以后"


def _write_plan(ws: Worksheet, plan: Plan) -> None:
    for r, c, r2, c2 in plan.merges:
        ws.merge_cells(start_row=r, start_column=c, end_row=r2, end_column=c2)
    for r, c, text in plan.labels:
        cell = ws.cell(r, c, text)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True,
                                   text_rotation=255 if (r, c) in plan.vertical else 0)
        if r == 1:
            cell.font = Font(bold=True, size=12)
    for r, c, r2, c2 in plan.merges + [(r, c, r, c) for r, c, _ in plan.labels]:
        if r == 1:
            continue
        for rr in range(r, r2 + 1):
            for cc in range(c, c2 + 1):
                ws.cell(rr, cc).border = BOX
    widths = {T2: [18] + [16] * (plan.width - 1), T3: [5, 12, 36] + [10] * (plan.width - 3),
              T4: [9] * plan.width}[plan.name]
    for i, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = w


def _prefill_cell(prefill: Report | None, key: str) -> Cell | None:
    if prefill is None:
        return None
    cell = prefill.cell(key)
    return None if cell.kind is Kind.MISSING else cell


def _excel_value(cell: Cell | None) -> Any:
    if cell is None or cell.kind in (Kind.BLANK, Kind.MISSING):
        return None
    if cell.kind is Kind.NUMBER and not cell.unit:
        return cell.value
    return cell.text or {Kind.SLASH: SLASHES[0], Kind.DASH: DASHES[0]}.get(cell.kind, "")


def _validation(slot: Slot) -> DataValidation:
    x = f"{get_column_letter(slot.col)}{slot.row}"
    number = f"ISNUMBER({x})" + ("" if slot.signed else f",{x}>=0") + ("" if slot.decimal else f",{x}=INT({x})")
    marks = ",".join(f'{x}="{m}"' for m in SLASHES + DASHES)
    what = "数字" if slot.decimal else ("整数" if slot.signed else "非负整数")
    return DataValidation(type="custom", formula1=f"OR(AND({number}),{marks})", allow_blank=True,
                          showErrorMessage=True, errorTitle="填报内容",
                          error=f"请填写{what}，或“/”“-”；数量为零填 0，留空表示空白。")


def _write_input(ws: Worksheet, slot: Slot, cell: Cell | None) -> None:
    c = ws.cell(slot.row, slot.col, _excel_value(cell))
    keep_text(c)  # text prefilled from a document stays text
    if slot.span > 1:
        ws.merge_cells(start_row=slot.row, start_column=slot.col, end_row=slot.row,
                       end_column=slot.col + slot.span - 1)
    for j in range(slot.span):
        ws.cell(slot.row, slot.col + j).border = BOX
    c.protection = Protection(locked=False)
    c.fill = INPUT_FILL
    c.alignment = CENTRE
    dv = _validation(slot)
    ws.add_data_validation(dv)
    dv.add(c.coordinate)


def _write_total(ws: Worksheet, lay: Layout, key: str, slot: Slot, prefill: Report | None) -> None:
    given = _prefill_cell(prefill, key)
    value: Any = lay.formula(key)
    if given is not None:
        computed = sum_of([prefill.cell(k) for k in lay.parts[key]])  # type: ignore[union-attr]
        if computed is None or not _same(given, computed):
            value = _excel_value(given)  # kept as given: read_template and the rules report it
    c = ws.cell(slot.row, slot.col, value)
    if value != lay.formula(key):
        keep_text(c)  # a printed total is a value, never a formula
    c.fill = TOTAL_FILL
    c.alignment = CENTRE
    c.border = BOX


def _same(a: Cell, b: Cell) -> bool:
    if a.kind is Kind.NUMBER and b.kind is Kind.NUMBER:
        return a.value == b.value and not a.unit
    return a.kind is b.kind and a.kind is Kind.BLANK


# ---- reading ------------------------------------------------------------------------------------------
def is_template(path: str | Path) -> bool:
    """Whether a file is a workbook written by ``write_template`` (it has the hidden sheet that records the
    format), without reading the figures."""
    try:
        wb = load_workbook(Path(path), read_only=True)
    except (InvalidFileException, zipfile.BadZipFile, ParseError, KeyError, OSError, ValueError):
        return False
    try:
        return META in wb.sheetnames
    finally:
        wb.close()


def read_template(path: str | Path) -> Report:
    """The figures in a filled template, with totals recomputed and findings for anything the office changed
    outside the inputs or typed that is not a figure. Raises ``FiguresError`` for a file that is not a gongkai
    template, a changed layout, or a year whose format differs from the template's."""
    p = Path(path)
    try:
        if p.is_file():
            check_zip(p)  # openpyxl inflates members whole: their sizes are checked first
        wb = load_workbook(p)
        shown = load_workbook(p, data_only=True)  # the values Excel last calculated, when it saved the file
    except FileNotFoundError:
        raise FiguresError("文件不存在 (file not found)", p) from None
    except ReadError as e:
        raise FiguresError(f"不是可读取的 Excel 文件：{e.reason}", p) from None
    except (InvalidFileException, zipfile.BadZipFile, ParseError, KeyError, OSError, ValueError) as e:
        raise FiguresError(f"不是有效的 Excel 文件：{e} (not a valid .xlsx file)", p) from None
    fmt, variant = _meta(wb, p)
    lay = layout(fmt, variant)
    _check_labels(wb, lay, p)
    guide = wb[GUIDE]
    year = _read_year(guide.cell(*YEAR_CELL).value, p)
    if format_for_year(year).id != fmt:
        raise FiguresError(f"模板为 {fmt} 年格式，报告年度填写为 {year}，应使用 {format_for_year(year).id} 年格式的"
                           f"模板 (the year's format differs from the template's)", p)
    raw_agency = guide.cell(*AGENCY_CELL).value
    agency = str(raw_agency).strip() or None if raw_agency is not None else None
    report = Report(format=fmt, table3_variant=variant, agency=agency,
                    year=year, path=str(p), source_kind="xlsx")
    spec = lay.spec
    report.table2 = {r.key: [Cell.missing() for _ in r.columns] for r in spec.table2}
    report.table3 = {r.key: [Cell.missing() for _ in spec.table3.columns] for r in spec.table3.rows_for(variant)}
    report.table4 = {g.key: [Cell.missing() for _ in spec.table4.columns] for g in spec.table4.groups}
    findings: list[Finding] = []
    for key, slot in lay.inputs.items():
        cell = _read_value(wb[slot.sheet].cell(slot.row, slot.col).value, slot, report, findings)
        _put(report, key, cell)
    formula_totals: dict[str, Any] = {}
    for key, slot in lay.totals.items():
        raw = wb[slot.sheet].cell(slot.row, slot.col).value
        cached = shown[slot.sheet].cell(slot.row, slot.col).value
        if isinstance(raw, str) and _norm(raw) == _norm(lay.formula(key)):
            formula_totals[key] = cached
            continue
        value = cached if isinstance(raw, str) and raw.startswith("=") else raw
        cell = _read_value(value, slot, report, findings, note=False)
        if isinstance(raw, str) and raw.startswith("=") and value is None:
            cell = Cell(Kind.UNKNOWN, text=raw, source=cell.source)  # another formula, never calculated
        _put(report, key, cell)
        findings.append(make_finding("compose.template-total-changed", cells=[key], ref=_ref(slot),
                                     where=cell_label(report, key), key=key, text="" if raw is None else raw))
    findings += complete_totals(report, announce=False)
    for key, cached in formula_totals.items():
        slot = lay.totals[key]
        computed = report.cell(key)
        computed.source = _source(slot)
        if cached is None or cached == "":
            if cached == "" and computed.kind is Kind.NUMBER:
                findings.append(_cached_finding(report, key, slot, "空白", computed))
            continue
        was = parse_value(cached, key) if not isinstance(cached, bool) else Cell(Kind.TEXT, text=str(cached))
        if not (was.kind is Kind.NUMBER and computed.kind is Kind.NUMBER and was.value == computed.value):
            findings.append(_cached_finding(report, key, slot, cached, computed))
    report.findings = findings
    return report


def _cached_finding(report: Report, key: str, slot: Slot, cached: Any, computed: Cell) -> Finding:
    return make_finding("compose.template-cached-total", cells=[key], ref=_ref(slot), where=cell_label(report, key),
                        key=key, cached=cached, computed=computed.value if computed.kind is Kind.NUMBER else None)


def _meta(wb: Workbook, p: Path) -> tuple[str, str]:
    if META not in wb.sheetnames or any(s not in wb.sheetnames for s in SHEETS):
        raise FiguresError("不是 gongkai 生成的填报模板 (not a gongkai template: sheets missing)", p)
    meta = {str(wb[META].cell(i, 1).value): wb[META].cell(i, 2).value for i in range(1, 4)}
    if meta.get("schema") != TEMPLATE_SCHEMA:
        raise FiguresError(f"模板版本 {meta.get('schema')!r} 不受支持，应为 {TEMPLATE_SCHEMA} (unknown template schema)",
                           p)
    fmt, variant = str(meta.get("format")), str(meta.get("table3_variant"))
    if fmt not in FORMAT_IDS or variant not in ("single", "split"):
        raise FiguresError(f"模板记录的格式 {fmt}/{variant} 无效 (invalid template format)", p)
    return fmt, variant


def _check_labels(wb: Workbook, lay: Layout, p: Path) -> None:
    for name, plan in lay.plans.items():
        ws = wb[name]
        for r, c, text in plan.labels:
            found = ws.cell(r, c).value
            if (str(found).strip() if found is not None else "") != text:
                raise FiguresError(f"模板结构被改动：{name}!{get_column_letter(c)}{r} 应为「{text}」，现为「{found}」"
                                   f"(template layout changed)", p)


def _read_year(v: Any, p: Path) -> int:
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    if isinstance(v, str) and v.strip().isdigit():
        v = int(v.strip())
    if isinstance(v, bool) or not isinstance(v, int):
        raise FiguresError(f"说明页的报告年度缺失或无效：{v!r} (year missing or invalid)", p)
    return v


def _source(slot: Slot) -> Source:
    return Source(sheet=slot.sheet, row=slot.row - 1, col=slot.col - 1)


def _ref(slot: Slot) -> str:
    return f"{slot.sheet}!{get_column_letter(slot.col)}{slot.row}"


def _read_value(v: Any, slot: Slot, report: Report, findings: list[Finding], note: bool = True) -> Cell:
    """A cell from what openpyxl found: numbers and the marks as in the compact form; anything else (a typed
    formula, a date, TRUE, words) is kept as TEXT with a finding, never guessed into a number."""
    if isinstance(v, (bool, int, float, Decimal, str)) or v is None:
        cell = Cell(Kind.TEXT, text=str(v)) if isinstance(v, bool) else parse_value(v, slot.key)
    else:
        cell = Cell(Kind.TEXT, text=str(v))
    if isinstance(v, str) and v.startswith("="):
        cell = Cell(Kind.TEXT, text=v.strip())
    cell.source = _source(slot)
    if cell.kind is Kind.TEXT and note:
        findings.append(make_finding("compose.template-text", cells=[slot.key], ref=_ref(slot),
                                     where=cell_label(report, slot.key), key=slot.key, text=cell.text))
    return cell


def _put(report: Report, key: str, cell: Cell) -> None:
    table, rest = key.split(".", 1)
    row, col = rest.rsplit(".", 1)
    rows = {"t2": report.table2, "t3": report.table3, "t4": report.table4}[table]
    rows[row][report._columns(table, row).index(col)] = cell


_SPACE = re.compile(r"\s+")


def _norm(formula: str) -> str:
    return _SPACE.sub("", formula).upper().lstrip("=")
