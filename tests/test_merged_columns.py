"""Grids whose cell boundaries are not the form's columns (issue 11: markitdown's output of a ruled PDF).

markitdown makes pipe rows by where text stands: one pipe cell holds two printed numbers ("| 71 3 |"), a
merged label's pieces sit in the first cell of the row beside them ("| （三）不 | 4.保护第三方合法权益 | … |")
or between the pipe tables as loose lines, a long label is printed line by line around its row's values, and
the table is cut into many small pipe tables. Such a grid is read as its labels and printed values in reading
order; a grid whose cells are the form's (a blank cell, a text value "不详" or "无" in it) is read by its cells.

Two kinds of input, none copied from a real report:
- hand-written Markdown of one invented office's 表三 (tests/align_layouts.py figures), each showing one trait;
- random invented figures (every identity holding) printed by the ``md-merged`` arrangement of
  benchmarks/conversions/layouts.py, whose random column merges, label widths and fragment placements are
  drawn from the figures themselves: inputs nobody looked at while writing the reader.
"""
from __future__ import annotations

import copy
import random
import sys
from pathlib import Path

import pytest
import yaml

import align_layouts as L
from conftest import FIXTURES, REPO
from gongkai.model import Kind

sys.path.insert(0, str(REPO / "benchmarks"))
from conversions import layouts  # noqa: E402
from conversions.scoring import Outcome, score_text  # noqa: E402


def _check(tmp_path: Path, table3_lines: list[str]):
    return L.check_text(tmp_path, L.report(table3_lines), "r.md")


def _values(cells) -> list:
    return L.values(cells, text=True)


def _pipe(*cells: str) -> str:
    return "| " + " | ".join(cells) + " |"


def _table(*rows: list[str]) -> list[str]:
    """One pipe table: its first row, markitdown's rule, the other rows."""
    return [_pipe(*rows[0]), _pipe(*["---"] * len(rows[0]))] + [_pipe(*r) for r in rows[1:]]


def _merged(vals: list) -> list[str]:
    """A row's seven values in markitdown's four value cells: 自然人+商业企业, 科研+公益, 法律服务+其他, 总计."""
    s = [L._s(v) for v in vals]
    return [f"{s[0]} {s[1]}", f"{s[2]} {s[3]}", f"{s[4]} {s[5]}", s[6]]


def _markitdown_table3(t3: dict | None = None) -> list[str]:
    """表三 as markitdown prints a ruled PDF's: merged value columns, label pieces around and beside rows."""
    t3 = t3 or L.TABLE3
    v = {k: _merged(x) for k, x in t3.items()}
    out = _table(["", "", "自然人", "社会公益", "法律服务", "总计"], ["", "", "商业企业", "科研机构", "其他", ""])
    out += _table(["一、本年新收政府信息公开申请数量", "", *v["new_received"]],
                  ["二、上年结转政府信息公开申请数量", "", *v["carried_over"]],
                  ["（一）予以公开", "", *v["granted"]])
    out += ["（二）部分公开（区分处理的，只计"] + _table(["", "", *v["partial"]]) + ["这一情形，不计其他情形）"]
    out += _table(["", "1.属于国家秘密", *v["denied.state_secret"]])
    out += ["2.其他法律行政法规禁止公"] + _table(["", "", *v["denied.law_forbidden"]]) + ["开"]
    out += _table(["", "3.危及“三安全一稳定”", *v["denied.security_stability"]],
                  ["（三）不", "4.保护第三方合法权益", *v["denied.third_party"]]) + ["予公开"]
    out += _table(["", "5.属于三类内部事务信息", *v["denied.internal_affairs"]],
                  ["", "6.属于四类过程性信息", *v["denied.process_info"]],
                  ["", "7.属于行政执法案卷", *v["denied.enforcement_file"]],
                  ["", "8.属于行政查询事项", *v["denied.admin_query"]])
    out += ["三", "1.本机关不掌握相关政府信"] + _table(["、", "", *v["unable.not_held"]]) + ["息", "本 （四）无"]
    out += ["2.没有现成信息需要另行制", "年"] + _table(["法提供", "", *v["unable.need_creation"]]) + ["作", "度"]
    out += _table(["办", "3.补正后申请内容仍不明确", *v["unable.unclear"]],
                  ["理", "1.信访举报投诉类申请", *v["not_processed.complaint"]]) + ["结"]
    out += _table(["", "2.重复申请", *v["not_processed.duplicate"]]) + ["果"]
    out += _table(["（五）不", "3.要求提供公开出版物", *v["not_processed.publication"]]) + ["予处理"]
    out += _table(["", "4.无正当理由大量反复申请", *v["not_processed.excessive"]])
    out += ["5.要求行政机关确认或重新"] + _table(["", "", *v["not_processed.reconfirm"]]) + ["出具已获取信息"]
    out += ["1.申请人无正当理由逾期不"] + _table(["", "补正、行政机关不再处理", *v["other.no_correction"]])
    out += ["其政府信息公开申请"] + _table(["（六）其", "2.申请人逾期未按收费通知", "", "", "", ""])
    out += ["要求缴纳费用、行政机关", "他处理"] + _table(["", "", *v["other.no_fee"]]) + ["不再处理其政府信息公开", "申请"]
    out += _table(["", "3.其他", *v["other.other"]], ["（七）总计", "", *v["total"]],
                  ["四、结转下年度继续办理", "", *v["carried_forward"]])
    return out


def test_markitdown_merged_columns_read_exactly(tmp_path: Path) -> None:
    rep = _check(tmp_path, _markitdown_table3())
    for key, want in L.TABLE3.items():
        assert _values(rep.table3[key]) == want, key
    codes = {f.code for f in rep.findings}
    assert not codes & {"parse.row-missing", "parse.cells-unplaced", "parse.values-dropped", "parse.cells-missing"}


def test_label_fragment_left_of_a_row_label_is_not_a_value(tmp_path: Path) -> None:
    """"| （三）不 | 4.保护… | 0 | … |" in a grid of one value per cell: the piece of （三）不予公开 is no text cell."""
    lines = L.labels_before()
    k = next(i for i, x in enumerate(lines) if x.startswith("4.保护第三方"))
    rows = [["", "", *L.T3_HEADER[1:]]]
    for i, line in enumerate(lines[1:], 1):
        lab, *vals = line.rsplit(" ", 7)
        rows.append(["（三）不" if i == k else ("理" if lab.startswith("1.信访") else ""), lab, *vals])
    rep = _check(tmp_path, _table(*rows))
    for key, want in L.TABLE3.items():
        assert _values(rep.table3[key]) == want, key


def test_text_value_in_a_grid_of_the_forms_cells_stays_text(tmp_path: Path) -> None:
    """A real grid with "不详" and "无" right of the label keeps them as the row's cells, in their columns."""
    lines = L.labels_before()
    rows = [["", *L.T3_HEADER[1:]]]
    for line in lines[1:]:
        lab, *vals = line.rsplit(" ", 7)
        if lab == "（一）予以公开":
            vals = ["3", "1", "0", "不详", "0", "无", "4"]
        rows.append([lab, *vals])
    rep = _check(tmp_path, _table(*rows))
    got = rep.table3["granted"]
    assert _values(got)[:3] == [3, 1, 0] and _values(got)[4] == 0 and _values(got)[6] == 4
    assert got[3].kind is Kind.TEXT and got[3].text == "不详"
    assert got[5].kind in (Kind.TEXT, Kind.DASH) and got[5].text == "无"
    for key, want in L.TABLE3.items():
        if key != "granted":
            assert _values(rep.table3[key]) == want, key


def test_blank_cells_of_a_grid_of_the_forms_cells_stay_blank(tmp_path: Path) -> None:
    """One value per pipe cell, blanks as empty cells: the grid is the form's, its blanks are blanks."""
    t3 = copy.deepcopy(L.TABLE3)
    t3["carried_over"] = [1, None, None, None, None, None, 1]
    t3["denied.state_secret"] = [None, None, None, None, None, None, None]
    rows = [["", *L.T3_HEADER[1:]]] + [[L.t3_label(r.key), *map(L._s, t3[r.key])] for r in L.T3_ROWS]
    rep = _check(tmp_path, _table(*rows))
    for key, want in t3.items():
        assert _values(rep.table3[key]) == want, key


def test_merged_row_short_of_a_blank_is_unknown_not_shifted(tmp_path: Path) -> None:
    """A blank beside a number in one pipe cell leaves no trace ("| 1 |" for 自然人 1, 商业企业 blank): which
    cell was blank is unknown with a finding, never the empty label column read as 自然人's blank."""
    t3 = copy.deepcopy(L.TABLE3)
    t3["carried_over"] = [1, None, 0, 0, 0, 0, 1]
    lines = _markitdown_table3(t3)
    rep = _check(tmp_path, lines)
    got = rep.table3["carried_over"]
    for c, want in zip(got, t3["carried_over"]):
        assert c.kind is Kind.UNKNOWN or _values([c])[0] == want, (_values(got), t3["carried_over"])
    assert any(f.code == "parse.cells-missing" and "t3.carried_over" in f.cells for f in rep.findings)
    for key, want in L.TABLE3.items():
        if key != "carried_over":
            assert _values(rep.table3[key]) == want, key


def test_label_broken_around_another_columns_piece(tmp_path: Path) -> None:
    """"3.补正后申请内容仍不" / "| 理 | | 0 0 | … |" / "明确": the vertical label's 理 between the halves
    of a broken row label does not hide the row."""
    lines = _markitdown_table3()
    k = lines.index("| 办 | 3.补正后申请内容仍不明确 | " + " | ".join(_merged(L.TABLE3["unable.unclear"])) + " |")
    lines[k:k + 1] = ["3.补正后申请内容仍不"] + _table(["办", "", *_merged(L.TABLE3["unable.unclear"])]) + ["明确"]
    rep = _check(tmp_path, lines)
    for key, want in L.TABLE3.items():
        assert _values(rep.table3[key]) == want, key


# ---------------------------------------------------------------- random invented figures, md-merged


def _random_figures(base: str, seed: int, blanks: int = 0) -> dict:
    """``base``'s figures with every table filled afresh at random (identities holding), ``blanks`` cells blank."""
    rng = random.Random(seed)
    fig = yaml.safe_load((FIXTURES / "layouts" / f"{base}.yaml").read_text(encoding="utf-8"))
    t3 = fig["table3"]
    ends = ("new_received", "carried_over", "total", "carried_forward")
    outcome = [k for k in t3 if k not in ends]

    def part() -> list[int]:
        vals = [rng.choice((0, 0, 0, 1, 2, 3, 7, 12, 40)) for _ in range(6)]
        return vals + [sum(vals)]

    for k in outcome:
        t3[k] = part()
    t3["total"] = [sum(t3[k][c] for k in outcome) for c in range(7)]
    t3["carried_over"] = [rng.randint(0, x) for x in t3["total"][:6]]
    t3["carried_over"].append(sum(t3["carried_over"]))
    t3["carried_forward"] = [rng.randint(0, 5) for _ in range(6)]
    t3["carried_forward"].append(sum(t3["carried_forward"]))
    t3["new_received"] = [t + f - o for t, f, o in zip(t3["total"], t3["carried_forward"], t3["carried_over"])]
    for g in fig["table4"]:
        vals = [rng.randint(0, 4) for _ in range(4)]
        fig["table4"][g] = vals + [sum(vals)]
    for row in fig["table2"].values():
        for col, v in row.items():
            if isinstance(v, int):
                row[col] = rng.choice((0, 1, 5, 38, 416, 2113)) * (1 if v >= 0 else -1)
    # blanks where a 0 was: they add nothing, so the arithmetic still holds
    zeros = [(k, c) for k in outcome for c in range(6) if t3[k][c] == 0]
    for k, c in rng.sample(zeros, min(blanks, len(zeros))):
        t3[k][c] = None
    fig["sections"]["overview"] = f"全年新收政府信息公开申请{t3['new_received'][6]}件。"
    return fig


def _score(tmp_path: Path, fig: dict, name: str) -> Outcome:
    from gongkai.compose.figures import report_from_compact

    path = tmp_path / f"{name}.md"
    path.write_text(layouts.render(report_from_compact(fig, origin=f"{name}.yaml"), "md-merged"), encoding="utf-8")
    return score_text(path, fig, Outcome(path.name, name, "fixture", "text", "layout:md-merged", "ok", None))


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("base", ["qinghe-2024", "heyang-2020"])
def test_random_figures_through_merged_pipe_tables_read_exactly(tmp_path: Path, base: str, seed: int) -> None:
    fig = _random_figures(base, seed)
    o = _score(tmp_path, fig, f"{base}-{seed}")
    assert o.status == "ok", (o.status, o.error)
    assert o.right == o.total, (o.text, o.misses[:12])


@pytest.mark.parametrize("seed", range(6))
def test_random_figures_with_blanks_through_merged_pipe_tables_no_silent_error(tmp_path: Path, seed: int) -> None:
    """Blanks merged away leave cells the text cannot place: unknown with a finding, never a wrong value."""
    fig = _random_figures("qinghe-2024", 100 + seed, blanks=3)
    o = _score(tmp_path, fig, f"blanks-{seed}")
    assert o.blanks_in_truth == 3
    assert o.status == "ok", (o.status, o.error)
    assert o.wrong_silent == 0 and o.unknown_unflagged == 0, (o.text, o.misses[:12])


def test_grid_of_the_forms_cells_with_label_columns_and_a_row_printed_blank(tmp_path: Path) -> None:
    """A DOCX exported to Markdown: merged label columns as empty cells left of the values ("| 一、… | | | 5 |"),
    a row printed without values, a blank cell inside a row. Every cell one value: read by the cells, exactly."""
    t3 = copy.deepcopy(L.TABLE3)
    t3["other.no_fee"] = [None] * 7
    t3["carried_over"] = [1, 0, None, 0, 0, 0, 1]
    rows = [["", "", "", *L.T3_HEADER[1:]]]
    for r in L.T3_ROWS:
        lab = L.t3_label(r.key)
        lead = [lab, "", ""] if r.group is None else ["", lab, ""]
        rows.append([*lead, *map(L._s, t3[r.key])])
    rep = _check(tmp_path, _table(*rows))
    for key, want in t3.items():
        assert _values(rep.table3[key]) == want, key


def test_label_piece_right_of_the_label_is_not_a_value_where_the_values_fill_the_row(tmp_path: Path) -> None:
    """"| 4.无正当理由大量反复 | | 申请 | 0 | … |" (002 as published, through markitdown): the label's second line in a
    cell of its own, seven values after it. The piece is no text cell; "不详" among six values still is one."""
    t3 = copy.deepcopy(L.TABLE3)
    t3["granted"] = [3, 1, 0, "不详", 0, 0, 4]
    rows = [["", "", "", *L.T3_HEADER[1:]]]
    for r in L.T3_ROWS:
        lab, rest = L.t3_label(r.key), ""
        if r.key in ("not_processed.excessive", "not_processed.reconfirm"):
            lab, rest = lab[:-3], lab[-3:]
        rows.append([lab, "", rest, *map(L._s, t3[r.key])])
    rep = _check(tmp_path, _table(*rows))
    for key, want in t3.items():
        assert _values(rep.table3[key]) == want, key


def test_labels_above_below_and_beside_their_rows(tmp_path: Path) -> None:
    """002 as published, through markitdown: one table where some rows print "label | values", some the values'
    pipe row and then the label, some the label and then the values, with the page's footer drawn into a pipe
    row between them. Each label takes the values beside it that fill its row: every cell exact."""
    v = {k: _merged(x) for k, x in L.TABLE3.items()}
    out = _table(["", "", "自然人", "社会公益", "法律服务", "总计"])
    for n, r in enumerate(L.T3_ROWS):
        lab = L.t3_label(r.key)
        style = n % 3
        if n == 12:
            out += _table(["", "", "- 3", "-"])
        if style == 0:
            out += _table([lab, "", *v[r.key]])
        elif style == 1:
            out += _table(["", "", *v[r.key]]) + [lab]
        else:
            out += [lab] + _table(["", "", *v[r.key]])
    rep = _check(tmp_path, out)
    for key, want in L.TABLE3.items():
        assert _values(rep.table3[key]) == want, key
    assert not {f.code for f in rep.findings} & {"parse.cells-unplaced", "parse.values-dropped", "parse.row-missing"}


def test_values_between_two_loose_labels_one_row_printed_blank_are_not_guessed(tmp_path: Path) -> None:
    """"（一）予以公开" / values / "（二）部分公开…" with 部分公开 printed without values: by position the values
    may be either row's (labels on either side does not decide it); the labels-first reading may take them,
    with the row left blank said so, or the cells are unknown with a finding: never another row's in silence."""
    t3 = copy.deepcopy(L.TABLE3)
    t3["partial"] = [None] * 7
    lines = _markitdown_table3(t3)
    k = lines.index(_pipe("（一）予以公开", "", *_merged(t3["granted"])))
    lines[k:k + 1] = ["（一）予以公开"]
    j = lines.index("（二）部分公开（区分处理的，只计")
    lines[j:j + 4] = ["（二）部分公开（区分处理的，只计这一情形，不计其他情形）"]
    lines[k + 1:k + 1] = _table(["", "", *_merged(t3["granted"])])
    rep = _check(tmp_path, lines)
    for key in ("granted", "partial"):
        got = rep.table3.get(key)
        if got is None:
            assert any(f.code == "parse.row-missing" and f"t3.{key}" in f.cells for f in rep.findings), key
            continue
        wrong = [c for c, want in zip(got, t3[key]) if _values([c])[0] != want]
        if wrong:
            assert any(f"t3.{key}" in f.cells for f in rep.findings if f.code.startswith("parse.")), (key, _values(got))
