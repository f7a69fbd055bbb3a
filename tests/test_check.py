"""check_path and `gongkai check`: results, exit codes, outputs, bad input, batches."""
from __future__ import annotations

import csv
import json
import re
from pathlib import Path

from openpyxl import load_workbook
from typer.testing import CliRunner

from gongkai.check import check_path
from gongkai.cli import app
from gongkai.model import Basis, Kind

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
GOOD = EXAMPLES / "示例市交通运输局-2024.txt"
BAD = EXAMPLES / "示例县农业农村局-2020.txt"
runner = CliRunner()


def test_consistent_example_has_no_error_and_right_cells():
    res = check_path(GOOD)
    assert res.status == "ok" and res.errors == []
    t3 = res.report.table3
    assert [c.value for c in t3["new_received"]] == [30, 4, 0, 1, 2, 1, 38]
    assert [c.value for c in t3["carried_forward"]] == [2, 0, 0, 0, 0, 0, 2]
    assert [c.value for c in res.report.table4["review"]] == [1, 0, 0, 1, 2]


def test_slip_in_total_row_is_reported_with_the_numbers():
    res = check_path(BAD)
    codes = {(f.code, f.numbers.get("column_en")) for f in res.errors}
    assert ("t3.total-sum", "natural") in codes and ("t3.identity", "total") in codes
    f = next(f for f in res.errors if f.code == "t3.total-sum" and f.numbers["column_en"] == "natural")
    assert f.numbers["total"] == 6 and f.numbers["sum"] == 5
    assert "t3.total.natural" in f.cells and f.positions and f.gloss


def test_ambiguous_table2_split_is_shown_with_a_finding_and_alternatives():
    res = check_path(BAD)
    cell = res.report.cell("t2.licensing.prior_items")
    assert cell.basis is Basis.PLAUSIBILITY and cell.alternatives
    assert any(f.code == "parse.split-guessed" and "t2.licensing.prior_items" in f.cells for f in res.findings)


def test_not_a_report_and_unreadable_files(tmp_path: Path):
    notice = tmp_path / "notice.txt"
    notice.write_text("关于印发2024年政务公开工作要点的通知\n一、加强政策解读。（责任部门：办公室）\n", encoding="utf-8")
    assert check_path(notice).status == "not-report"
    junk = tmp_path / "broken.pdf"
    junk.write_bytes(b"%PDF-1.7\n garbage")
    res = check_path(junk)
    assert res.status == "error" and res.error and res.error_code
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert check_path(empty).error_code == "read.empty"
    xls = tmp_path / "table.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 100)
    assert check_path(xls).error_code == "read.unsupported-type"
    assert check_path(tmp_path / "missing.txt").error_code == "read.not-found"


def test_cli_batch_goes_on_and_exits_nonzero_on_errors(tmp_path: Path):
    junk = tmp_path / "broken.pdf"
    junk.write_bytes(b"%PDF-1.7\n garbage")
    out = tmp_path / "all.json"
    r = runner.invoke(app, ["check", str(GOOD), str(junk), str(BAD), "--json", str(out)])
    assert r.exit_code == 1, r.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [d["status"] for d in data] == ["ok", "error", "ok"]
    assert data[0]["report"]["table3"]["total"][6]["value"] == 38


def test_cli_clean_report_exits_zero_and_writes_csv_and_xlsx(tmp_path: Path):
    r = runner.invoke(app, ["check", str(GOOD), "--format", "csv", "-o", str(tmp_path / "cells")])
    assert r.exit_code == 0, r.output
    rows = list(csv.DictReader(open(tmp_path / "cells.csv", encoding="utf-8-sig")))
    assert len(rows) == 10 + 175 + 15
    granted = next(x for x in rows if x["cell"] == "t3.granted.total")
    assert granted["value"] == "15" and granted["kind"] == "number" and granted["line"]
    r = runner.invoke(app, ["check", str(EXAMPLES), "--format", "xlsx", "-o", str(tmp_path / "cells")])
    wb = load_workbook(tmp_path / "cells.xlsx")
    assert wb.sheetnames == ["单元格", "问题"]
    assert any(row[6] == "t3.total-sum" for row in wb["问题"].iter_rows(values_only=True))


def test_check_xlsx_for_offices_numbers_template_references_chinese_levels(tmp_path: Path):
    """check --format xlsx: numbers as numbers (not text), cells as the template names them (表三!D5), levels
    错误/警告/提示, kinds in Chinese; internal keys only in the 代码 column."""
    r = runner.invoke(app, ["check", str(EXAMPLES), "--format", "xlsx", "-o", str(tmp_path / "cells")])
    wb = load_workbook(tmp_path / "cells.xlsx")
    head, *rows = list(wb["单元格"].iter_rows(values_only=True))
    col = {h: i for i, h in enumerate(head)}
    numbers = [row for row in rows if row[col["类型"]] == "数字"]
    assert numbers and all(isinstance(row[col["数值"]], (int, float)) for row in numbers)
    assert all(re.fullmatch(r"表[二三四]![A-Z]+\d+", row[col["单元格"]]) for row in rows if row[col["单元格"]])
    assert {row[col["类型"]] for row in rows} <= {"数字", "空白", "斜杠", "横杠", "文字", "未定", "未列"}
    head, *found = list(wb["问题"].iter_rows(values_only=True))
    col = {h: i for i, h in enumerate(head)}
    assert {row[col["级别"]] for row in found} <= {"错误", "警告", "提示"}
    total_sum = next(row for row in found if row[col["代码"]] == "t3.total-sum")
    assert re.search(r"表三![A-Z]+\d+", total_sum[col["单元格"]]) and "t3." not in total_sum[col["单元格"]]
    widths = [wb["问题"].column_dimensions[c].width for c in "ABC"]
    assert len(set(widths)) > 1  # widths follow the content


def test_cli_json_to_stdout_is_the_model():
    r = runner.invoke(app, ["check", str(GOOD), "--json", "-", "-q"])
    start = r.stdout.index("{")
    doc = json.loads(r.stdout[start:r.stdout.rindex("}") + 1])
    assert doc["report"]["schema"] == "gongkai.report/1"
    assert doc["report"]["table3"]["partial"][0] == {"kind": "number", "value": 3, "text": "3",
                                                   "source": doc["report"]["table3"]["partial"][0]["source"]}
