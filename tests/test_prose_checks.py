"""prose_findings on small made-up reports: agreement is silent, contradictions are found."""
from __future__ import annotations

from gongkai.findings import Severity
from gongkai.formats import load_format
from gongkai.model import Cell, Kind, Report
from gongkai.prose import prose_findings


def make_report(sections: dict[str, str], *, agency: str = "某区水务局", fmt: str = "2021",
                t3: dict[str, int | None] | None = None, t4: dict[str, list[int | None]] | None = None,
                t2_normative: list[int] | None = None) -> Report:
    """Table 三 with every row 0 except the totals given in ``t3`` (put in 自然人 and 总计)."""
    spec = load_format(fmt)
    variant = "split"
    r = Report(format=fmt, table3_variant=variant, agency=agency, year=2024, sections=sections)
    for row in spec.table3.rows_for(variant):
        v = (t3 or {}).get(row.key, 0)
        cells = [Cell(Kind.NUMBER, v)] + [Cell(Kind.NUMBER, 0)] * 5 + [Cell(Kind.NUMBER, v)]
        if v is None:
            cells = [Cell.blank()] * 7
        r.table3[row.key] = cells
    for g in ("review", "litigation_direct", "litigation_after_review"):
        vals = (t4 or {}).get(g, [0, 0, 0, 0, 0])
        r.table4[g] = [Cell(Kind.NUMBER, v) if v is not None else Cell.blank() for v in vals]
    if t2_normative is not None:
        r.table2["normative_documents"] = [Cell(Kind.NUMBER, v) for v in t2_normative]
    return r


BASE = {"new_received": 10, "carried_over": 2, "granted": 5, "partial": 1, "denied.process_info": 1,
        "denied.third_party": 1, "unable.not_held": 2, "other.other": 1, "total": 11, "carried_forward": 1}


def codes(findings) -> list[tuple[str, Severity]]:
    return [(f.code, f.severity) for f in findings]


def test_agreeing_prose_gives_no_finding() -> None:
    text = ("本年度我局收到政府信息公开申请10件，上年结转2件，办结11件，结转下年度1件。其中予以公开5件，"
            "部分公开1件，不予公开2件，无法提供2件，其他处理1件，申请人主动撤销1件。发生行政复议1件、行政诉讼2件。"
            "本年制发规范性文件3件，现行有效规范性文件20件。")
    r = make_report({"overview": text}, t3=BASE, t4={"review": [1, 0, 0, 0, 1], "litigation_direct": [1, 0, 0, 0, 1],
                                                     "litigation_after_review": [0, 0, 1, 0, 1]},
                    t2_normative=[3, 0, 20])
    assert prose_findings(r) == []


def test_answered_mismatch_in_own_scope_is_a_warning() -> None:
    text = "前言。我局共收到申请10件，共答复9件。"
    r = make_report({"requests": text}, t3=BASE)
    [f] = prose_findings(r)
    assert (f.code, f.severity) == ("prose.answered-mismatch", Severity.WARNING)
    assert f.cells == ["t3.total.total"]
    assert f.numbers["stated"] == 9 and f.numbers["table"] == 11
    assert f.positions == [{"section": "requests", "start": 3, "end": len(text), "text": "我局共收到申请10件，共答复9件。"}]
    assert "9" in f.message and "11" in f.message and f.gloss


def test_same_mismatch_about_the_whole_district_is_a_note() -> None:
    r = make_report({"overview": "全区共收到申请120件，共答复118件。"}, t3=BASE)
    assert codes(prose_findings(r)) == [("prose.received-mismatch", Severity.INFO),
                                        ("prose.answered-mismatch", Severity.INFO)]


def test_whole_district_in_the_district_government_report_is_its_own() -> None:
    r = make_report({"overview": "全区共收到申请120件。"}, agency="某市某区人民政府", t3=BASE)
    assert codes(prose_findings(r)) == [("prose.received-mismatch", Severity.WARNING)]


def test_one_office_in_a_government_report_is_a_note() -> None:
    r = make_report({"overview": "全区共收到申请10件，其中区财政局收到申请4件。"}, agency="某区人民政府", t3=BASE)
    assert codes(prose_findings(r)) == [("prose.received-mismatch", Severity.INFO)]


def test_received_including_carried_over_is_a_note_not_a_mismatch() -> None:
    r = make_report({"overview": "我局受理政府信息公开申请12件。"}, t3=BASE)
    [f] = prose_findings(r)
    assert (f.code, f.severity) == ("prose.received-includes-carried-over", Severity.INFO)
    assert set(f.cells) == {"t3.new_received.total", "t3.carried_over.total"}


def test_carried_over_and_forward_mismatches() -> None:
    r = make_report({"overview": "上年结转申请3件，另有2件结转下年度继续办理。"}, t3=BASE)
    assert [f.code for f in prose_findings(r)] == ["prose.carried-over-mismatch", "prose.carried-forward-mismatch"]


def test_outcome_groups_are_summed_over_their_sub_rows() -> None:
    r = make_report({"overview": "不予公开1件，无法提供2件，予以公开及部分公开6件。"}, t3=BASE)
    [f] = prose_findings(r)
    assert f.code == "prose.outcome-mismatch" and f.numbers == {"stated": 1, "table": 2, "scope": "implicit"}
    assert set(f.cells) == {f"t3.denied.{k}.total" for k in ("state_secret", "law_forbidden", "security_stability",
                                                              "third_party", "internal_affairs", "process_info",
                                                              "enforcement_file", "admin_query")}


def test_withdrawn_may_be_less_than_other_processing_but_not_more() -> None:
    ok = make_report({"overview": "申请人主动撤销1件。"}, t3={**BASE, "other.other": 3})
    assert prose_findings(ok) == []
    bad = make_report({"overview": "申请人主动撤销2件。"}, t3=BASE)
    assert codes(prose_findings(bad)) == [("prose.outcome-mismatch", Severity.WARNING)]


def test_review_and_litigation() -> None:
    t4 = {"review": [1, 1, 0, 0, 2], "litigation_direct": [1, 0, 0, 0, 1], "litigation_after_review": [0, 0, 0, 1, 1]}
    good = make_report({"overview": "引发行政复议2件、行政诉讼2件，行政复议和行政诉讼共4件。"}, t3=BASE, t4=t4)
    assert prose_findings(good) == []
    bad = make_report({"overview": "引发行政复议3起、行政诉讼1起。本年度未发生行政复议。"}, t3=BASE, t4=t4)
    assert [f.code for f in prose_findings(bad)] == ["prose.review-mismatch", "prose.litigation-mismatch",
                                                     "prose.review-mismatch"]


def test_blank_table_cells_are_not_compared() -> None:
    r = make_report({"overview": "发生行政复议3起。"}, t3=BASE, t4={"review": [None] * 5})
    assert prose_findings(r) == []


def test_percentages_are_checked_against_the_count_they_cite() -> None:
    # 5 of 11 is 45.45…%: 45.5% rounds, 45.4% cuts, 45% rounds; 54.5% is wrong.
    for share in ("45.5%", "45.4%", "45%", "45.45%"):
        assert prose_findings(make_report({"overview": f"予以公开5件，占{share}。"}, t3=BASE)) == [], share
    [f] = prose_findings(make_report({"overview": "予以公开5件，占54.5%。"}, t3=BASE))
    assert (f.code, f.severity) == ("prose.percent-mismatch", Severity.WARNING)
    assert f.numbers["stated_percent"] == 54.5 and f.numbers["count"] == 5


def test_percentage_of_a_stated_base() -> None:
    # The prose's own 20 (say, of all requests incl. a sub-unit's) is a base the share may cite.
    r = make_report({"overview": "我局收到申请20件，同比增长100%。予以公开5件，占25%。"}, t3=BASE)
    assert [f.code for f in prose_findings(r)] == ["prose.received-mismatch"]


def test_ambiguous_handled_is_a_note_and_agrees_with_either_reading() -> None:
    for n in (10, 11, 12):
        assert prose_findings(make_report({"overview": f"全年办理政府信息公开申请{n}件。"}, t3=BASE)) == []
    assert codes(prose_findings(make_report({"overview": "全年办理政府信息公开申请30件。"}, t3=BASE))) == [
        ("prose.received-mismatch", Severity.INFO)]


def test_2019_format_has_no_documents_in_force_column() -> None:
    r = make_report({"overview": "现行有效规范性文件9件，本年制发规范性文件4件。"}, fmt="2019", t3=BASE,
                    t2_normative=[3, 3, 9])
    assert [f.numbers for f in prose_findings(r)] == [{"stated": 4, "table": 3, "scope": "implicit"}]


def test_prose_findings_is_pure() -> None:
    r = make_report({"overview": "我局共答复9件。"}, t3=BASE)
    before = r.to_json()
    assert prose_findings(r) == prose_findings(r)
    assert r.to_json() == before and r.findings == []
