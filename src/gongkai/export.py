"""Tables of checked reports: one row per cell, one row per finding (CSV or Excel) and JSON."""
from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Iterable

from .check import CheckResult

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


def write_csv(results: list[CheckResult], out: Path) -> list[Path]:
    """Two CSV files: ``<out>`` with cells and ``<out stem>.findings.csv`` with findings (UTF-8 BOM for Excel)."""
    out = Path(out)
    f_out = out.with_name(out.stem + ".findings.csv")
    for path, headers, rows in ((out, CELL_COLUMNS, cell_rows(results)), (f_out, FINDING_COLUMNS, finding_rows(results))):
        with open(path, "w", newline="", encoding="utf-8-sig") as fh:
            w = csv.writer(fh)
            w.writerow(headers)
            w.writerows(rows)
    return [out, f_out]


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


def write_xlsx(results: list[CheckResult], out: Path) -> list[Path]:
    from openpyxl import Workbook

    from .export_corpus import _sheet

    wb = Workbook()
    _sheet(wb.active, CELL_HEADERS_ZH, office_cell_rows(results), freeze="A2")
    wb.active.title = "单元格"
    _sheet(wb.create_sheet("问题"), FINDING_HEADERS_ZH, office_finding_rows(results), freeze="A2")
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
