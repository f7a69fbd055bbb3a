"""Diff against last year's report: kind-aware changed cells, format changes, text reuse per section."""
from __future__ import annotations

import copy
import json
from decimal import Decimal

from test_compose_prose import make_report

from gongkai.compose.diff import diff_reports, normalise, section_reuse
from gongkai.model import Cell, Kind, Report


def test_identical_reports_have_no_changes_and_full_reuse():
    a = make_report(t3={"new_received": 5, "granted": 5, "total": 5})
    a.sections = {"overview": "本机关认真贯彻《条例》。本年度收到申请5件。", "problems": "一是解读形式单一。"}
    d = diff_reports(a, copy.deepcopy(a))
    assert d.changed == [] and d.only_current == [] and d.only_previous == [] and not d.formats_differ
    assert d.unchanged == len(list(a.cells()))
    assert d.reuse["overview"].reuse_percent == Decimal("100.0")
    assert d.reuse["problems"].reuse_percent == Decimal("100.0")
    assert d.reuse["proactive"].reuse_percent is None  # no text this year: nothing to measure
    assert d.overall_reuse_percent == Decimal("100.0")


def test_changed_cells_with_delta_and_kind_changes():
    prev = make_report(t3={"new_received": 5, "granted": 5, "total": 5})
    cur = copy.deepcopy(prev)
    cur.table3["new_received"][0] = Cell(Kind.NUMBER, 8, "8")     # 5 → 8
    prev.table3["partial"][1] = Cell.blank()                       # blank → 0
    cur.table2["regulations"][0] = Cell(Kind.SLASH, text="/")      # 0 → "/"
    cur.table2["fees"][0] = Cell(Kind.NUMBER, Decimal("3.5"), "3.5")  # 0 → 3.5
    changes = {c.key: c for c in diff_reports(cur, prev).changed}
    assert set(changes) == {"t3.new_received.natural", "t3.partial.business", "t2.regulations.made",
                            "t2.fees.amount_10k_yuan"}
    assert changes["t3.new_received.natural"].delta == 3
    assert changes["t3.partial.business"].delta is None
    assert changes["t3.partial.business"].previous.kind is Kind.BLANK
    assert changes["t3.partial.business"].current.value == 0
    assert changes["t2.regulations.made"].delta is None
    assert changes["t2.fees.amount_10k_yuan"].delta == Decimal("3.5")


def test_same_number_same_kind_is_not_a_change_but_text_is_compared_as_printed():
    prev = make_report()
    cur = copy.deepcopy(prev)
    prev.table2["licensing"][0] = Cell(Kind.TEXT, text="无")
    cur.table2["licensing"][0] = Cell(Kind.TEXT, text=" 无 ")
    prev.table2["penalty"][0] = Cell(Kind.TEXT, text="无")
    cur.table2["penalty"][0] = Cell(Kind.TEXT, text="空")
    keys = [c.key for c in diff_reports(cur, prev).changed]
    assert keys == ["t2.penalty.decisions"]


def test_format_change_compares_shared_keys_only():
    prev = make_report("2019", t3={"new_received": 4, "other": 4, "total": 4})
    cur = make_report("2021", t3={"new_received": 6, "other.other": 6, "total": 6})
    d = diff_reports(cur, prev)
    assert d.formats_differ
    assert "t2.normative_documents.published" in d.only_previous and "t3.other.total" in d.only_previous
    assert "t2.normative_documents.in_force" in d.only_current and "t3.other.no_fee.total" in d.only_current
    changed = {c.key for c in d.changed}
    assert {"t3.new_received.natural", "t3.new_received.total", "t3.total.total"} <= changed
    assert not changed & (set(d.only_current) | set(d.only_previous))
    assert d.unchanged + len(d.changed) + len(d.only_current) == len(list(cur.cells()))


def test_boilerplate_with_new_numbers_counts_as_reused():
    prev, cur = make_report(), make_report()
    prev.sections = {"overview": "2023年，本机关共收到政府信息公开申请21件，办结21件。"}
    cur.sections = {"overview": "2024年，本机关共收到政府信息公开申请35件，办结 34 件。"}
    assert diff_reports(cur, prev).reuse["overview"].reuse_percent == Decimal("100.0")


def test_new_text_is_not_reuse():
    prev, cur = make_report(), make_report()
    prev.sections = {"problems": "一是政策解读形式单一。二是公众参与不足。"}
    cur.sections = {"problems": "主动公开栏目更新不够及时，将建立月度检查制度。"}
    r = diff_reports(cur, prev).reuse["problems"]
    assert r.reuse_percent == Decimal("0.0") and r.reused_sentences == 0
    assert r.ngram_containment == Decimal("0.0")


def test_partial_reuse_is_the_share_of_characters():
    prev = "一是政策解读形式单一。二是公众参与不足。"
    cur = "一是政策解读形式单一。三是栏目更新慢。"
    r = section_reuse("problems", cur, prev)
    # normalised: 一是政策解读形式单一 (10 chars, reused) + 三是栏目更新慢 (7 chars, new)
    assert (r.reused_chars, r.total_chars, r.reused_sentences, r.sentence_count) == (10, 17, 1, 2)
    assert r.reuse_percent == Decimal("58.8")  # 1000/17 = 58.82


def test_one_new_word_breaks_sentence_reuse_but_not_ngram_containment():
    prev = "进一步加强政府信息公开平台建设，提升公开实效。"
    cur = "进一步加强政府信息公开平台和新媒体建设，提升公开实效。"
    r = section_reuse("overview", cur, prev)
    assert r.reuse_percent == Decimal("0.0")
    # 25 normalised characters, 18 distinct 8-grams; found in last year's text: the 6 inside
    # 进一步加强政府信息公开平台 and the 1 that is 建设提升公开实效 → 7/18 = 38.9 %.
    assert r.ngram_containment == Decimal("38.9")


def test_normalise_ignores_punctuation_width_and_spaces_and_masks_digits():
    assert normalise("收到申请 ２１ 件，占54.3%。") == normalise("收到申请35件,占0.5%") == "收到申请#件占#"


def test_to_dict_is_json():
    prev = make_report(t3={"new_received": 5, "granted": 5, "total": 5})
    cur = make_report(t3={"new_received": 7, "granted": 7, "total": 7})
    cur.table2["fees"][0] = Cell(Kind.NUMBER, Decimal("0.25"), "0.25")
    cur.sections = {"overview": "本年度收到申请7件。"}
    prev.sections = {"overview": "本年度收到申请5件。"}
    d = json.loads(json.dumps(diff_reports(cur, prev).to_dict(), ensure_ascii=False))
    assert d["current"]["year"] == 2024 and d["formats_differ"] is False
    fees = next(c for c in d["changed"] if c["key"] == "t2.fees.amount_10k_yuan")
    assert fees["delta"] == "0.25" and fees["previous"] == {"kind": "number", "value": 0, "text": "0"}
    assert d["reuse"]["overview"]["reuse_percent"] == 100.0


def test_works_on_reports_read_back_from_json():
    prev = make_report(t3={"new_received": 5, "granted": 5, "total": 5})
    cur = Report.from_json(prev.to_json())
    cur.table4["review"][4] = Cell.blank()
    d = diff_reports(cur, prev)
    assert [(c.key, c.previous.kind, c.current.kind) for c in d.changed] == [
        ("t4.review.total", Kind.NUMBER, Kind.BLANK)]


def test_corpus_pair_of_composed_reports():
    """平潭 2021 → 2022 from the corpus, with generated prose: cells and reuse on real figures."""
    from conftest import shared_path
    from truth_helpers import report_from_truth

    from gongkai.compose.prose import composed_report, generate_sections

    truth = shared_path("corpus", "truth")
    prev, cur = (report_from_truth(json.loads((truth / f"{i}.json").read_text(encoding="utf-8")))
                 for i in ("007", "008"))
    prev, cur = (composed_report(r, generate_sections(r)) for r in (prev, cur))
    d = diff_reports(cur, prev)
    assert not d.formats_differ and d.only_current == [] and d.only_previous == []
    new = next(c for c in d.changed if c.key == "t3.new_received.total")
    assert (new.previous.value, new.current.value, new.delta) == (70, 74, 4)
    # Generated sentences are boilerplate by design: with the figures masked they repeat (表二 has
    # numbers in every row both years); the overview differs where the wording follows the figures
    # (上年结转1件 against 无上年结转申请).
    assert d.reuse["requests"].reuse_percent == d.reuse["proactive"].reuse_percent == Decimal("100.0")
    assert Decimal(0) < d.reuse["overview"].reuse_percent < Decimal(100)


def test_compose_diff_names_cells_and_sections_in_chinese_internal_keys_only_in_json(tmp_path):
    """compose diff printed t3.granted.natural and overview; a person reads 表三「（一）予以公开」自然人 and 一、总体情况."""
    import yaml
    from typer.testing import CliRunner

    from gongkai.cli import app
    from gongkai.formats import load_format

    t3 = {r.key: [0] * 7 for r in load_format("2021").table3.rows_for("split")}
    d = {"agency": "某县审计局", "year": 2025, "table3": t3, "sections": {"overview": "本年度公开工作稳步推进。"},
         "table4": {"review": [0] * 5, "litigation_direct": [0] * 5, "litigation_after_review": [0] * 5}}
    (tmp_path / "cur.yaml").write_text(yaml.safe_dump(d, allow_unicode=True), encoding="utf-8")
    t3p = {k: list(v) for k, v in t3.items()}
    for k in ("new_received", "granted", "total"):
        t3p[k] = [1, 0, 0, 0, 0, 0, 1]
    (tmp_path / "prev.yaml").write_text(yaml.safe_dump(d | {"year": 2024, "table3": t3p}, allow_unicode=True),
                                        encoding="utf-8")
    r = CliRunner().invoke(app, ["compose", "diff", str(tmp_path / "cur.yaml"), str(tmp_path / "prev.yaml")],
                           env={"COLUMNS": "80"})
    assert r.exit_code == 0, r.output
    flat = "".join(r.output.split())
    assert "表三「（一）予以公开」自然人" in flat and "一、总体情况" in flat
    assert "t3." not in r.output and "overview" not in r.output and "…" not in r.output
    r = CliRunner().invoke(app, ["compose", "diff", str(tmp_path / "cur.yaml"), str(tmp_path / "prev.yaml"), "--json"])
    assert "t3.granted.natural" in r.output
