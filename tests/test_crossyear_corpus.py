"""Cross-report checks on the 平潭 truth files and on hand-made changes of them."""
from __future__ import annotations

import copy

import pytest

from gongkai.corpus.crossyear import (CARRY, JUMP, PARENT, STOCK, Placed, check_corpus, claims_coverage, carry_over,
                               jumps, parent_children, stock_flow)
from gongkai.findings import Severity
from gongkai.model import Cell, Kind
from gongkai.store.reports import ReportStore
from truth_helpers import backends, fresh_url, sha, truth_report

PT = "平潭综合实验区管委会"


def entry(ident: str, parent: str | None = None) -> Placed:
    r, _ = truth_report(ident)
    return Placed(r.agency, r.year, r, parent)


def n(v: int) -> Cell:
    return Cell(Kind.NUMBER, v, str(v))


def test_pingtan_2021_to_2022_carry_over_and_stock_flow_agree():
    # 2021 carried 1 request (自然人) forward; 2022 took 1 over. 665 + 88 − 55 = 698 in force.
    e21, e22 = entry("007"), entry("008")
    assert carry_over(e21, e22) == []
    assert stock_flow(e21, e22) == []


def test_pingtan_corpus_has_no_carry_over_warning_and_skips_gaps():
    # 2019, 2021, 2022, 2024: only 2021→2022 are consecutive, and they agree.
    found = check_corpus([entry(i) for i in ("005", "007", "008", "010")])
    assert [f for f in found if f.finding.code == CARRY] == []
    assert {(f.year, f.finding.code) for f in found} <= {(2022, JUMP)}
    # 许可 2293 → 10690 is a jump; 2019→2021 (a gap year) is never compared.
    assert any(f.finding.cells == ["t2.licensing.decisions"] for f in found)


def test_changed_carry_over_is_a_warning_per_column():
    e21, e22 = entry("007"), entry("008")
    r = copy.deepcopy(e22.report)
    r.table3["carried_over"][0] = n(3)
    r.table3["carried_over"][6] = n(3)
    [natural, total] = carry_over(e21, Placed(PT, 2022, r))
    assert natural.code == CARRY and natural.severity is Severity.WARNING
    assert natural.cells == ["t3.carried_over.natural"]
    assert natural.numbers["carried_over"] == 3 and natural.numbers["last_carried_forward"] == 1
    assert natural.numbers["other"] == {"agency": PT, "year": 2021, "cell": "t3.carried_forward.natural"}
    assert "2021" in natural.message and "自然人" in natural.message and natural.gloss
    assert total.cells == ["t3.carried_over.total"]


def test_blank_is_not_zero_in_carry_over():
    e21, e22 = entry("007"), entry("008")
    r = copy.deepcopy(e22.report)
    r.table3["carried_over"][1] = Cell.blank()        # blank against last year's 0: nothing to say
    assert carry_over(e21, Placed(PT, 2022, r)) == []
    r.table3["carried_over"][0] = Cell.blank()        # blank against last year's 1: a break
    [f] = carry_over(e21, Placed(PT, 2022, r))
    assert f.numbers["carried_over"] is None and f.numbers["last_carried_forward"] == 1 and "空白" in f.message


def test_stock_flow_gap_is_info_only_and_not_between_formats():
    e21, e22 = entry("007"), entry("008")
    r = copy.deepcopy(e22.report)
    r.table2["normative_documents"][2] = n(700)
    [f] = stock_flow(e21, Placed(PT, 2022, r))
    assert f.code == STOCK and f.severity is Severity.INFO
    assert f.numbers["expected"] == 698 and f.numbers["in_force"] == 700 and f.numbers["difference"] == 2
    e19 = entry("005")
    assert stock_flow(e19, Placed(PT, 2020, e21.report)) == []   # 2019 format has no 现行有效


def test_jumps_have_ratios_and_ignore_small_counts():
    e21, e22 = entry("007"), entry("008")
    found = {f.cells[0]: f for f in jumps(e21, e22)}
    assert found["t2.licensing.decisions"].numbers["ratio"] == pytest.approx(4.66)
    assert found["t4.litigation_direct.total"].numbers == {"last": 12, "this": 1, "ratio": 0.08,
                                                            "other": {"agency": PT, "year": 2021,
                                                                      "cell": "t4.litigation_direct.total"}}
    assert "t3.new_received.total" not in found                 # 70 → 74
    assert all(f.severity is Severity.INFO for f in found.values())
    small = copy.deepcopy(e22.report)
    small.table4["review"][4] = n(9)                             # 3 → 9: ×3 but below 10
    assert "t4.review.total" not in {f.cells[0] for f in jumps(e21, Placed(PT, 2022, small))}


def test_parent_children_2024_consistent_and_exceeding():
    parent = entry("010")
    kids = [entry(i, PT) for i in ("014", "020", "022", "030")]
    assert claims_coverage(parent.report, "平潭综合实验区")          # title names the zone, not the organ
    [info] = parent_children(parent, kids)
    assert info.code == PARENT and info.severity is Severity.INFO
    assert info.numbers["sums"]["t3.new_received.total"] == {"parent": 218, "children": 15}
    big = copy.deepcopy(kids[0].report)
    big.table3["new_received"][6] = n(300)
    warn = parent_children(parent, [Placed(kids[0].agency, 2024, big, PT)] + kids[1:])
    assert [f.severity for f in warn] == [Severity.WARNING]
    assert warn[0].numbers["children_sum"] == 307 and warn[0].numbers["parent"] == 218


def test_department_report_does_not_claim_coverage():
    police = entry("014")
    assert not claims_coverage(police.report, None)
    assert parent_children(police, [entry("020", police.agency)]) == []


@pytest.fixture(params=backends())
def url(request, tmp_path):
    u, drop = fresh_url(request.param, tmp_path)
    yield u
    drop()


def test_cross_checks_on_the_stored_corpus_use_latest_versions(url):
    from gongkai.corpus.export import load_corpus

    with ReportStore(url) as store:
        for i in ("007", "008", "014", "010"):
            r, raw = truth_report(i)
            store.ingest_report(r, sha256=sha(raw), path=i)
        assert [f for f in load_corpus(store).cross if f.finding.code == CARRY] == []
        r, raw = truth_report("008")
        r.table3["carried_over"][6] = n(5)                   # a corrected file: version 2 now disagrees
        store.ingest_report(r, sha256=sha(raw + b"v2"), path="008-v2")
        cross = [f for f in load_corpus(store).cross if f.finding.code == CARRY]
        assert [(f.agency, f.year, f.finding.cells) for f in cross] == [(PT, 2022, ["t3.carried_over.total"])]
        parents = [f for f in load_corpus(store, year=2024).cross if f.finding.code == PARENT]
        assert [f.finding.numbers["children"] for f in parents] == [["平潭综合实验区公安局"]]
