"""Pieces of a composed report an office reached for: the standard preamble, the request paragraph under
一（二）依申请公开, the fee sentence written once, and headings kept with their tables in the DOCX."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import docx
from docx.oxml.ns import qn

from conftest import REPO
from gongkai.check import check_path
from gongkai.compose.build import compose, write_outputs
from gongkai.compose.figures import load_figures
from gongkai.compose.prose import FeeFigures

EXAMPLE = REPO / "examples" / "compose" / "示例市交通运输局-2025.yaml"
OVERVIEW = ("（一）主动公开。本局主动公开各类信息。\n（二）依申请公开。本局规范办理申请。\n"
            "（三）政府信息管理。本局加强管理。\n（四）平台建设。门户网站运行平稳。\n（五）监督保障。本局开展培训。")


def _comp(**kw):
    figures = load_figures(EXAMPLE)
    office = {k: v for k, v in figures.sections.items() if v.strip()}
    office.update(kw.pop("office", {}))
    return compose(figures, office_text=office, **kw)


def test_composed_report_has_the_standard_preamble_in_every_format(tmp_path: Path):
    comp = _comp()
    out = write_outputs(comp, tmp_path, ["docx", "html", "md"])
    for fmt, path in out.items():
        text = path.read_text(encoding="utf-8") if fmt != "docx" else "\n".join(
            p.text for p in docx.Document(path).paragraphs)
        assert "根据《中华人民共和国政府信息公开条例》" in text, fmt
        assert "统计期限自2025年1月1日起至2025年12月31日止" in text, fmt
        # before 一、总体情况
        assert text.index("统计期限") < text.index("一、总体情况"), fmt
        back = check_path(path)
        assert back.status == "ok" and not back.errors and back.report.year == 2025, fmt


def test_request_paragraph_stands_under_one_two_not_after_five():
    six = _comp(office={"overview": OVERVIEW}).report.sections["overview"]
    at = six.index("本年度新收政府信息公开申请")
    assert six.index("（二）依申请公开") < at < six.index("（三）政府信息管理"), six
    # inline sub-headings, as offices also write them
    inline = _comp(office={"overview": OVERVIEW.replace("\n", "")}).report.sections["overview"]
    at = inline.index("本年度新收政府信息公开申请")
    assert inline.index("（二）依申请公开") < at < inline.index("（三）政府信息管理")
    # no sub-headings: after the office's text, as before
    plain = _comp(office={"overview": "本局推进政务公开。"}).report.sections["overview"]
    assert plain.index("本局推进政务公开") < plain.index("本年度新收政府信息公开申请")


def test_fee_sentence_written_once_even_when_the_office_text_has_it():
    office = {"other_matters": "本年度未收取信息处理费。本局认真贯彻落实年度政务公开工作要点。"}
    comp = _comp(office=office, fees=FeeFigures(0, Decimal(0)))
    six = comp.report.sections["other_matters"]
    assert six.count("信息处理费") == 1 + six.count("信息处理费管理办法"), six
    assert "工作要点" in six
    # figures that differ from the office's sentence: the figures' sentence, and the office is told
    comp = _comp(office=office, fees=FeeFigures(2, Decimal(100)))
    six = comp.report.sections["other_matters"]
    assert "收取信息处理费2件" in six and "未收取信息处理费" not in six
    assert "compose.six-fee-replaced" in {p.code for p in comp.text.prompts}


def test_docx_heading_is_kept_with_its_table(tmp_path: Path):
    comp = _comp()
    path = write_outputs(comp, tmp_path, ["docx"])["docx"]
    body = docx.Document(path).element.body
    blocks = list(body.iterchildren())
    tables = [i for i, b in enumerate(blocks) if b.tag == qn("w:tbl")]
    assert len(tables) == 3
    for i in tables:
        # every paragraph from the section heading down to the table keeps with the next one
        j = i - 1
        while True:
            p = blocks[j]
            ppr = p.find(qn("w:pPr"))
            style = ppr.find(qn("w:pStyle")).get(qn("w:val")) if ppr is not None and ppr.find(qn("w:pStyle")) is not None else ""
            keep = ppr is not None and ppr.find(qn("w:keepNext")) is not None
            assert keep or style.startswith("Heading"), (i, j, "".join(p.itertext()))
            if style.startswith("Heading"):
                break
            j -= 1
        # and the table's first row keeps with the second
        first_row = blocks[i].find(qn("w:tr"))
        assert first_row.find(".//" + qn("w:keepNext")) is not None


def test_preamble_not_doubled_when_the_office_wrote_its_own(tmp_path: Path):
    own = "本报告所列数据的统计期限自2025年1月1日起至2025年12月31日止。本局推进政务公开。"
    comp = _comp(office={"overview": own})
    md = write_outputs(comp, tmp_path, ["md"])["md"].read_text(encoding="utf-8")
    assert md.count("统计期限") == 1
