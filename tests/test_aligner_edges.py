"""Three aligner edges that lost printed cells (issue 11), each as a class, on invented figures.

1. A long 表三 label broken over three lines with its values on the middle one (pdftotext -layout centres a
   cell's values top to bottom): the values belong to the label whose lines surround them.
2. 表三 continued on the next page under its repeated header, the 勾稽 note broken over lines (or run into the
   column titles): the form's own header texts are never running prose, so the table does not end there.
3. 表四 printed with every cell blank: 15 blank cells (never 0) with the table found; a section that only
   says so in prose still has no 表四.

Nothing here is copied from a real report: one invented office's figures, whose sums hold and whose rows
differ (a value shifted to a neighbour row shows), printed as text, Markdown pipe tables and HTML grids.
"""
from __future__ import annotations

import html
import math
import sys
from pathlib import Path

import pytest

import align_layouts as L
from conftest import REPO
from gongkai.model import Kind

sys.path.insert(0, str(REPO / "benchmarks"))
from conversions import layouts  # noqa: E402

# ---- the invented figures --------------------------------------------------------------------------------
_NEW = [4, 2, 0, 1, 0, 0, 7]
_CARRIED = [2, 0, 0, 0, 0, 0, 2]
_FORWARD = [1, 1, 0, 0, 0, 0, 2]
T3 = {r.key: [0] * 7 for r in L.T3_ROWS}
T3.update({
    "new_received": _NEW, "carried_over": _CARRIED, "carried_forward": _FORWARD,
    "granted": [2, 1, 0, 1, 0, 0, 4],
    "partial": [1, 0, 0, 0, 0, 0, 1],
    "denied.third_party": [1, 0, 0, 0, 0, 0, 1],
    "unable.not_held": [1, 0, 0, 0, 0, 0, 1],
    "total": [n + c - f for n, c, f in zip(_NEW, _CARRIED, _FORWARD)],
})
T4 = {"review": [1, 1, 0, 0, 2], "litigation_direct": [0, 0, 0, 1, 1], "litigation_after_review": [0, 0, 0, 0, 0]}
_GROUPS = {g.key: g.label for g in L.FMT.table3.groups}
T4_TITLE = "四、政府信息公开行政复议、行政诉讼情况"


_check = L.check_text
_values = L.values


def _assert_exact(rep, t4: dict | None = None) -> None:
    for key, want in T3.items():
        assert _values(rep.table3[key]) == want, key
    for key, want in L.TABLE2.items():
        assert _values(rep.table2[key]) == want, key
    for key, want in (t4 or T4).items():
        assert _values(rep.table4[key]) == want, key
    codes = {f.code for f in rep.findings}
    assert not codes & {"parse.row-missing", "parse.cells-unplaced", "parse.table-missing", "parse.values-dropped",
                        "t3.identity", "t3.total-sum", "t3.row-sum"}, codes


def _label(key: str, first_of_group: bool) -> str:
    """A row's label as the form prints it, its group label before the group's first row."""
    row = next(r for r in L.T3_ROWS if r.key == key)
    group = _GROUPS.get(row.group) if first_of_group and row.group else None
    return f"{group} {row.label}" if group else row.label


def _t3_labels() -> list[tuple[str, list]]:
    out, seen = [], set()
    for r in L.T3_ROWS:
        out.append((_label(r.key, r.group not in seen), T3[r.key]))
        seen.add(r.group)
    return out


def _nums(vals, sep: str = "   ") -> str:
    return sep.join("" if v is None else str(v) for v in vals)


def _t4_lines(t4: dict | None = None) -> list[str]:
    t4 = t4 or T4
    return [T4_TITLE, " ".join(L.T4_HEADER), " ".join(str(v) for g in t4.values() for v in g)]


def _text(t3_lines: list[str], t4_lines: list[str] | None = None) -> str:
    return "\n".join(L.HEAD + L.table2_lines() + L.MID + t3_lines + (t4_lines or _t4_lines()) + L.TAIL) + "\n"


# ---- 1. a label broken over three lines, its values on the middle line ------------------------------------
def three_line_labels(width: int, indent: int = 40) -> list[str]:
    """Each label longer than two lines of ``width`` characters printed over three, values on the middle
    line at a fixed column (a cell centred top to bottom); shorter labels on one line with their values."""
    out = [" ".join(L.T3_HEADER)]
    for lab, vals in _t3_labels():
        if len(lab) > 2 * width:
            k = math.ceil(len(lab) / 3)
            a, b, c = lab[:k], lab[k:2 * k], lab[2 * k:]
            out += [a, b.ljust(indent - len(b)) + _nums(vals), c]
        else:
            out.append(lab.ljust(indent - len(lab)) + _nums(vals))
    return out


@pytest.mark.parametrize("width", [4, 6, 8, 10])
def test_regression_label_over_three_lines_with_values_on_the_middle_line(tmp_path: Path, width: int) -> None:
    _assert_exact(_check(tmp_path, _text(three_line_labels(width))))


def test_regression_three_line_label_whose_first_line_names_no_row(tmp_path: Path) -> None:
    """The first line only opens the label ("（三）不予公开 1." + values line + "属于国家秘密"): the row is
    named when its lines are joined, its values stand between them."""
    out = [" ".join(L.T3_HEADER)]
    for lab, vals in _t3_labels():
        if "." in lab[:12] and lab.index(".") > 2:
            head, rest = lab[:lab.index(".") + 1], lab[lab.index(".") + 1:]
            mid = rest[:len(rest) // 2]
            out += [head, mid.ljust(30) + _nums(vals), rest[len(rest) // 2:]]
        else:
            out.append(lab.ljust(30) + _nums(vals))
    _assert_exact(_check(tmp_path, _text(out)))


@pytest.mark.parametrize("sep", ["\t", "  "])
def test_regression_three_line_labels_with_values_tab_or_space_separated(tmp_path: Path, sep: str) -> None:
    """Labels over three lines of varied width (the middle piece short or long), the values after it
    separated by tabs or double spaces, as text layers other than pdftotext write them."""
    out = [" ".join(L.T3_HEADER)]
    for n, (lab, vals) in enumerate(_t3_labels()):
        k = 3 + n % 4
        if len(lab) > 2 * k + 1:
            a, b, c = lab[:k], lab[k:len(lab) - k], lab[len(lab) - k:]
            out += [a, b + sep + _nums(vals, sep), c]
        else:
            out.append(lab + sep + _nums(vals, sep))
    _assert_exact(_check(tmp_path, _text(out)))


def _three_row_grid(width: int) -> list[list[str]]:
    """表三 as grid rows, each label longer than ``width`` cut into three rows of its own, the values in the
    middle one (a converter cutting a cell centred top to bottom at its lines)."""
    grid = [L.T3_HEADER]
    for lab, vals in _t3_labels():
        if len(lab) > width:
            k = math.ceil(len(lab) / 3)
            grid += [[lab[:k]] + [""] * 7, [lab[k:2 * k]] + [str(v) for v in vals], [lab[2 * k:]] + [""] * 7]
        else:
            grid.append([lab] + [str(v) for v in vals])
    return grid


@pytest.mark.parametrize("fmt", ["md", "html"])
@pytest.mark.parametrize("width", [6, 12])
def test_regression_three_line_labels_in_a_grid(tmp_path: Path, fmt: str, width: int) -> None:
    grid = _three_row_grid(width)
    if fmt == "md":
        lines = ["", _md_row(grid[0]), "|" + " --- |" * 8] + [_md_row(r) for r in grid[1:]] + [""]
        _assert_exact(_check(tmp_path, _text(lines), "r.md"))
    else:
        _assert_exact(_check(tmp_path, _html(grid, _t4_grid()), "r.html"))


def test_layout_fixed_width_with_three_line_labels_reads_exactly(tmp_path: Path) -> None:
    """The fixed-width-3 arrangement (labels over three lines, values on the middle one) of the layout
    fixtures' invented figures, at several random column layouts."""
    from test_layouts import FIGURES, _report

    for name in FIGURES:
        report = _report(name)
        for seed in range(4):
            a = layouts.Arrangement("fixed-width-3", layouts.fixed_width(seed, lines=3), True)
            text = layouts.render(report, a)
            rep = _check(tmp_path, text)
            for key, cells in report.table3.items():
                assert _values(rep.table3[key]) == _values(cells), (name, seed, key)
            assert not {f.code for f in rep.findings} & {"parse.row-missing", "parse.cells-unplaced"}, (name, seed)


# ---- 2. a repeated 表三 header whose 勾稽 note is broken over lines -------------------------------------
NOTE = "（" + L.FMT.table3.note + "）"


def _split_with_header(header: list[str], at: int = 12) -> list[str]:
    rows = [lab.ljust(30) + _nums(vals) for lab, vals in _t3_labels()]
    return [" ".join(L.T3_HEADER)] + rows[:at] + ["— 2 —"] + header + rows[at:]


@pytest.mark.parametrize("cut", [5, 9, 14, 20])
def test_regression_repeated_header_with_its_note_broken_is_not_prose(tmp_path: Path, cut: int) -> None:
    """The note's second piece run into the column titles on one line (long, with "，"): still a header."""
    header = [NOTE[:cut], NOTE[cut:] + "      自然人   法人或其他组织",
              "申请人情况   商业企业 科研机构 社会公益组织 法律服务机构 其他 总计"]
    _assert_exact(_check(tmp_path, _text(_split_with_header(header))))


def test_regression_repeated_header_note_spaced_out_is_not_prose(tmp_path: Path) -> None:
    """A text layer that spaces out the note's characters (pdftotext on justified text)."""
    header = [" ".join(NOTE[:8]), " ".join(NOTE[8:]), " ".join(L.T3_HEADER)]
    _assert_exact(_check(tmp_path, _text(_split_with_header(header, at=9))))


def test_prose_after_the_table_still_ends_it(tmp_path: Path) -> None:
    """Running text after the table's values, as long and with the same punctuation, is still prose."""
    from gongkai.match.align import _is_prose

    assert not _is_prose(NOTE[6:] + "      自然人   法人或其他组织")
    assert _is_prose("本机关收到的申请均已按时答复，其中自然人申请较上年有所增加，法人或其他组织申请持平。")
    assert _is_prose("本 机 关 收 到 的 申 请 均 已 按 时 答 复 ， 其 中 自 然 人 申 请 较 上 年 有 所 增 加")


def _md_row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_regression_repeated_header_note_in_a_grid_is_not_prose(tmp_path: Path, fmt: str) -> None:
    """The repeated header as grid rows, the note's pieces (one with the column titles) in the label cell."""
    header = [[NOTE[:7]] + [""] * 7, [NOTE[7:] + " 其他 总计"] + [""] * 7, L.T3_HEADER]
    body = [[lab] + [str(v) for v in vals] for lab, vals in _t3_labels()]
    grid = [L.T3_HEADER] + body[:11] + header + body[11:]
    if fmt == "md":
        lines = ["", _md_row(grid[0]), "|" + " --- |" * 8] + [_md_row(r) for r in grid[1:]] + [""]
        _assert_exact(_check(tmp_path, _text(lines), "r.md"))
    else:
        _assert_exact(_check(tmp_path, _html(grid, _t4_grid()), "r.html"))


def _html(t3_grid: list[list[str]], t4_grid: list[list[str]], t4_title: bool = True) -> str:
    def table(grid):
        return "<table>" + "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>"
                                   for row in grid) + "</table>"

    def paras(lines):
        return "".join(f"<p>{html.escape(x)}</p>" for x in lines)

    t2 = paras(L.table2_lines())
    return ("<html><body>" + paras(L.HEAD) + t2 + paras(L.MID) + table(t3_grid) + paras([T4_TITLE] if t4_title else [])
            + table(t4_grid) + paras(L.TAIL) + "</body></html>")


def _t4_grid(values: list[str] | None = None) -> list[list[str]]:
    cols = L.T4_HEADER[4:9]
    values = values if values is not None else [str(v) for g in T4.values() for v in g]
    return [["行政复议"] + [""] * 4 + ["行政诉讼"] + [""] * 9,
            [""] * 5 + ["未经复议直接起诉"] + [""] * 4 + ["复议后起诉"] + [""] * 4,
            cols * 3, values]


# ---- 3. 表四 printed with no values at all ---------------------------------------------------------------
BLANK_T4 = {k: [None] * 5 for k in T4}


def _assert_blank_t4(rep) -> None:
    _assert_exact(rep, BLANK_T4)
    assert all(c.kind is Kind.BLANK for g in rep.table4.values() for c in g)
    assert "parse.row-without-values" in {f.code for f in rep.findings}


@pytest.mark.parametrize("header", ["one-line", "titles-broken"])
def test_regression_table4_all_blank_in_text_is_found_with_blank_cells(tmp_path: Path, header: str) -> None:
    t3 = [lab.ljust(30) + _nums(vals) for lab, vals in _t3_labels()]
    if header == "one-line":
        t4 = [T4_TITLE, " ".join(L.T4_HEADER), ""]
    else:  # fixed-width titles over two lines, the value line empty
        t4 = [T4_TITLE, "        行政复议                          行政诉讼",
              "                                 未经复议直接起诉          复议后起诉",
              "结果维持 结果 其他 尚未 总计  结果维持 结果 其他结果 尚未 总计  结果维持 结果纠正 其他 尚未审结 总计",
              "         纠正 结果 审结             纠正          审结                     结果",
              "", "                                                            "]
    _assert_blank_t4(_check(tmp_path, _text([" ".join(L.T3_HEADER)] + t3, t4)))


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_regression_table4_all_blank_in_a_grid_is_found_with_blank_cells(tmp_path: Path, fmt: str) -> None:
    grid = _t4_grid([""] * 15)
    t3 = [L.T3_HEADER] + [[lab] + [str(v) for v in vals] for lab, vals in _t3_labels()]
    if fmt == "md":
        md = ["", _md_row(grid[0]), "|" + " --- |" * 15] + [_md_row(r) for r in grid[1:]] + [""]
        t3_md = ["", _md_row(t3[0]), "|" + " --- |" * 8] + [_md_row(r) for r in t3[1:]] + [""]
        rep = _check(tmp_path, _text(t3_md, [T4_TITLE] + md), "r.md")
    else:
        rep = _check(tmp_path, _html(t3, grid), "r.html")
    _assert_blank_t4(rep)


@pytest.mark.parametrize("prose", ["本年度未发生政府信息公开行政复议、行政诉讼案件。",
                                   "本年度行政复议结果维持0件，结果纠正0件；行政诉讼未经复议直接起诉0件，复议后起诉0件。"])
def test_table4_only_said_in_prose_is_still_missing(tmp_path: Path, prose: str) -> None:
    """Without its header printed, the section's sentences are no table: 表四 is missing, not blank."""
    t3 = [lab.ljust(30) + _nums(vals) for lab, vals in _t3_labels()]
    rep = _check(tmp_path, _text([" ".join(L.T3_HEADER)] + t3, [T4_TITLE, prose]))
    assert "parse.table-missing" in {f.code for f in rep.findings}
    assert not rep.table4 or all(c.kind is not Kind.BLANK for g in rep.table4.values() for c in g)


def test_table4_values_before_its_blank_grid_are_never_read_as_blank(tmp_path: Path) -> None:
    """A blank grid with the table's values printed in the section before it (a text rendition beside an
    emptied grid): the values are not evidence of a table printed blank, so no cell comes out blank."""
    t3 = [L.T3_HEADER] + [[lab] + [str(v) for v in vals] for lab, vals in _t3_labels()]
    values = " ".join(str(v) for g in T4.values() for v in g)
    page = _html(t3, _t4_grid([""] * 15)).replace(f"<p>{T4_TITLE}</p>", f"<p>{T4_TITLE}</p><p>{values}</p>")
    rep = _check(tmp_path, page, "r.html")
    assert not any(c.kind is Kind.BLANK for g in rep.table4.values() for c in g)


def test_table4_all_blank_reads_blank_in_every_arrangement(tmp_path: Path) -> None:
    """The layout fixtures' invented figures with 表四 emptied, printed in every arrangement of
    benchmarks/conversions/layouts.py: 15 blank cells each time, the table found."""
    from gongkai.compose.figures import report_from_compact
    from test_layouts import FIGURES, _figures

    for name in FIGURES:
        fig = _figures(name)
        fig["table4"] = {k: [None] * 5 for k in fig["table4"]}
        report = report_from_compact(fig, origin=f"{name}.yaml")
        for a in layouts.ARRANGEMENTS:
            rep = _check(tmp_path, layouts.render(report, a), "r" + a.suffix)
            cells = [c for g in rep.table4.values() for c in g]
            assert len(cells) == 15 and all(c.kind is Kind.BLANK for c in cells), (name, a.name)
            assert "parse.table-missing" not in {f.code for f in rep.findings}, (name, a.name)


@pytest.mark.parametrize("cut", [3, 11, 17])
def test_repeated_header_with_broken_note_reads_exactly_in_the_page_split_arrangement(tmp_path: Path, cut: int) -> None:
    """The page-split arrangement of the layout fixtures' invented figures, the repeated header's note
    broken at ``cut`` with its second piece run into column titles, reads as the unbroken text does: every
    表三 cell as printed (a row whose blanks the arrangement dropped stays as undecided as it was)."""
    from test_layouts import FIGURES, _report

    for name in FIGURES:
        report = _report(name)
        text = layouts.render(report, "page-split")
        first = text.index(NOTE)
        again = text.index(NOTE, first + 1)
        broken = NOTE[:cut] + "\n" + NOTE[cut:] + "      其他      总计"
        want = _check(tmp_path, text)
        rep = _check(tmp_path, text[:again] + broken + text[again + len(NOTE):])
        for key, cells in report.table3.items():
            assert _values(rep.table3[key]) == _values(want.table3[key]), (name, cut, key)
            if None not in _values(cells):
                assert _values(rep.table3[key]) == _values(cells), (name, cut, key)
        assert "parse.row-missing" not in {f.code for f in rep.findings}, (name, cut)
