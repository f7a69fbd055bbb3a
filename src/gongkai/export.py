"""Tables of checked reports: one row per cell, one row per finding (CSV or Excel) and JSON."""
from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Iterable

from .check import CheckResult
from .spreadsheet import csv_row, write_only_row

CELL_COLUMNS = ["file", "status", "agency", "year", "format", "cell", "kind", "value", "printed", "basis",
                "alternatives", "page", "line", "start", "end"]
CELL_HEADERS_ZH = ["文件", "状态", "机关", "年度", "格式", "单元格", "项目", "类型", "数值", "原文", "取值依据",
                   "其他读法", "页", "行", "起", "止"]
FINDING_COLUMNS = ["file", "code", "severity", "message", "gloss", "cells", "positions", "numbers"]
FINDING_HEADERS_ZH = ["文件", "级别", "说明", "单元格", "项目", "英文说明", "代码", "位置", "数字"]
KIND_ZH = {"number": "数字", "blank": "空白", "slash": "斜杠", "dash": "横杠", "text": "文字", "unknown": "未定",
           "missing": "未列"}
BASIS_ZH = {"printed": "照印", "split": "拆分", "arithmetic": "算术", "prose": "正文", "plausibility": "合理性"}
STATUS_ZH = {"ok": "已检查", "not-report": "非年度报告", "error": "无法读取"}


def cell_rows(results: Iterable[CheckResult]) -> list[list]:
    rows = []
    for r in results:
        rep = r.report
        if rep is None:
            rows.append([r.path, r.status, None, None, None, None, None, None, None, None, None, None, None, None, None])
            continue
        for key, c in rep.cells():
            s = c.source
            rows.append([
                r.path, r.status, rep.agency, rep.year, rep.format, key, c.kind.value,
                str(c.value) if c.value is not None else None, c.text or None, c.basis.value,
                "/".join("" if a is None else str(a) for a in c.alternatives) or None,
                s.page if s else None, s.line if s else None, s.start if s else None, s.end if s else None])
    return rows


def finding_rows(results: Iterable[CheckResult]) -> list[list]:
    rows = []
    for r in results:
        if r.status != "ok":
            rows.append([r.path, r.error_code, "error", r.error, "", "", "", ""])
        for f in r.findings:
            rows.append([r.path, f.code, f.severity.value, f.message, f.gloss, " ".join(f.cells),
                         json.dumps(f.positions, ensure_ascii=False), json.dumps(f.numbers, ensure_ascii=False)])
    return rows


def _ref(rep, key: str) -> str:
    """A cell as the template names it (表三!D5); the key when the template has no such cell (a whole row)."""
    from .compose.template import template_reference

    return template_reference(rep.format, rep.table3_variant, key) or rep.spec.cell_words(key, rep.table3_variant)


def _number(v):
    """A value Excel keeps as a number: int when whole, float otherwise (Decimal is not an Excel type)."""
    if v is None:
        return None
    return int(v) if v == int(v) else float(v)


def office_cell_rows(results: Iterable[CheckResult]) -> list[list]:
    """Cells for an office's workbook: the template's reference (表三!D5), the form's words, kinds and bases in
    Chinese, numbers as numbers."""
    rows = []
    for r in results:
        rep = r.report
        if rep is None:
            rows.append([r.path, STATUS_ZH.get(r.status, r.status)] + [None] * 14)
            continue
        for key, c in rep.cells():
            s = c.source
            # a number is a number even with a printed unit (万元): the unit stays in 原文
            value = _number(c.value) if c.kind.value == "number" and c.value is not None else None
            rows.append([
                r.path, STATUS_ZH.get(r.status, r.status), rep.agency, rep.year, rep.format, _ref(rep, key),
                rep.spec.cell_words(key, rep.table3_variant), KIND_ZH.get(c.kind.value, c.kind.value), value,
                c.text or None, BASIS_ZH.get(c.basis.value, c.basis.value),
                "；或 ".join("空白" if a is None else str(a) for a in c.alternatives) or None,
                s.page if s else None, s.line if s else None, s.start if s else None, s.end if s else None])
    return rows


def office_finding_rows(results: Iterable[CheckResult]) -> list[list]:
    from .findings import Severity

    rows = []
    for r in results:
        if r.status != "ok":
            rows.append([r.path, Severity.ERROR.zh if r.status == "error" else Severity.WARNING.zh, r.error, "", "",
                         "", r.error_code, "", ""])
        rep = r.report
        for f in r.findings:
            refs = "、".join(_ref(rep, k) for k in f.cells) if rep else " ".join(f.cells)
            words = "、".join(rep.spec.cell_words(k, rep.table3_variant) for k in f.cells) if rep else ""
            rows.append([r.path, f.severity.zh, f.message, refs, words, f.gloss, f.code,
                         json.dumps(f.positions, ensure_ascii=False), json.dumps(f.numbers, ensure_ascii=False)])
    return rows


class CsvWriter:
    """Two CSV files written as results come: ``<out>`` with cells and ``<out stem>.findings.csv`` with
    findings (UTF-8 BOM for Excel). Nothing is kept after a result's rows are written."""

    def __init__(self, out: Path) -> None:
        self.out = Path(out)
        self.f_out = self.out.with_name(self.out.stem + ".findings.csv")
        self._fh = [open(p, "w", newline="", encoding="utf-8-sig") for p in (self.out, self.f_out)]
        self._w = [csv.writer(fh) for fh in self._fh]
        self._w[0].writerow(CELL_COLUMNS)
        self._w[1].writerow(FINDING_COLUMNS)

    def add(self, r: CheckResult) -> None:
        self._w[0].writerows(csv_row(row) for row in cell_rows([r]))
        self._w[1].writerows(csv_row(row) for row in finding_rows([r]))

    def close(self) -> list[Path]:
        for fh in self._fh:
            fh.close()
        return [self.out, self.f_out]


class XlsxWriter:
    """The office's workbook (sheets 单元格 and 问题) in openpyxl's write-only mode: rows go to temporary
    files as they come, so a large batch is not held in memory. Column widths come from the content of
    the first rows (held until then), as ``corpus.export`` sizes its sheets."""

    SAMPLE = 500

    def __init__(self, out: Path) -> None:
        from openpyxl import Workbook

        self.out = Path(out)
        self._wb = Workbook(write_only=True)
        self._sheets = [_StreamSheet(self._wb.create_sheet("单元格"), CELL_HEADERS_ZH, self.SAMPLE),
                        _StreamSheet(self._wb.create_sheet("问题"), FINDING_HEADERS_ZH, self.SAMPLE)]

    def add(self, r: CheckResult) -> None:
        self._sheets[0].extend(office_cell_rows([r]))
        self._sheets[1].extend(office_finding_rows([r]))

    def close(self) -> list[Path]:
        for s in self._sheets:
            s.flush()
        self._wb.save(self.out)
        return [self.out]


class _StreamSheet:
    """A write-only sheet whose column widths are set from its first rows before they are written."""

    def __init__(self, ws, header: list[str], sample: int) -> None:
        self.ws, self.header, self.sample = ws, header, sample
        self._held: list[list] | None = []
        self._wrap: set[int] = set()

    def extend(self, rows: list[list]) -> None:
        if self._held is not None:
            self._held += rows
            if len(self._held) >= self.sample:
                self.flush()
            return
        for row in rows:
            self._append(row)

    def flush(self) -> None:
        if self._held is None:
            return
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Alignment, Font
        from openpyxl.utils import get_column_letter

        from .corpus.export import _width

        held, self._held = self._held, None
        for i, h in enumerate(self.header, start=1):
            width = max([_width(h)] + [_width(r[i - 1]) for r in held if r[i - 1] is not None])
            self.ws.column_dimensions[get_column_letter(i)].width = min(60, max(6, width + 2))
            if width + 2 >= 60:
                self._wrap.add(i - 1)   # text past the widest column wraps instead of being cut off
        self.ws.freeze_panes = "A2"
        top = []
        for h in self.header:
            c = WriteOnlyCell(self.ws, value=h)
            c.font = Font(bold=True)
            c.alignment = Alignment(wrap_text=True, vertical="center")
            top.append(c)
        self.ws.append(top)
        for row in held:
            self._append(row)

    def _append(self, row: list) -> None:
        row = write_only_row(self.ws, row)   # text that a spreadsheet would evaluate stays text
        if not self._wrap:
            self.ws.append(row)
            return
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Alignment

        out = []
        for i, v in enumerate(row):
            if i in self._wrap and v is not None:
                # a cell write_only_row already made (formula-like text) keeps its text flag
                c = v if hasattr(v, "alignment") else WriteOnlyCell(self.ws, value=v)
                c.alignment = Alignment(wrap_text=True, vertical="top")
                out.append(c)
            else:
                out.append(v)
        self.ws.append(out)


class JsonWriter:
    """``[result, result, ...]`` written one result at a time (``-``: standard output). ``single``: the
    batch is one file, written as one object, as before batches existed."""

    def __init__(self, out, *, single: bool = False) -> None:
        import sys

        self._to_stdout = str(out) == "-"
        self._fh = sys.stdout if self._to_stdout else open(out, "w", encoding="utf-8")
        self._single = single
        self._n = 0
        if not single:
            self._fh.write("[")

    def add(self, r: CheckResult) -> None:
        text = json.dumps(r.to_dict(), ensure_ascii=False, indent=1)
        if self._single:
            self._fh.write(text)
        else:
            self._fh.write(("," if self._n else "") + "\n" + text)
        self._n += 1

    def close(self) -> None:
        self._fh.write("\n" if self._single else "\n]\n")
        if self._to_stdout:
            self._fh.flush()
        else:
            self._fh.close()


def write_csv(results: Iterable[CheckResult], out: Path) -> list[Path]:
    w = CsvWriter(out)
    for r in results:
        w.add(r)
    return w.close()


def write_xlsx(results: Iterable[CheckResult], out: Path) -> list[Path]:
    w = XlsxWriter(out)
    for r in results:
        w.add(r)
    return w.close()


def write_json(results: list[CheckResult], out) -> None:
    w = JsonWriter(out, single=len(results) == 1)
    for r in results:
        w.add(r)
    w.close()
