"""Formats as data, label variants, format detection, and the report JSON round trip."""
from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from gongkai.check import check_path
from gongkai.formats import T3_ROWS_2019, T3_ROWS_2021, load_format
from gongkai.model import Basis, Cell, Kind, Report
from gongkai.text import normalize_label

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def test_both_formats_have_their_cells():
    f21, f19 = load_format("2021"), load_format("2019")
    assert len(T3_ROWS_2021) == 25 and len(T3_ROWS_2019) == 23
    assert len([k for k in f21.cell_keys() if k.startswith("t3.")]) == 175
    assert len([k for k in f19.cell_keys("single") if k.startswith("t3.")]) == 161
    assert len([k for k in f19.cell_keys() if k.startswith("t2.")]) == 22
    assert len([k for k in f21.cell_keys() if k.startswith("t4.")]) == 15


@pytest.mark.parametrize("label,key", [
    ("2.其他法律行政止公开", "denied.law_forbidden"),          # typo seen in a real PDF
    ("3. 危及\"三安全一稳定\"", "denied.security_stability"),  # straight quotes
    ("3．危及“三安全一稳定”", "denied.security_stability"),    # full-width dot
    ("（三）不\n予公开 1. 属于国家秘密", "denied.state_secret"),  # line break inside the group label
    ("4.无正当理由大量反复 申请", "not_processed.excessive"),   # stray space
    ("2.申请人逾期未按收费通知要求缴纳费用，行政机关不再处理其政府信息公开申请", "other.no_fee"),  # ， for 、
    ("（七） 总计", "total"),
])
def test_label_variants_match_their_row(label: str, key: str):
    rows = load_format("2021").table3.rows
    norm = normalize_label(label)
    hits = [r.key for r in rows if r.match(norm)]
    assert key in hits


def test_table2_header_typo_is_a_2021_marker():
    assert "本年度止件数" in load_format("2021").markers  # OCR slip for 本年废止件数 (seed 000)


def test_format_detected_from_content_not_year(tmp_path: Path):
    # A 2021-year report written on the 2019 trial form is read as the 2019 form, with a warning.
    src = (EXAMPLES / "示例县农业农村局-2020.txt").read_text(encoding="utf-8").replace("2020", "2021")
    p = tmp_path / "r.txt"
    p.write_text(src, encoding="utf-8")
    res = check_path(p)
    assert res.report.format == "2019"
    assert any(f.code == "report.format-year-mismatch" for f in res.findings)


def test_json_round_trip_keeps_kinds_values_and_sources():
    res = check_path(EXAMPLES / "示例市交通运输局-2024.txt")
    rep = res.report
    again = Report.from_json(rep.to_json())
    assert again.to_dict() == rep.to_dict()
    fee = again.cell("t2.fees.amount_10k_yuan")
    assert fee.kind is Kind.NUMBER and fee.value == Decimal("12.5")
    assert again.cell("t3.granted.natural").source.line is not None


def test_blank_and_zero_differ_in_json():
    cells = [Cell.blank(), Cell(Kind.NUMBER, 0, "0")]
    assert [c.to_dict()["kind"] for c in cells] == ["blank", "number"]
    assert [c.as_printed() for c in cells] == [None, 0]


def test_unknown_cell_keeps_alternatives_in_json():
    c = Cell(Kind.UNKNOWN, None, "", alternatives=[1, 20], basis=Basis.SPLIT)
    d = json.loads(json.dumps(c.to_dict()))
    assert Cell.from_dict(d).alternatives == [1, 20]


def test_schema_is_checked_on_load():
    with pytest.raises(ValueError):
        Report.from_dict({"schema": "something/else"})


def test_source_names_a_spreadsheet_cell_and_survives_json():
    from gongkai.blocks import Source

    s = Source(sheet="表三", row=6, col=3)
    assert s.label() == "表三!D7"
    assert Source.from_dict(s.to_dict()) == s and s.to_dict() == {"sheet": "表三", "row": 6, "col": 3}
    assert Source(sheet="表四", row=0, col=27).label() == "表四!AB1"


def test_finding_messages_fill_named_fields_and_mark_missing_ones():
    from gongkai.rules.catalog import CATALOG, _fmt, make_finding

    assert _fmt("{a}+{b}={c}", {"a": 1, "b": None, "c": [3, 4]}) == "1+空白=3/4"
    assert _fmt("{x} 与 {y}", {"x": 1}) == "1 与 ?"
    f = make_finding("t3.identity", cells=["t3.new_received.natural"], column="自然人", column_en="natural",
                     new=5, carried=0, left=5, total=6, forward=0, right=6)
    assert f.message == "表三「自然人」列：本年新收 5 + 上年结转 0 = 5，不等于 办理结果总计 6 + 结转下年度 0 = 6"
    assert all("{}" not in i.message and "{0" not in i.message for i in CATALOG.values())


def test_cell_keys_in_the_words_of_the_form():
    f = load_format("2021")
    assert f.cell_words("t3.granted.natural") == "表三「（一）予以公开」自然人"
    assert f.cell_words("t4.litigation_direct.upheld") == "表四「行政诉讼（未经复议直接起诉）」结果维持"
    assert f.cell_words("t4.review.total") == "表四「行政复议」总计"
    assert f.cell_words("t2.normative_documents.in_force").startswith("表二「行政规范性文件」")
    assert load_format("2019").cell_words("t3.other.total") == "表三「（六）其他处理」总计"


def test_cell_words_of_whole_row_and_whole_table_keys_does_not_crash():
    """export --format xlsx crashed (ValueError in cell_words) on findings naming t3.granted, t3.other, t4.all."""
    from gongkai.formats import load_format

    f21, f19 = load_format("2021"), load_format("2019")
    assert f21.cell_words("t3.granted") == "表三「（一）予以公开」"
    assert f21.cell_words("t4.all") == "表四"
    assert f21.cell_words("t3.denied.state_secret") == "表三「1.属于国家秘密」"
    assert f21.cell_words("t3.denied.state_secret.natural") == "表三「1.属于国家秘密」自然人"
    # t3.other.other: in the split variant the row 3.其他, in the single variant row （六） column 其他
    assert f21.cell_words("t3.other.other", "split") == "表三「3.其他」"
    assert f19.cell_words("t3.other.other", "single") == "表三「（六）其他处理」其他"
    assert f19.cell_words("t3.other", "single") == "表三「（六）其他处理」"
    assert f21.cell_words("t4.review.total") == "表四「行政复议」总计"
    assert f21.cell_words("nonsense") == "nonsense"
