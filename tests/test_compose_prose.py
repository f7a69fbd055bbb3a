"""Composed prose: generated from the figures, read back by gongkai.prose, shares and wording exact."""
from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest
from conftest import SHARED, shared_path
from truth_helpers import report_from_truth

from gongkai.compose.prose import FeeFigures, generate_sections, verify_composed
from gongkai.formats import load_format
from gongkai.model import Cell, Kind, Report
from gongkai.prose import extract_statements
from gongkai.prose.numbers import find_quantities
from gongkai.workplan.draft import draft_section6
from gongkai.workplan.model import Task, TaskStatus, WorkPlan

TRUTH_FILES = sorted((SHARED / "corpus" / "truth").glob("*.json")) if SHARED.exists() else []
OUTCOME_GROUPS = ("granted", "partial", "denied", "unable", "not_processed", "other")


# ---- invented reports --------------------------------------------------------------------------
def _cell(v) -> Cell:
    if isinstance(v, Cell):
        return v
    if v is None:
        return Cell.blank()
    if v == "/":
        return Cell(Kind.SLASH, text="/")
    if isinstance(v, str):
        return Cell(Kind.TEXT, text=v)
    return Cell(Kind.NUMBER, v, str(v))


def make_report(fmt: str = "2021", *, t3: dict | None = None, t4: dict | None = None, t2: dict | None = None,
                variant: str | None = None) -> Report:
    """A report whose 表三 rows hold ``t3[row]`` in 自然人 and 总计 (0 elsewhere), all other cells 0.

    ``t4[group]`` is the 5-cell list; ``t2[row][col]`` a value. A value of None is a blank, "/" a slash.
    """
    spec = load_format(fmt)
    variant = variant or spec.table3_variant
    r = Report(format=fmt, table3_variant=variant, agency="某市某局", year=2024)
    for row in spec.table2:
        given = (t2 or {}).get(row.key, {})
        r.table2[row.key] = [_cell(given.get(c.key, 0)) for c in row.columns]
    for row in spec.table3.rows_for(variant):
        v = (t3 or {}).get(row.key, 0)
        others = 0 if isinstance(v, (int, Decimal)) else v  # a blank or "/" row is blank or "/" throughout
        r.table3[row.key] = [_cell(v)] + [_cell(others) for _ in range(5)] + [_cell(v)]
    for g in spec.table4.groups:
        r.table4[g.key] = [_cell(v) for v in (t4 or {}).get(g.key, [0, 0, 0, 0, 0])]
    return r


def half_up(count, base) -> Decimal:
    return (Decimal(count) * 100 / Decimal(base)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def number(report: Report, key: str):
    try:
        c = report.cell(key)
    except ValueError:
        return None  # a column this format does not have
    return c.value if c.kind is Kind.NUMBER else None


def group_sum(report: Report, group: str):
    values = [number(report, f"t3.{k}.total") for k in report.table3 if k == group or k.startswith(group + ".")]
    values = [v for v in values if v is not None]
    return sum(values) if values else None


BASIC = {"new_received": 21, "carried_over": 2, "granted": 10, "partial": 3, "denied.third_party": 1,
         "unable.not_held": 3, "unable.need_creation": 2, "not_processed.duplicate": 2,
         "other.no_correction": 1, "other.other": 1, "total": 23, "carried_forward": 0}


# ---- every truth file ----------------------------------------------------------------------------
def _truth(path) -> Report:
    return report_from_truth(json.loads(path.read_text(encoding="utf-8")))


@pytest.mark.parametrize("path", TRUTH_FILES or [None], ids=[p.stem for p in TRUTH_FILES] or ["no-shared"])
def test_truth_generated_text_agrees_with_tables(path):
    if path is None:
        shared_path("corpus", "truth")
    report = _truth(path)
    report.sections = {}  # the truth's narrative quotes are not ours: judge the generated text alone
    composed = generate_sections(report)
    assert verify_composed(report, composed) == []

    # Independently of the generator: every request/outcome/case count the reader finds is the table's.
    expected = {"received": number(report, "t3.new_received.total"),
                "carried_over": number(report, "t3.carried_over.total"),
                "answered": number(report, "t3.total.total"),
                "carried_forward": number(report, "t3.carried_forward.total"),
                "review": number(report, "t4.review.total")}
    expected.update({g: group_sum(report, g) for g in OUTCOME_GROUPS})
    d, a = number(report, "t4.litigation_direct.total"), number(report, "t4.litigation_after_review.total")
    expected["litigation"] = None if d is None or a is None else d + a
    expected["normative_made"] = number(report, "t2.normative_documents.made")
    expected["normative_in_force"] = number(report, "t2.normative_documents.in_force")
    statements = extract_statements(composed.sections, report.agency)
    assert statements, "the reader found nothing in the generated text"
    base = number(report, "t3.total.total")
    for st in statements:
        assert st.kind in expected, st.sentence.text
        assert expected[st.kind] is not None and st.value == expected[st.kind], st.sentence.text
        if st.percent is not None:
            assert st.percent.decimals == 1 and st.percent.value == half_up(st.value, base), st.sentence.text
    stated = {st.kind for st in statements}
    for kind, v in expected.items():
        if v is not None and v > 0 and kind not in ("carried_over", "normative_made", "normative_in_force"):
            assert kind in stated, f"{kind}={v} not stated"

    if report.format == "2021":
        # 表二 in words: the non-zero quantities are exactly the table's non-zero number cells.
        quantities = Counter(q.value for q in find_quantities(composed.sections["proactive"]) if q.value != 0)
        cells = Counter(c.value for _, c in report.cells() if _.startswith("t2.") and c.is_number and c.value != 0)
        assert quantities == cells


def test_truth_year_pairs_state_the_change():
    """Same agency, consecutive years in the corpus: the change against last year is stated and exact."""
    truth = [_truth(p) for p in (TRUTH_FILES or [None]) if p is not None] or shared_path("corpus", "truth")
    by_key = {(r.agency, r.year): r for r in truth}
    pairs = [(r, by_key[(r.agency, r.year - 1)]) for r in truth if (r.agency, r.year - 1) in by_key]
    assert pairs, "the corpus holds consecutive years of one agency (平潭 2021/2022)"
    for cur, prev in pairs:
        cur.sections = {}
        composed = generate_sections(cur, last_year=prev)
        assert verify_composed(cur, composed) == []
        now, before = number(cur, "t3.new_received.total"), number(prev, "t3.new_received.total")
        word = "增长" if now > before else "减少"
        assert f"较上年{word}{half_up(abs(now - before), before)}%" in composed.sections["overview"]


# ---- exact sentences on invented reports -------------------------------------------------------------
def test_requests_paragraph_exact():
    r = make_report(t3=BASIC)
    text = generate_sections(r).sections["overview"]
    assert text == ("本年度新收政府信息公开申请21件，上年结转2件。共办结23件，其中，予以公开10件，占43.5%；"
                    "部分公开3件，占13.0%；不予公开1件，占4.3%；无法提供5件，占21.7%；不予处理2件，占8.7%；"
                    "其他处理2件，占8.7%。无结转下年度继续办理的申请。")


def test_shares_round_half_up_at_x5():
    # 217/400 = 54.25 % → 54.3 (half even would give 54.2); 1/16 = 6.25 % → 6.3; 1/8 = 12.5 % exactly.
    r = make_report(t3={"new_received": 400, "granted": 217, "partial": 25, "denied.state_secret": 50,
                        "unable.not_held": 108, "total": 400})
    text = generate_sections(r).sections["overview"]
    assert "予以公开217件，占54.3%" in text
    assert "部分公开25件，占6.3%" in text
    assert "不予公开50件，占12.5%" in text
    assert "无法提供108件，占27.0%" in text
    assert verify_composed(r, generate_sections(r)) == []


def test_zero_group_has_no_share_and_nonzero_tiny_share_prints():
    r = make_report(t3={"new_received": 3000, "granted": 2999, "other.other": 1, "total": 3000})
    text = generate_sections(r).sections["overview"]
    assert "不予公开0件；" in text and "不予公开0件，占" not in text
    assert "其他处理1件，占0.0%" in text  # 0.033 % rounds to 0.0, still the printed numbers' share
    assert verify_composed(r, generate_sections(r)) == []


def test_all_zero_requests_and_cases_in_words():
    r = make_report(t3={})
    composed = generate_sections(r)
    assert composed.sections["overview"] == "本年度未收到政府信息公开申请，无上年结转申请。"
    assert "占" not in composed.sections["overview"]
    assert composed.sections["review_litigation"] == "本年度未发生因政府信息公开工作引起的行政复议和行政诉讼。"
    assert verify_composed(r, composed) == []
    kinds = {(s.kind, s.value) for s in extract_statements(composed.sections, r.agency)}
    assert {("received", 0), ("review", 0), ("litigation", 0)} <= kinds


def test_only_carried_over_requests():
    r = make_report(t3={"carried_over": 2, "granted": 2, "total": 2})
    text = generate_sections(r).sections["overview"]
    assert text.startswith("本年度未收到新的政府信息公开申请，上年结转2件。共办结2件")
    assert verify_composed(r, generate_sections(r)) == []


def test_blank_and_slash_cells_are_never_written_as_zero():
    t3 = dict(BASIC, partial=None)  # 部分公开 printed blank
    t3["total"] = 20
    t3["granted"] = 10
    r = make_report(t3=t3, t2={"regulations": {"made": "/", "repealed": "/", "in_force": "/"},
                               "normative_documents": {"made": None, "repealed": 1, "in_force": 9}})
    composed = generate_sections(r)
    overview, proactive = composed.sections["overview"], composed.sections["proactive"]
    assert "部分公开" not in overview
    assert "规章" not in proactive
    assert "制发行政规范性文件" not in proactive and "废止行政规范性文件1件" in proactive
    codes = Counter(p.code for p in composed.prompts)
    assert codes["compose.outcome-not-number"] == 1 and codes["compose.t2-not-number"] == 4
    assert verify_composed(r, composed) == []


def test_blank_received_total_gives_prompt_not_sentence():
    r = make_report(t3=dict(BASIC, new_received=None))
    composed = generate_sections(r)
    assert "新收" not in composed.sections["overview"]
    assert any(p.code == "compose.request-figure-not-number" for p in composed.prompts)


def test_table2_2021_sentences():
    r = make_report(t2={"normative_documents": {"made": 4, "repealed": 0, "in_force": 30},
                        "licensing": {"decisions": 12}, "fees": {"amount_10k_yuan": Decimal("3.5")}})
    text = generate_sections(r).sections["proactive"]
    assert text == ("本年度未制发、废止规章，无现行有效规章。本年度制发行政规范性文件4件，废止行政规范性文件0件，"
                    "现行有效行政规范性文件30件。本年度作出行政许可处理决定12件、行政处罚处理决定0件、行政强制处理决定0件。"
                    "本年度行政事业性收费金额3.5万元。")
    st = {(s.kind, s.value) for s in extract_statements({"proactive": text}, r.agency)}
    assert st == {("normative_made", 4), ("normative_in_force", 30)}


def test_table2_2021_all_zero_decisions_and_fees():
    text = generate_sections(make_report()).sections["proactive"]
    assert "本年度未作出行政许可、行政处罚、行政强制处理决定。" in text
    assert "本年度未收取行政事业性收费。" in text


def test_table2_2019_rows_and_signed_change():
    r = make_report("2019", t2={
        "normative_documents": {"made": 4, "published": 4, "total": 19},
        "licensing": {"prior_items": 6, "change": -2, "decisions": 7144},
        "other_management": {"prior_items": 119, "change": 1, "decisions": 8918},
        "procurement": {"items": 4, "amount": Cell(Kind.NUMBER, Decimal("251000"), "251000元", unit="元")}})
    composed = generate_sections(r)
    text = composed.sections["proactive"]
    assert "规范性文件新制作4件，新公开4件，对外公开总数19件" in text
    assert "行政许可上一年项目6项，本年减少2项，处理决定7144件" in text
    assert "其他对外管理服务事项上一年项目119项，本年增加1项，处理决定8918件" in text
    assert "行政事业性收费上一年项目0项，本年无增减" in text
    assert "政府集中采购项目4项，总金额251000元" in text
    assert not any(p.code == "compose.t2-unit-missing" for p in composed.prompts)
    assert verify_composed(r, composed) == []


def test_table2_2019_amount_without_unit_is_prompted():
    r = make_report("2019", t2={"procurement": {"items": 4, "amount": Decimal("5354451.6")}})
    composed = generate_sections(r)
    assert "总金额5354451.6。" in composed.sections["proactive"]
    assert any(p.code == "compose.t2-unit-missing" for p in composed.prompts)


def test_2019_single_other_row():
    t3 = {k: v for k, v in BASIC.items() if not k.startswith("other.")}
    t3["other"] = 2
    r = make_report("2019", t3=t3)
    composed = generate_sections(r)
    assert "其他处理2件，占8.7%" in composed.sections["overview"]
    assert verify_composed(r, composed) == []
    assert not any(p.code == "compose.six-fee-missing" for p in composed.prompts)  # predates 109号


@pytest.mark.parametrize("t4, expected", [
    ({"review": [1, 0, 0, 2, 3]},
     "本年度因政府信息公开工作被申请行政复议3件，其中结果维持1件、尚未审结2件；未发生因政府信息公开工作引起的行政诉讼。"),
    ({"litigation_direct": [1, 1, 0, 1, 3], "litigation_after_review": [5, 0, 2, 3, 10]},
     "本年度未发生因政府信息公开工作引起的行政复议；因政府信息公开工作被提起行政诉讼13件，3件为未经复议直接起诉，"
     "10件为复议后起诉，其中结果维持6件、结果纠正1件、其他结果2件、尚未审结4件。"),
    ({"review": [None] * 5, "litigation_direct": [3, 0, 0, 4, 7]},
     "本年度因政府信息公开工作被提起行政诉讼7件，均为未经复议直接起诉，其中结果维持3件、尚未审结4件。"),
])
def test_review_litigation_sentences(t4, expected):
    r = make_report(t4=t4)
    composed = generate_sections(r)
    assert composed.sections["review_litigation"] == expected
    assert verify_composed(r, composed) == []
    blank_review = r.cell("t4.review.total").kind is Kind.BLANK
    assert any(p.code == "compose.t4-not-number" for p in composed.prompts) is blank_review


# ---- change against last year ------------------------------------------------------------------------
@pytest.mark.parametrize("before, now, phrase", [
    (18, 21, "较上年增长16.7%"),
    (21, 18, "较上年减少14.3%"),
    (400, 417, "较上年增长4.3%"),     # 4.25 → 4.3: half up
    (21, 21, "与上年持平"),
    (0, 21, "上年为0件"),
    (20001, 20002, "与上年基本持平"),  # 0.005 % would print as 0.0 %
])
def test_change_against_last_year(before, now, phrase):
    last = make_report(t3={"new_received": before, "granted": before, "total": before})
    r = make_report(t3={"new_received": now, "granted": now, "total": now})
    composed = generate_sections(r, last_year=last)
    first = composed.sections["overview"].split("。")[0]
    assert first == f"本年度新收政府信息公开申请{now}件，{phrase}，无上年结转申请"
    assert verify_composed(r, composed) == []


@pytest.mark.parametrize("last_value", [None, "/", "无"])
def test_no_change_when_last_year_is_not_a_number(last_value):
    last = make_report(t3={"new_received": last_value})
    text = generate_sections(make_report(t3=BASIC), last_year=last).sections["overview"]
    assert "上年增长" not in text and "上年减少" not in text and "持平" not in text and "上年为" not in text


def test_2019_last_year_against_2021_report():
    last = make_report("2019", t3={"new_received": 20, "granted": 20, "total": 20})
    text = generate_sections(make_report(t3=BASIC), last_year=last).sections["overview"]
    assert "较上年增长5.0%" in text


# ---- section 六 and office text ---------------------------------------------------------------------
def test_six_prompts_when_statements_missing():
    composed = generate_sections(make_report(t3=BASIC), office_text={"other_matters": "本年度无其他需要报告的事项。"})
    codes = {p.code for p in composed.prompts if p.section == "other_matters"}
    assert codes == {"compose.six-fee-missing", "compose.six-workplan-missing"}


def test_six_no_prompts_when_office_states_both():
    text = "（一）贯彻落实《2024年政务公开工作要点》情况。各项任务均已完成。\n（二）本年度未收取信息处理费。"
    composed = generate_sections(make_report(t3=BASIC), office_text={"other_matters": text})
    assert not [p for p in composed.prompts if p.section == "other_matters"]
    assert composed.sections["other_matters"] == text


@pytest.mark.parametrize("fees, sentence", [
    (FeeFigures(0, 0), "本年度依据《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）未收取信息处理费。"),
    (FeeFigures(3, Decimal("300"), notices=4),
     "本年度依据《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）发出收费通知4件，收取信息处理费3件，共计300元。"),
])
def test_fee_sentence_generated(fees, sentence):
    r = make_report(t3=BASIC)
    composed = generate_sections(r, fees=fees)
    assert composed.sections["other_matters"].endswith(sentence)
    assert not any(p.code == "compose.six-fee-missing" for p in composed.prompts)
    assert verify_composed(r, composed) == []  # 收取信息处理费3件 is not read as a request count


def test_fee_figures_reject_inconsistent_values():
    with pytest.raises(ValueError):
        FeeFigures(2, 0)
    with pytest.raises(ValueError):
        FeeFigures(-1, 0)


def test_workplan_draft_is_used_without_its_heading():
    task = Task("二（一）", ["二", "（一）"], ["夯实政务公开工作基础"], "严格执行审查机制", "", ["办公室"], ["办公室"],
                status=TaskStatus.DONE)
    plan = WorkPlan("2024年政务公开工作要点", 2024, "某办〔2024〕1号", "notice.txt", [task])
    draft = draft_section6(plan, date(2024, 12, 31))
    composed = generate_sections(make_report(t3=BASIC), workplan_draft=draft, fees=FeeFigures(0, 0))
    six = composed.sections["other_matters"]
    assert not six.startswith("六、") and "\n\n" not in six
    assert "2024年政务公开工作要点" in six and six.endswith("未收取信息处理费。")
    assert not [p for p in composed.prompts if p.section == "other_matters"]


def test_office_text_kept_and_checked():
    r = make_report(t3=BASIC)
    office = {"overview": "本机关深入贯彻《条例》。\n\n加强平台建设。", "problems": "一是解读形式单一。"}
    composed = generate_sections(r, office_text=office)
    assert composed.sections["overview"].split("\n")[:2] == ["本机关深入贯彻《条例》。", "加强平台建设。"]
    assert composed.sections["problems"] == "一是解读形式单一。"
    assert not any(p.code == "compose.office-text-missing" for p in composed.prompts)
    assert list(composed.sections) == ["overview", "proactive", "requests", "review_litigation", "problems",
                                       "other_matters"]


def test_missing_office_sections_prompted_and_unknown_key_refused():
    composed = generate_sections(make_report(t3=BASIC))
    assert {p.section for p in composed.prompts if p.code == "compose.office-text-missing"} == {"overview", "problems"}
    with pytest.raises(ValueError):
        generate_sections(make_report(t3=BASIC), office_text={"summary": "x"})


# ---- verification can fail ---------------------------------------------------------------------------
def test_verify_reports_office_text_contradicting_the_table():
    r = make_report(t3=BASIC)
    composed = generate_sections(r, office_text={"overview": "本年度共收到政府信息公开申请99件。"})
    codes = [d.code for d in verify_composed(r, composed)]
    assert "prose.received-mismatch" in codes


def test_verify_reports_a_claim_the_reader_does_not_find():
    r = make_report(t3=BASIC)
    composed = generate_sections(r)
    composed.sections["overview"] = re.sub(r"予以公开10件，占43.5%；", "", composed.sections["overview"])
    found = verify_composed(r, composed)
    assert [d.code for d in found] == ["compose.claim-not-read"] and found[0].section == "overview"


def test_verify_reports_a_wrong_share():
    r = make_report(t3=BASIC)
    composed = generate_sections(r)
    composed.sections["overview"] = composed.sections["overview"].replace("占43.5%", "占45.5%")
    assert "prose.percent-mismatch" in [d.code for d in verify_composed(r, composed)]
