"""Tables of checked reports: one row per cell, one row per finding (CSV or Excel) and JSON."""
from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Iterable

from .check import CheckResult
from .spreadsheet import append_row, csv_row

CELL_COLUMNS = ["file", "status", "agency", "year", "format", "cell", "kind", "value", "printed", "basis",
                "alternatives", "page", "line", "start", "end"]
CELL_HEADERS_ZH = ["文件", "状态", "机关", "年度", "格式", "单元格", "类型", "数值", "原文", "取值依据", "其他读法",
                   "页", "行", "起", "止"]
FINDING_COLUMNS = ["file", "code", "severity", "message", "gloss", "cells", "positions", "numbers"]
FINDING_HEADERS_ZH = ["文件", "代码", "级别", "说明", "英文说明", "单元格", "位置", "数字"]


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


def write_csv(results: list[CheckResult], out: Path) -> list[Path]:
    """Two CSV files: ``<out>`` with cells and ``<out stem>.findings.csv`` with findings (UTF-8 BOM for Excel)."""
    out = Path(out)
    f_out = out.with_name(out.stem + ".findings.csv")
    for path, headers, rows in ((out, CELL_COLUMNS, cell_rows(results)), (f_out, FINDING_COLUMNS, finding_rows(results))):
        with open(path, "w", newline="", encoding="utf-8-sig") as fh:
            w = csv.writer(fh)
            w.writerow(headers)
            w.writerows(csv_row(row) for row in rows)
    return [out, f_out]


def write_xlsx(results: list[CheckResult], out: Path) -> list[Path]:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "单元格"
    ws.append(CELL_HEADERS_ZH)
    for row in cell_rows(results):
        append_row(ws, row)
    ws2 = wb.create_sheet("问题")
    ws2.append(FINDING_HEADERS_ZH)
    for row in finding_rows(results):
        append_row(ws2, row)
    for sheet in (ws, ws2):
        for c in sheet[1]:
            c.font = Font(bold=True)
        sheet.freeze_panes = "A2"
    wb.save(out)
    return [Path(out)]


def write_json(results: list[CheckResult], out) -> None:
    data = [r.to_dict() for r in results]
    payload = json.dumps(data[0] if len(data) == 1 else data, ensure_ascii=False, indent=1)
    if str(out) == "-":
        import sys
        sys.stdout.write(payload + "\n")
    else:
        Path(out).write_text(payload, encoding="utf-8")
