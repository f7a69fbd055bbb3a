"""Blank cells are reported as few findings as say it: a blank column is one finding (not 25), a row printed
without values is one finding (parse.row-without-values), not two."""
from __future__ import annotations

from conftest import shared_path
from gongkai.check import check_path, iter_report_files
from gongkai.compose.figures import report_from_compact
from gongkai.formats import load_format
from gongkai.rules import run_rules


def _compact(blank_columns: tuple[int, ...]) -> dict:
    spec = load_format("2021")
    t3 = {r.key: [None if i in blank_columns else 0 for i in range(7)] for r in spec.table3.rows_for("split")}
    return {"agency": "某县统计局", "year": 2025, "table3": t3,
            "table4": {g.key: [0, 0, 0, 0, 0] for g in spec.table4.groups}}


def _blank(findings):
    return [f for f in findings if f.code == "cell.blank-required"]


def test_one_blank_column_gives_one_blank_required_finding_not_25():
    found = _blank(run_rules(report_from_compact(_compact((4,)))))
    assert len(found) == 1
    assert len(found[0].cells) == 25 and all(k.endswith(".legal") for k in found[0].cells)
    assert found[0].message.startswith("表三「法律服务机构」列：25 个单元格为空白")


def test_neighbouring_blank_columns_are_one_block():
    found = _blank(run_rules(report_from_compact(_compact((1, 2, 3)))))
    assert len(found) == 1 and len(found[0].cells) == 75
    assert "表三「商业企业」至「社会公益组织」列" in found[0].message


def test_blank_cells_off_a_column_still_get_their_row_finding():
    d = _compact(())
    d["table3"]["granted"][2] = None
    found = _blank(run_rules(report_from_compact(d)))
    assert [f.cells for f in found] == [["t3.granted.research"]]


def test_a_row_with_no_values_gets_one_finding_not_two():
    seen = 0
    for path in iter_report_files([shared_path("corpus", "raw"), shared_path("seeds")]):
        r = check_path(path)
        empty = {k for f in r.findings if f.code == "parse.row-without-values" for k in f.cells}
        seen += len(empty)
        blank_rows = {k.rsplit(".", 1)[0] for f in _blank(r.findings) for k in f.cells}
        assert not empty & blank_rows, (path.name, empty & blank_rows)
    assert seen >= 2  # 018 and 022 print rows without values
