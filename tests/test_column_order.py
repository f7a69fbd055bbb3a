"""Tables printed in a reading order of their own, read by the table's arithmetic (match/reorder.py).

Invented figures (tests/fixtures/layouts/qinghe-2024.yaml, and variants made from it here) are printed the way
real PDF text layers print them — labels first, then the numbers one column after the other with the 总计 column
before 其他, a table's rows split by a page, the first value of a row left beside its label, the 总计 column
continued on the next page under its header, 表四's values among its headers — and checked as ``gongkai check``
checks a text. Where one reading satisfies every identity the table comes out exactly; where the arithmetic
cannot tell two readings apart (which applicant column is which), those cells are unknown with a finding, never
a guess; a table whose own sums are wrong is not "repaired" into another order.
"""
from __future__ import annotations

import copy
import sys

import pytest
import yaml

from conftest import FIXTURES, REPO

sys.path.insert(0, str(REPO / "benchmarks"))
from conversions import layouts  # noqa: E402
from conversions.scoring import Outcome, score_text  # noqa: E402

FIGURES = FIXTURES / "layouts" / "qinghe-2024.yaml"


def _figures(natural_only: bool = False) -> dict:
    f = yaml.safe_load(FIGURES.read_text(encoding="utf-8"))
    if natural_only:
        # every request from a natural person: the other applicant columns are 0 and 总计 = 自然人
        for k, v in f["table3"].items():
            f["table3"][k] = [v[0] + sum(v[1:6]), 0, 0, 0, 0, 0, v[6]]
    return f


def _report(figures: dict):
    from gongkai.compose.figures import report_from_compact

    return report_from_compact(copy.deepcopy(figures), origin="invented.yaml")


def _columns(rows, order):
    return [r.values[c] for c in order for r in rows if c < len(r.values) and r.values[c]]


def _total_before_other_by_page(t, blocks):
    """表三's rows on two pages, each page's labels first and then its numbers column by column, the 总计 column
    before 其他 (corpus 002 through pdfminer)."""
    if t.name != "table3":
        return layouts._column_major(t, blocks)
    (b,) = blocks
    cut = 14
    out = b.headers + [layouts._line(*r.labels) for r in b.rows[:cut]] + _columns(b.rows[:cut], [0, 1, 2, 3, 4, 6, 5])
    return out + ["", "- 3 -", ""] + [layouts._line(*r.labels) for r in b.rows[cut:]] + _columns(b.rows[cut:], range(7))


def _stray_and_total_on_next_page(t, blocks):
    """表三's labels first with one row's label (and its first value) printed before the others, the columns
    top to bottom, the 总计 column on the next page under its own header (corpus 010 and 031 through pdfminer)."""
    if t.name != "table3":
        return layouts._column_major(t, blocks)
    (b,) = blocks
    k = 8
    stray = b.rows[k]
    labels = [layouts._line(*r.labels) for i, r in enumerate(b.rows) if i != k]
    col0 = [r.values[0] for i, r in enumerate(b.rows) if i != k]
    return (b.headers + [layouts._line(*stray.labels), stray.values[0]] + labels + col0
            + _columns(b.rows, range(1, 6)) + ["", "— 4 —", "", "总计"] + _columns(b.rows, [6]))


def _band_by_column_among_rows(t, blocks):
    """表三's rows each after its label, but rows 4 to 13 column by column with their labels after all of them
    (corpus 002 through pdftotext)."""
    if t.name != "table3":
        return layouts._rows(t, blocks)
    (b,) = blocks
    rows = [layouts._line(*r.labels, layouts._numbers(r)) for r in b.rows[:4]]
    band = _columns(b.rows[4:14], range(7)) + [layouts._line(*r.labels) for r in b.rows[4:14]]
    rest = [layouts._line(*r.labels, layouts._numbers(r)) for r in b.rows[14:]]
    return b.headers + rows + band + rest


def _t4_values_among_headers(t, blocks):
    """表四's headers with the first value of a group printed beside its header (corpus 007/010 through pdfminer)."""
    if t.name != "table4":
        return layouts._column_major(t, blocks)
    (b,) = blocks
    values = b.rows[0].values
    heads = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    return (["行政复议", "行政诉讼"] + heads + ["未经复议直接起诉", "复议后起诉"] + heads + heads[:1]
            + [values[10]] + heads[1:] + values[11:] + values[:10])


def _check(tmp_path, figures: dict, arrange) -> Outcome:
    a = layouts.Arrangement("invented", arrange, False)
    path = tmp_path / "invented.txt"
    path.write_text(layouts.render(_report(figures), a), encoding="utf-8")
    return score_text(path, figures, Outcome(path.name, "invented", "fixture", "text", "invented", "ok", None))


ARRANGED = [_total_before_other_by_page, _stray_and_total_on_next_page, _band_by_column_among_rows]
IDS = ["total-before-other-by-page", "stray-and-total-on-next-page", "band-by-column-among-rows"]


@pytest.mark.parametrize("arrange", ARRANGED, ids=IDS)
def test_column_order_decided_by_the_sums(tmp_path, arrange) -> None:
    """Every applicant column but 自然人 is 0: one reading satisfies the sums, and the table reads exactly."""
    figures = _figures(natural_only=True)
    o = _check(tmp_path, figures, arrange)
    assert o.status == "ok", o.error
    t3 = [m for m in o.misses if m[0].startswith("t3.")]
    assert not t3, t3[:10]
    assert not o.wrong_silent and not o.unknown_unflagged, o.misses[:10]


@pytest.mark.parametrize("arrange", ARRANGED, ids=IDS)
def test_applicant_columns_the_sums_cannot_tell_apart_stay_unknown(tmp_path, arrange) -> None:
    """Several applicant columns hold requests: the text's column order is no evidence of which is which (pdfminer
    writes them in an order of its own), so the rows where they differ are unknown with a finding, never guessed."""
    o = _check(tmp_path, _figures(), arrange)
    assert o.status == "ok", o.error
    assert not o.wrong_silent, [m for m in o.misses if m[-1] == "silent"][:10]
    assert not o.unknown_unflagged


def test_own_wrong_sums_are_not_repaired_by_another_order(tmp_path) -> None:
    """A report whose own row sum is wrong: no reading satisfies every identity, so no reordered reading is taken;
    nothing comes out as a value other than the printed one without a finding."""
    figures = _figures(natural_only=True)
    figures["table3"]["granted"][6] += 1  # the report's own slip: 总计 one more than its parts
    o = _check(tmp_path, figures, _total_before_other_by_page)
    assert o.status == "ok", o.error
    assert not o.wrong_silent, [m for m in o.misses if m[-1] == "silent"][:10]


def test_t4_values_among_headers_placed_by_their_header(tmp_path) -> None:
    figures = _figures(natural_only=True)
    figures["table4"] = {"review": [2, 1, 3, 1, 7], "litigation_direct": [0, 0, 0, 0, 0],
                         "litigation_after_review": [13, 2, 4, 0, 19]}
    o = _check(tmp_path, figures, _t4_values_among_headers)
    assert o.status == "ok", o.error
    t4 = [m for m in o.misses if m[0].startswith("t4.")]
    assert not t4, t4


def test_reading_search_is_bounded(monkeypatch, tmp_path) -> None:
    """A search that runs out of states leaves the table undecided (unknown with findings), never half-read."""
    from gongkai.match import reorder

    monkeypatch.setattr(reorder, "MAX_STATES", 5)
    o = _check(tmp_path, _figures(natural_only=True), _stray_and_total_on_next_page)
    assert o.status == "ok", o.error
    assert not o.wrong_silent and not o.unknown_unflagged


def test_blank_cell_left_out_of_a_row_read_row_by_row(tmp_path) -> None:
    """Labels first, numbers row by row, one blank cell printed as nothing (its line one value short): the other
    rows are decided by the sums; the short row's cells are right or unknown with a finding, never shifted."""
    figures = _figures(natural_only=True)
    figures["table3"]["carried_over"] = [figures["table3"]["carried_over"][0], None, 0, 0, 0, 0,
                                         figures["table3"]["carried_over"][6]]
    o = _check(tmp_path, figures, layouts._labels_first)
    assert o.status == "ok", o.error
    t3 = [m for m in o.misses if m[0].startswith("t3.")]
    assert all(m[0].startswith("t3.carried_over.") for m in t3), t3[:10]
    assert not o.wrong_silent and not o.unknown_unflagged, o.misses[:10]
