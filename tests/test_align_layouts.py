"""The form aligned to the document, in every arrangement converters produce (issue 11).

Each test writes one invented report (tests/align_layouts.py) in one arrangement and checks that
every cell comes out as printed, or — where the text cannot place a value — unknown with a finding,
never a neighbour's value.
"""
from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

import align_layouts as L
from gongkai.model import Kind


_check = L.check_text
_values = L.values


def _assert_exact(rep, t3=None) -> None:
    t3 = t3 or L.TABLE3
    for key, want in t3.items():
        assert _values(rep.table3[key]) == want, key
    for key, want in L.TABLE2.items():
        assert _values(rep.table2[key]) == want, key
    for key, want in L.TABLE4.items():
        assert _values(rep.table4[key]) == want, key
    codes = {f.code for f in rep.findings}
    assert not codes & {"parse.row-missing", "parse.cells-unplaced", "t3.identity", "t3.total-sum", "t3.row-sum"}


ARRANGEMENTS = {
    "labels_before": L.labels_before,
    "labels_after_values": L.labels_after,
    "all_labels_first_row_by_row": lambda: L.labels_first(column_major=False),
    "all_labels_first_column_major": lambda: L.labels_first(column_major=True),
    "labels_first_column_major_per_page": lambda: L.labels_first(column_major=True, pages=2),
    "split_by_page_header_repeated": L.split_by_page,
    "split_by_page_no_header": lambda: L.split_by_page(repeat_header=False),
    "row_printed_twice": L.row_printed_twice,
    "label_broken_over_two_lines": L.broken_labels,
    "label_broken_around_its_values": L.broken_around_values,
    "vertical_label_one_character_per_line": L.vertical_label,
}


@pytest.mark.parametrize("name", list(ARRANGEMENTS))
def test_arrangement_reads_exactly(tmp_path: Path, name: str) -> None:
    rep = _check(tmp_path, L.report(ARRANGEMENTS[name]()))
    _assert_exact(rep)


def test_column_major_order_is_said_by_a_finding(tmp_path: Path) -> None:
    rep = _check(tmp_path, L.report(L.labels_first(column_major=True)))
    assert any(f.code == "parse.order-decided" and f.numbers["order"] == "逐列" for f in rep.findings)


def test_blank_cells_left_out_are_unknown_never_a_neighbours_value(tmp_path: Path) -> None:
    lines, t3 = L.blanks_dropped()
    rep = _check(tmp_path, L.report(lines))
    got = rep.table3["carried_over"]
    # 1 and 1 printed for seven cells: the row sum puts the second 1 in 总计; the first could be any applicant
    assert got[6].kind is Kind.NUMBER and got[6].value == 1
    assert all(c.kind is Kind.UNKNOWN for c in got[:6])
    assert any(f.code == "parse.cells-missing" and "t3.carried_over" in f.cells for f in rep.findings)
    for key, want in t3.items():
        if key != "carried_over":
            assert _values(rep.table3[key]) == want, key


def test_report_whose_sums_are_wrong_comes_out_as_printed(tmp_path: Path) -> None:
    t3 = {k: list(v) for k, v in L.TABLE3.items()}
    t3["granted"] = [4, 1, 0, 0, 0, 0, 4]  # a slip: the row sum and the column totals break
    rep = _check(tmp_path, L.report(L.labels_before(t3)))
    assert _values(rep.table3["granted"]) == [4, 1, 0, 0, 0, 0, 4]
    codes = {f.code for f in rep.findings}
    assert {"t3.row-sum", "t3.total-sum"} <= codes
    assert any(f.code == "t3.row-sum" and "t3.granted.total" in f.cells for f in rep.findings)


def test_every_form_row_is_found_or_said_missing_table2_included(tmp_path: Path) -> None:
    text = L.report(L.labels_before()).replace("行政强制 2\n", "")
    rep = _check(tmp_path, text)
    assert "coercion" not in rep.table2
    assert any(f.code == "parse.row-missing" and f.cells == ["t2.coercion"] for f in rep.findings)


def test_same_figures_as_grid_and_as_loose_text_agree(tmp_path: Path) -> None:
    grid = "\n".join("\t".join(line.split(" ")) for line in L.labels_before())
    rep = _check(tmp_path, L.report(grid.splitlines()))
    _assert_exact(rep)


def test_regression_text_cell_keeps_the_rows_printed_numbers(tmp_path: Path) -> None:
    # issue 12 item 10: one text cell ("不详") once blanked the row's six numbers with row-without-values
    lines = L.labels_before()
    k = next(i for i, x in enumerate(lines) if x.startswith(L.t3_label("granted")))
    lines[k] = "\t".join([L.t3_label("granted"), "3", "1", "0", "不详", "0", "0", "4"])
    lines = ["\t".join(x.split(" ")) if i != k else x for i, x in enumerate(lines)]
    rep = _check(tmp_path, L.report(lines))
    got = rep.table3["granted"]
    assert _values(got[:3]) == [3, 1, 0] and _values(got[4:]) == [0, 0, 4]
    assert got[3].kind is Kind.TEXT and got[3].text == "不详"
    assert not any(f.code == "parse.row-without-values" and "t3.granted" in f.cells for f in rep.findings)


def test_regression_long_digit_run_is_undecided_in_bounded_work(tmp_path: Path) -> None:
    # issue 12 item 4: a 表三 cell with 25 extra digits once took 92 s and 4.7 GB listing its cuts
    from gongkai.match.split import MAX_CUTS, count_splits, readings
    from gongkai.match.stream import Piece
    from gongkai.blocks import Source

    run = "1" * 32
    assert count_splits(run, 7) > MAX_CUTS  # counted by the DP, never listed
    rs, complete = readings([Piece(run, Source(0, 32), False)], 7)
    assert rs == [] and not complete
    lines = L.labels_before()
    k = next(i for i, x in enumerate(lines) if x.startswith(L.t3_label("granted")))
    lines[k] = L.t3_label("granted") + run
    rep = _check(tmp_path, L.report(lines))
    assert all(c.kind is Kind.UNKNOWN for c in rep.table3["granted"])
    assert any(f.code == "parse.run-too-long" and "t3.granted" in f.cells for f in rep.findings)


def test_alternative_readings_use_a_separator_that_is_not_the_values(tmp_path: Path) -> None:
    # issue 13: "89/89/89/8/9/8989" read as one list; each reading now ends at "；或"
    text = L.report(L.labels_before()).replace("行政规范性文件 2 1 15", "行政规范性文件898989")
    rep = _check(tmp_path, text)
    f = next(f for f in rep.findings if f.cells and f.cells[0].startswith("t2.normative_documents"))
    assert "；或 " in f.message and "8/9/8989" in f.message


def test_regression_merged_label_column_is_not_a_blank_cell_that_repairs_the_sums(tmp_path: Path) -> None:
    # corpus 016 through markitdown: "| （二）部分公开… | | 8 | 1 | 0 | 0 | 0 | 0 | 8 |" once read as blank/8/0/…
    # (the 1 dropped so that the row sum held) instead of as printed, with its t3.row-sum error
    t3 = {k: list(v) for k, v in L.TABLE3.items()}
    t3["partial"] = [1, 1, 0, 0, 0, 0, 1]
    lines = ["\t".join(x.split(" ")) for x in L.labels_before(t3)]
    k = next(i for i, x in enumerate(lines) if x.startswith(L.t3_label("partial")))
    lines[k] = "\t".join([L.t3_label("partial"), ""] + [str(v) for v in t3["partial"]])
    rep = _check(tmp_path, L.report(lines))
    assert _values(rep.table3["partial"]) == [1, 1, 0, 0, 0, 0, 1]
    assert any(f.code == "t3.row-sum" and "t3.partial.total" in f.cells for f in rep.findings)


def test_layout_text_places_a_short_row_by_where_its_values_stand(tmp_path: Path) -> None:
    # pdftotext -layout / pdfplumber layout=True print a blank cell as empty space: the row's values stand
    # under the columns the table's full rows show
    t3 = {k: list(v) for k, v in L.TABLE3.items()}
    t3["carried_over"] = [1, None, None, None, None, None, 1]
    width = 6
    lines = []
    for lab, vals in L.rows(t3):
        cells = "".join(("" if v is None else str(v)).rjust(width) for v in vals)
        lines.append(lab.ljust(40, "　") + cells)
    rep = _check(tmp_path, L.report(lines))
    assert _values(rep.table3["carried_over"]) == [1, None, None, None, None, None, 1]
    assert any(f.code == "parse.cells-by-position" and "t3.carried_over" in f.cells for f in rep.findings)
    for key, want in t3.items():
        assert _values(rep.table3[key]) == want, key


def test_values_merely_spaced_are_not_placed_by_position(tmp_path: Path) -> None:
    # "1 1" under rows like "1 0 0 0 0 0 1", one space apart: positions say nothing about which cells
    t3 = {k: [min(v, 1) for v in vals] for k, vals in L.TABLE3.items()}
    t3["carried_over"] = [1, None, None, None, None, None, 1]
    lines = []
    for lab, vals in L.rows(t3):
        lines += [lab, " ".join(str(v) for v in vals if v is not None)]
    rep = _check(tmp_path, L.report(lines))
    got = rep.table3["carried_over"]
    assert not any(f.code == "parse.cells-by-position" for f in rep.findings)
    assert all(c.kind is Kind.UNKNOWN for c in got[:6])


def test_drawn_rule_gives_the_columns_when_no_row_is_full(tmp_path: Path) -> None:
    # pandoc's plain tables: a dashed rule under the header marks each column; a CJK label prints two
    # columns wide, so positions are counted as printed, not as characters
    t3 = {k: [v[0], None, None, None, None, None, v[6]] for k, v in L.TABLE3.items()}
    label_w, cell_w = 90, 8
    rule = "-" * label_w + " " + " ".join("-" * (cell_w - 1) for _ in range(7))
    lines = [rule]
    for lab, vals in L.rows(t3):
        pad = label_w + 1 - sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in lab)
        lines.append(lab + " " * pad + "".join(("" if v is None else str(v)).ljust(cell_w) for v in vals).rstrip())
    lines.append(rule)
    rep = _check(tmp_path, L.report(lines), "r.md")
    for key, want in t3.items():
        assert _values(rep.table3[key]) == want, key


def test_a_grid_with_a_text_copy_of_its_table_before_it_is_read_from_the_grid(tmp_path):
    """Regression: a composed HTML page whose section text also held the table as lines (the text reader kept
    them in the section) gave 16 unknown cells and 'values dropped' — the loose copy and the grid were aligned
    as one stream. The grid names every row the copy names, so the grid alone is read."""
    from pathlib import Path

    from gongkai.check import check_path
    from gongkai.compose.render.html import render_html

    example = Path(__file__).resolve().parents[1] / "examples" / "示例市交通运输局-2024.txt"
    source = check_path(example)
    page = tmp_path / "page.html"
    page.write_text(render_html(source.report), encoding="utf-8")
    assert "一、本年新收政府信息公开申请数量\t\t30" in page.read_text(encoding="utf-8")  # the text copy is there
    got = check_path(page)
    assert {k: (c.kind, c.value) for k, c in got.report.cells()} == \
        {k: (c.kind, c.value) for k, c in source.report.cells()}
    assert not [f for f in got.findings if f.code in ("parse.values-dropped", "parse.cells-unplaced")]
