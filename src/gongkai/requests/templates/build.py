"""Writes the default letter templates (editable .docx files with docxtpl tags) shipped in this folder.

Run ``python -m gongkai.requests.templates.build [DIR]`` to regenerate them, or to get a copy an office can edit
and point ``GONGKAI_LETTER_TEMPLATES`` at. Each template is an ordinary Word document: the ``{{ ... }}`` tags are
filled in by docxtpl and may be moved or reworded freely.
"""
from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Pt

# The composer's 公文 page and fonts (margins, 仿宋_GB2312 with its fallbacks in the font table): one style.
from gongkai.compose.render.docx import (BODY_FONT, LATIN_FONT, LINE, TEXT_SIZE, TITLE_FONT, TITLE_SIZE,
                                         _font_table, _page_setup, set_fonts)

HERE = Path(__file__).resolve().parent

LAW = "《中华人民共和国政府信息公开条例》"

# template name -> (title, body paragraphs)
TEMPLATES: dict[str, tuple[str, list[str]]] = {
    "receipt": ("政府信息公开申请登记回执", [
        "{{ applicant_name }}：",
        "本机关已于{{ received_date }}收到您通过{{ channel }}提交的政府信息公开申请（编号：{{ number }}），"
        "申请内容为：{{ content }}。",
        "收到申请之日的确定依据：{{ receipt_basis }}。",
        "根据" + LAW + "第三十三条的规定，本机关将在收到申请之日起20个工作日内（即{{ due_date }}前）予以答复；"
        "需要延长答复期限的，将另行告知。",
    ]),
    "correction": ("政府信息公开申请补正告知书", [
        "{{ applicant_name }}：",
        "本机关于{{ received_date }}收到您的政府信息公开申请（编号：{{ number }}）。经审查，您的申请内容不明确，"
        "根据" + LAW + "第三十条的规定，请您对以下内容作出补正：",
        "{{ items }}",
        "请您于{{ correction_due }}前提交补正材料。答复期限自本机关收到补正后的申请之日起计算。"
        "无正当理由逾期不补正的，视为放弃申请，本机关不再处理该政府信息公开申请。",
    ]),
    "extension": ("延期答复告知书", [
        "{{ applicant_name }}：",
        "本机关于{{ received_date }}收到您的政府信息公开申请（编号：{{ number }}）。因{{ reason }}，"
        "本机关不能在规定期限内作出答复。根据" + LAW + "第三十三条第二款的规定，经政府信息公开工作机构负责人"
        "（{{ approver }}）同意，答复期限延长{{ days }}个工作日，本机关将于{{ due_date }}前作出答复。",
    ]),
    "consultation": ("征求第三方意见函", [
        "{{ party }}：",
        "本机关于{{ received_date }}收到一件政府信息公开申请（编号：{{ number }}），申请公开的信息为：{{ content }}。"
        "本机关认为公开该信息可能损害您的合法权益。根据" + LAW + "第三十二条的规定，现书面征求您的意见。",
        "请您自收到本函之日起15个工作日内（即{{ reply_due }}前）提出意见。逾期未提出意见的，本机关将依照"
        + LAW + "的规定决定是否公开。第三方不同意公开且有合理理由的，本机关不予公开；但不公开可能对公共利益"
        "造成重大影响的，本机关可以决定予以公开，并将决定公开的内容和理由书面告知您。",
    ]),
    "fee": ("政府信息公开信息处理费收费通知", [
        "{{ applicant_name }}：",
        "本机关于{{ received_date }}收到您的政府信息公开申请（编号：{{ number }}）。根据" + LAW + "第四十二条和"
        "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）的规定，您的申请应缴纳信息处理费。",
        "收费方式：{{ method }}。计费依据：{{ basis }}。应缴金额：人民币{{ amount }}元。",
        "请您自收到本通知次日起20个工作日内（即{{ pay_by }}前）缴纳。逾期未缴纳的，视为放弃申请，"
        "本机关不再处理该政府信息公开申请。",
    ]),
    "answer": ("政府信息公开申请答复告知书", [
        "{{ applicant_name }}：",
        "本机关于{{ received_date }}收到您的政府信息公开申请（编号：{{ number }}），申请内容为：{{ content }}。",
        "根据" + LAW + "{{ article }}的规定，现答复如下：{{ decision }}",
        "{% if remarks %}{{ remarks }}{% endif %}",
        "如对本答复不服，可以自收到本答复之日起60日内依法申请行政复议，或者自收到本答复之日起6个月内"
        "依法提起行政诉讼。",
    ]),
}


def _styles(doc) -> None:
    """Normal = 公文 body text: 仿宋_GB2312 三号, exact 28 pt lines, two-character first-line indent."""
    style = doc.styles["Normal"]
    set_fonts(style.element, BODY_FONT, LATIN_FONT)
    style.font.size = TEXT_SIZE
    pf = style.paragraph_format
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = LINE
    pf.first_line_indent = Pt(32)           # two characters of 三号
    pf.space_before = pf.space_after = Pt(0)


def _plain(doc, text: str, align=None, indent: bool = True, font: str | None = None, size=None):
    p = doc.add_paragraph()
    if align is not None:
        p.alignment = align
    if not indent:
        p.paragraph_format.first_line_indent = Pt(0)
    r = p.add_run(text)
    if font:
        set_fonts(r._r, font, LATIN_FONT)
    if size is not None:
        r.font.size = size
    return p


def build(target: Path = HERE) -> list[Path]:
    """One template per letter in the style of an official document (GB/T 9704): title in 方正小标宋简体 二号,
    文号 under it, body in 仿宋_GB2312 三号 with a two-character indent, the salutation flush left, the agency and
    date right-aligned with room for the seal (印章) over them."""
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for name, (title, paras) in TEMPLATES.items():
        doc = Document()
        _page_setup(doc)
        _styles(doc)
        _font_table(doc)
        body = doc.element.body
        if len(body) and body[0].tag == qn("w:p"):
            body.remove(body[0])
        _plain(doc, title, WD_ALIGN_PARAGRAPH.CENTER, indent=False, font=TITLE_FONT, size=TITLE_SIZE)
        _plain(doc, "{{ doc_number }}", WD_ALIGN_PARAGRAPH.CENTER, indent=False)
        _plain(doc, "")
        for i, text in enumerate(paras):
            _plain(doc, text, indent=i > 0)       # the salutation (…：) is flush left
        _plain(doc, "")
        _plain(doc, "（印章）", WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
        for line in ("{{ agency }}", "{{ letter_date }}"):
            _plain(doc, line, WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
        _plain(doc, "（申请编号：{{ number }}）", WD_ALIGN_PARAGRAPH.LEFT, indent=False, size=Pt(14))
        path = target / f"{name}.docx"
        doc.save(path)
        written.append(path)
    return written


if __name__ == "__main__":  # pragma: no cover - maintenance entry point
    for p in build(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE):
        print(p)
