"""A table printed in fixed-width columns whose rows all leave the same cells blank (issue 11).

Layout-keeping text (pdftotext -layout, pdfplumber layout=True, pandoc's plain tables) prints a blank cell as
empty space. When every row leaves the same columns blank, no full row shows where the columns are; the
header's column titles do (match/titles.py). Invented figures only: random sums that hold, a random set of
columns blank in every row, printed by benchmarks/conversions/layouts.py's ``fixed-width`` arrangement with
random column widths, gaps, indents, alignments and title breaks, counted in characters or display columns;
and small hand-laid tables for what must stay undecided (a value between two columns, a page whose columns
moved, a header that is not the form's).
"""
from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURES, REPO
from gongkai.check import check_path
from gongkai.formats import load_format
from gongkai.model import Kind

sys.path.insert(0, str(REPO / "benchmarks"))
from conversions import layouts  # noqa: E402
from conversions.scoring import Outcome, score_text  # noqa: E402

FMT = load_format("2021")
ROWS = [r.key for r in FMT.table3.rows_for("split")]
OUTCOMES = [r.key for r in FMT.table3.outcome_rows("split")]
BASE = yaml.safe_load((FIXTURES / "layouts" / "qinghe-2024.yaml").read_text(encoding="utf-8"))


def _blank_columns_figures(seed: int) -> dict:
    """Invented figures whose sums hold, with a random set of 表三's applicant columns (at least one, not all)
    and of 表四's cells blank in every row."""
    rng = random.Random(seed)
    blank = set(rng.sample(range(6), rng.randint(1, 5)))
    t3 = {k: [None] * 7 for k in ROWS}
    for j in range(6):
        if j in blank:
            continue
        out = {k: (rng.choice([0, 0, 0, 1, 2, 3, 5, 12, 140]) if rng.random() < 0.5 else 0) for k in OUTCOMES}
        total = sum(out.values())
        forward = rng.randint(0, 3)
        carried = rng.randint(0, total + forward)
        col = {**out, "total": total, "carried_forward": forward, "carried_over": carried,
               "new_received": total + forward - carried}
        for k in ROWS:
            t3[k][j] = col[k]
    for k in ROWS:
        t3[k][6] = sum(v for v in t3[k][:6] if v is not None)
    parts = set(rng.sample(range(4), rng.randint(0, 3)))  # the same parts of every group left blank
    t4 = {}
    printed = rng.randrange(3)  # a 表四 with no value at all reads as no table: one group at least is printed
    for k, g in enumerate(("review", "litigation_direct", "litigation_after_review")):
        if k != printed and rng.random() < 0.4:
            t4[g] = [None] * 5
            continue
        vals = [None if i in parts else rng.choice([0, 0, 1, 2, 7]) for i in range(4)]
        t4[g] = vals + [sum(v for v in vals if v is not None)]
    return {**BASE, "table3": t3, "table4": t4}


def _score(tmp_path: Path, figures: dict, arrange, name: str = "r.txt") -> Outcome:
    from gongkai.compose.figures import report_from_compact

    a = layouts.Arrangement("fixed-width", arrange, True)
    path = tmp_path / name
    path.write_text(layouts.render(report_from_compact(figures, origin="invented"), a), encoding="utf-8")
    return score_text(path, figures, Outcome(name, "invented", "fixture", "text", "layout:fixed-width", "ok", None,
                                             keeps_cells=True))


@pytest.mark.parametrize("seed", range(24))
def test_columns_blank_in_every_row_are_placed_by_the_header(tmp_path: Path, seed: int) -> None:
    figures = _blank_columns_figures(seed)
    o = _score(tmp_path, figures, layouts.fixed_width(seed))
    assert o.status == "ok", o.error
    assert o.right == o.total, (Path(o.text).read_text(encoding="utf-8"), o.misses[:12])


def test_the_arrangement_counts_characters_and_display_columns() -> None:
    """Both ways of counting are generated (pdftotext counts characters, pandoc display columns): the 总计 row's
    last value stands under the 总计 title counted one way, not the other (the labels before them differ)."""
    import re

    from gongkai.compose.figures import report_from_compact
    from gongkai.match.titles import width

    report = report_from_compact(_blank_columns_figures(0), origin="invented")
    seen = set()
    for seed in range(24):
        text = layouts.render(report, layouts.Arrangement("fixed-width", layouts.fixed_width(seed), True))
        t3 = text[text.index("三、收到和处理"):text.index("四、政府信息公开行政复议")].splitlines()
        head = next(x for x in t3 if re.search(r"\s总", x))
        row = next(x for x in t3 if x.strip().startswith("（七）总计"))
        title, value = head.index("总", 10), row.rstrip().rindex(" ") + 1
        by = {"characters": abs(title - value), "display": abs(width(head[:title]) - width(row[:value]))}
        # aligned alike: left edges equal, or right edges, or centres within a column
        seen |= {k for k, d in by.items() if d <= 3} if min(by.values()) != max(by.values()) else set()
    assert seen == {"characters", "display"}


# ---- hand-laid tables: what the header decides, and what it must leave undecided ------------------------
HEAD = ["示例县档案局2025年政府信息公开工作年度报告", "一、总体情况", "本局依法做好政府信息公开工作。",
        "二、主动公开政府信息情况", "第二十条第（一）项", "信息内容 本年制发件数 本年废止件数 现行有效件数",
        "规章 0 0 0", "行政规范性文件 1 0 4", "第二十条第（五）项", "信息内容 本年处理决定数量", "行政许可 3",
        "第二十条第（六）项", "信息内容 本年处理决定数量", "行政处罚 2", "行政强制 0", "第二十条第（八）项",
        "信息内容 本年收费金额（单位：万元）", "行政事业性收费 0",
        "三、收到和处理政府信息公开申请情况", "本局依法办理政府信息公开申请。"]
T4 = ["四、政府信息公开行政复议、行政诉讼情况", "本年度未发生行政复议。",
      "行政复议 行政诉讼 未经复议直接起诉 复议后起诉 " + " ".join(["结果维持 结果纠正 其他结果 尚未审结 总计"] * 3),
      "0 0 0 0 0 0 0 0 0 0 0 0 0 0 0"]
TAIL = ["五、存在的主要问题及改进情况", "工作仍有不足。", "六、其他需要报告的事项", "无。"]


def _at(*parts: tuple[int, str]) -> str:
    """One line with each text starting at its character column."""
    s = ""
    for x, t in parts:
        s += " " * max(1 if s else 0, x - len(s)) + t
    return s


# the columns (character offsets) of a pdftotext -layout header: 社会公益组织 over three lines
X = [30, 36, 42, 48, 54, 60, 66]
T3_HEADER = [
    _at((0, "（本列数据的勾稽关系为：第一项加第二"), (40, "申请人情况")),
    _at((0, "项之和，等于第三项加第四项之和）"), (X[0], "自然人"), (X[3], "社会"), (X[4], "法律"), (X[6], "总计")),
    _at((X[1], "商业"), (X[2], "科研"), (X[3], "公益"), (X[4], "服务"), (X[5], "其他")),
    _at((X[1], "企业"), (X[2], "机构"), (X[3], "组织"), (X[4], "机构")),
]


def _t3_lines(values: dict[str, dict[int, int]], header=T3_HEADER, shift: dict[str, int] | None = None) -> list[str]:
    """表三 with each row's values at the columns ``X`` (moved by ``shift`` for the rows named there)."""
    out = list(header)
    for r in FMT.table3.rows_for("split"):
        vals = values.get(r.key, {0: 0, 6: 0})
        d = (shift or {}).get(r.key, 0)
        out.append(_at((0, r.label[:12]), *((X[j] + d, str(v)) for j, v in sorted(vals.items()))))
        if len(r.label) > 12:
            out.append(_at((0, r.label[12:])))
    return out


def _check(tmp_path: Path, lines: list[str]):
    p = tmp_path / "r.txt"
    p.write_text("\n".join(HEAD + lines + T4 + TAIL) + "\n", encoding="utf-8")
    res = check_path(p)
    assert res.status in ("ok", "errors"), res.error
    return res.report


def _printed(cells) -> dict[int, int]:
    return {j: c.value for j, c in enumerate(cells) if c.kind is Kind.NUMBER}


def test_rows_printing_only_natural_and_total_like_corpus_032(tmp_path: Path) -> None:
    """Corpus 032's class: every row prints 自然人 and 总计 only."""
    rep = _check(tmp_path, _t3_lines({"new_received": {0: 26, 6: 26}, "granted": {0: 26, 6: 26},
                                     "total": {0: 26, 6: 26}}))
    assert _printed(rep.table3["new_received"]) == {0: 26, 6: 26}
    assert all(c.kind is Kind.BLANK for c in rep.table3["granted"][1:6])
    assert _printed(rep.table3["total"]) == {0: 26, 6: 26}
    assert any(f.code == "parse.cells-by-position" and "t3.granted" in f.cells for f in rep.findings)


def test_values_under_stacked_titles_in_the_middle(tmp_path: Path) -> None:
    """Columns blank in every row on both sides of the printed ones: 社会公益组织 is titled over three lines."""
    rep = _check(tmp_path, _t3_lines({"new_received": {3: 4, 5: 1, 6: 5}, "granted": {3: 4, 5: 1, 6: 5},
                                     "total": {3: 4, 5: 1, 6: 5}}, shift={"granted": 1}))
    for key in ("new_received", "granted", "total"):
        assert _printed(rep.table3[key]) == {3: 4, 5: 1, 6: 5}, key


def test_a_value_between_two_columns_is_unknown(tmp_path: Path) -> None:
    rep = _check(tmp_path, _t3_lines({"new_received": {1: 3, 6: 3}, "granted": {1: 3, 6: 3}, "total": {1: 3, 6: 3}},
                                    shift={"granted": 3}))
    # 3 half-way between 商业企业 and 科研机构: not placed by position. A line the header does not place leaves
    # the page's rows to the arithmetic, which puts each 3 in 总计 and cannot say which applicant the other is
    granted = rep.table3["granted"]
    assert all(c.kind is Kind.UNKNOWN for c in granted[:6]) and granted[6].value == 3
    assert any(f.code == "parse.cells-missing" and "t3.granted" in f.cells for f in rep.findings)
    assert not any(f.code == "parse.cells-by-position" and "t3.granted" in f.cells for f in rep.findings)


def test_a_header_that_is_not_the_forms_decides_nothing(tmp_path: Path) -> None:
    """科研机构 missing from the header: the titles are not the form's seven columns, so no column is placed."""
    header = [T3_HEADER[0], T3_HEADER[1], _at((X[1], "商业"), (X[3], "公益"), (X[4], "服务"), (X[5], "其他")),
              _at((X[1], "企业"), (X[3], "组织"), (X[4], "机构"))]
    rep = _check(tmp_path, _t3_lines({"new_received": {0: 2, 6: 2}, "granted": {0: 2, 6: 2}, "total": {0: 2, 6: 2}},
                                    header=header))
    assert any(c.kind is Kind.UNKNOWN for c in rep.table3["granted"])
    assert not any(f.code == "parse.cells-by-position" for f in rep.findings)


def test_a_page_whose_columns_moved_is_not_read_by_the_first_pages_header(tmp_path: Path) -> None:
    """pdftotext lays each page out on its own: rows after a page break without the header repeated stand
    elsewhere, and the first page's titles must not place them; with the header repeated they are placed."""
    values = {"new_received": {0: 7, 6: 7}, "granted": {0: 7, 6: 7}, "total": {0: 7, 6: 7}}
    lines = _t3_lines(values)
    cut = next(i for i, x in enumerate(lines) if x.startswith("1.属于国家秘密"))
    moved = [(" " * 5 + x) if x.strip() else x for x in lines[cut:]]
    rep = _check(tmp_path, lines[:cut] + ["\f" + " " * 40 + "- 3 -"] + moved)
    assert _printed(rep.table3["granted"]) == {0: 7, 6: 7}
    assert any(c.kind is Kind.UNKNOWN for c in rep.table3["total"])
    titles = [_at((X[0], "自然人"), (X[3], "社会"), (X[4], "法律"), (X[6], "总计")), *T3_HEADER[2:]]
    header = [(" " * 5 + x) for x in titles]
    rep = _check(tmp_path, lines[:cut] + ["\f" + header[0]] + header[1:] + moved)
    assert _printed(rep.table3["total"]) == {0: 7, 6: 7}
    assert all(c.kind is Kind.BLANK for c in rep.table3["total"][1:6])


def test_table4_with_its_review_group_blank_like_seed_000_and_001(tmp_path: Path) -> None:
    """Seed reports' class: 行政复议 left blank, only the lawsuits printed under their titles."""
    xs = [20 + 6 * k for k in range(15)]
    t4 = ["四、政府信息公开行政复议、行政诉讼情况", "本年度未发生行政复议。",
          _at((30, "行政复议"), (70, "行政诉讼")),
          _at((50, "未经复议直接起诉"), (80, "复议后起诉")),
          _at(*((x, "结果") for x in xs[:2]), (xs[2], "其他"), (xs[3], "尚未"), (xs[4], "总计"),
              *((x, "结果") for x in xs[5:7]), (xs[7], "其他"), (xs[8], "尚未"),
              *((x, "结果") for x in xs[10:12]), (xs[12], "其他"), (xs[13], "尚未")),
          _at(*((x, w) for x, w in zip(xs[:4], ("维持", "纠正", "结果", "审结"))),
              *((x, w) for x, w in zip(xs[5:10], ("维持", "纠正", "结果", "审结", "总计"))),
              *((x, w) for x, w in zip(xs[10:], ("维持", "纠正", "结果", "审结", "总计")))),
          _at(*((x, v) for x, v in zip(xs[5:], "1001200000")))]
    p = tmp_path / "r.txt"
    p.write_text("\n".join(HEAD + _t3_lines({}) + t4 + TAIL) + "\n", encoding="utf-8")
    rep = check_path(p).report
    assert all(c.kind is Kind.BLANK for c in rep.table4["review"])
    assert [c.value for c in rep.table4["litigation_direct"]] == [1, 0, 0, 1, 2]
    assert [c.value for c in rep.table4["litigation_after_review"]] == [0, 0, 0, 0, 0]


# ---- real converter output of an invented report with a column blank in every row --------------------------
@pytest.mark.parametrize("converter", ["pdftotext-layout.txt", "pdfplumber-layout.txt", "pandoc.md"])
def test_real_layout_conversion_reads_exactly(converter: str) -> None:
    """The composer's PDF and DOCX of songxi-2025-columns.yaml through the real tools (made by
    benchmarks/conversions/fixtures.py): every cell exactly, blank columns blank."""
    name = "songxi-2025-columns"
    path = FIXTURES / "layouts" / f"{name}.{converter}"
    figures = yaml.safe_load((FIXTURES / "layouts" / f"{name}.yaml").read_text(encoding="utf-8"))
    o = score_text(path, figures, Outcome(path.name, name, "fixture", "text", converter, "ok", None, keeps_cells=True))
    assert o.status == "ok", o.error
    assert o.right == o.total, o.misses[:12]
