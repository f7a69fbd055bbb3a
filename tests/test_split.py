"""Reading row values into exactly n cells: crawler runs, &nbsp; gaps, stray grid cells."""
from __future__ import annotations

from gongkai.blocks import Source
from gongkai.match.choose import shortlist, sum_violations
from gongkai.match.split import readings
from gongkai.match.stream import Piece, value_spans
from gongkai.model import Kind


def _run(text: str) -> list[Piece]:
    return [Piece(text, Source(0, len(text)), False)]


def _cells(texts: list[str]) -> list[Piece]:
    return [Piece(t, Source(i, i + 1), True) for i, t in enumerate(texts)]


def _values(cells):
    return [c.value if c.kind is Kind.NUMBER else c.kind.value for c in cells]


def row_sum(cells):
    return sum_violations(cells, slice(0, 6), 6)


def test_run_together_row_is_split_by_its_total():
    rs, complete = readings(_run("640020470"), 7)
    assert complete
    choice = shortlist(rs, row_sum)
    assert choice.satisfied
    assert [_values(c) for c in choice.candidates] == [[64, 0, 0, 2, 0, 4, 70]]


def test_space_is_padding_when_digits_fill_the_row():
    choice = shortlist(readings(_run("230 000023"), 7)[0], row_sum)
    assert [_values(c) for c in choice.candidates] == [[23, 0, 0, 0, 0, 0, 23]]


def test_space_is_a_blank_cell_when_a_value_is_missing():
    choice = shortlist(readings(_run("0 00000"), 7)[0], row_sum)
    assert [_values(c) for c in choice.candidates] == [[0, "blank", 0, 0, 0, 0, 0]]


def test_blank_grid_cell_stays_blank_not_zero():
    choice = shortlist(readings(_cells(["0", "", "0", "0", "0", "0", "0"]), 7)[0], row_sum)
    assert [_values(c) for c in choice.candidates] == [[0, "blank", 0, 0, 0, 0, 0]]


def test_stray_empty_cells_around_a_row_are_dropped():
    choice = shortlist(readings(_cells(["", "5", "0", "0", "0", "0", "0", "5", ""]), 7)[0], row_sum)
    assert [_values(c) for c in choice.candidates] == [[5, 0, 0, 0, 0, 0, 5]]


def test_regression_extra_value_in_table4_row_is_dropped_where_the_sums_hold():
    # seed 000: five blank review cells, 3 0 0 4 7, then six zeros for five slots
    texts = [""] * 5 + ["3", "0", "0", "4", "7"] + ["0"] * 6
    viol = lambda c: sum(sum_violations(c, slice(g * 5, g * 5 + 4), g * 5 + 4) for g in range(3))  # noqa: E731
    choice = shortlist(readings(_cells(texts), 15)[0], viol)
    assert [_values(c) for c in choice.candidates] == [["blank"] * 5 + [3, 0, 0, 4, 7] + [0] * 5]


def test_decimal_with_unit_keeps_unit_and_cuts_only_the_integer_part():
    rs, _ = readings(_run("135753.5元"), 2)
    got = {(c[0].value, str(c[1].value), c[1].unit) for c in (r.cells for r in rs)}
    assert (135, "753.5", "元") in got
    assert all(unit == "元" for _, _, unit in got)


def test_no_number_with_a_leading_zero():
    rs, _ = readings(_run("1005"), 2)
    assert [tuple(_values(r.cells)) for r in rs if r.cost == 0] == [(100, 5)]  # not 1|005 or 10|05


def test_list_number_after_values_belongs_to_the_next_label():
    text = "1.属于国家秘密00000002.其他法律行政法规禁止公开0000000"
    assert [text[a:b] for a, b in value_spans(text)] == ["0000000", "0000000"]


def test_slash_inside_a_label_is_not_a_value():
    text = "上一年项目数量本年增/减处理决定数量行政许可3960181"
    assert [text[a:b] for a, b in value_spans(text)] == ["3960181"]


def test_regression_grid_row_with_exact_count_is_taken_as_printed():
    # corpus 002.pdf 表四: 10 1 0 0 0 | 0… | 5 0 0 0 0 breaks two totals, but fifteen printed cells for
    # fifteen columns are read as printed; "10" is never cut to make the sums hold.
    texts = ["10", "1", "0", "0", "0"] + ["0"] * 5 + ["5", "0", "0", "0", "0"]
    viol = lambda c: sum(sum_violations(c, slice(g * 5, g * 5 + 4), g * 5 + 4) for g in range(3))  # noqa: E731
    choice = shortlist(readings(_cells(texts), 15)[0], viol)
    assert [_values(c) for c in choice.candidates] == [[10, 1, 0, 0, 0] + [0] * 5 + [5, 0, 0, 0, 0]]


def test_pdf_space_between_amount_and_unit_keeps_one_value():
    # pdfium puts a glyph-gap space before 元: "135 75394432.52 元" is two cells, not 1/35 and a stray 元
    rs, _ = readings(_run("135 75394432.52 元"), 2)
    best = min(rs, key=lambda r: r.cost)
    assert [c.text for c in best.cells] == ["135", "75394432.52元"]
    assert best.cells[1].unit == "元" and str(best.cells[1].value) == "75394432.52"
    assert value_spans("采购总金额 75394432.52 元") == [(6, 19)]  # the unit belongs to the value


def test_cutting_a_long_run_bounds_each_cut_by_the_parts_still_to_come():
    # 17 digits into 15 cells: every reading is a valid cut, found without exploring dead ends
    rs, complete = readings(_run("21317000001324019"), 15)
    assert complete and rs
    assert all(len(r.cells) == 15 and "".join(c.text for c in r.cells) == "21317000001324019" for r in rs)
    assert len({tuple(c.value for c in r.cells) for r in rs}) == len(rs)


def test_table2_prose_counts_are_read_by_the_prose_number_reader():
    # 表二's prose support once had its own Arabic-only regex; Chinese numerals and 项 now count too
    from gongkai.match import _prose_counts

    counts = _prose_counts("本年度制发规范性文件3项，废止规范性文件十二件，现行有效规范性文件共 44 件，第2项工作。")
    assert [v for v, _ in counts] == [3, 12, 44]


def test_cuts_of_digit_runs_equal_every_valid_composition():
    """_splits / count_splits (with the one-digit-per-cell shortcut) list exactly the cuts of a run
    into k numbers without a leading zero, checked against brute force."""
    import itertools
    import random

    from gongkai.match import split

    def brute(text: str, k: int) -> set[tuple[tuple[int, int], ...]]:
        out = set()
        for cuts in itertools.combinations(range(1, len(text)), k - 1):
            bounds = (0, *cuts, len(text))
            spans = tuple(zip(bounds, bounds[1:]))
            if all(text[a:b] == "0" or not text[a:b].startswith("0") for a, b in spans):
                out.add(spans)
        return out

    rng = random.Random(3)
    for _ in range(400):
        n = rng.randint(1, 12)
        text = "".join(rng.choice("0000123456789") for _ in range(n))
        for k in range(1, n + 1):
            split._splits.cache_clear()
            split.count_splits.cache_clear()
            split._digit_counts.cache_clear()
            want = brute(text, k)
            assert split.count_splits(text, k) == len(want), (text, k)
            got = split._splits(text, k)
            assert set(got) == want, (text, k)
            # in the depth-first order (cut positions ascending) the readings are listed and ranked in
            assert list(got) == sorted(want), (text, k)
