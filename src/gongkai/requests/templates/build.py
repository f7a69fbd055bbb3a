"""Writes the default letter templates (editable .docx files with docxtpl tags) shipped in this folder.

Run ``python -m gongkai.requests.templates.build [DIR]`` to regenerate them, or to get a copy an office can edit
and point ``GONGKAI_LETTER_TEMPLATES`` at. Each template is an ordinary Word document: the ``{{ ... }}`` tags are
filled in by docxtpl and may be moved or reworded freely.
"""
from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

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


def _font(doc) -> None:
    style = doc.styles["Normal"]
    style.font.name = "仿宋"
    style.font.size = Pt(14)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "仿宋")


def build(target: Path = HERE) -> list[Path]:
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for name, (title, paras) in TEMPLATES.items():
        doc = Document()
        _font(doc)
        h = doc.add_paragraph()
        h.alignment = WD_ALIGN_PARAGRAPH.CENTER
        r = h.add_run(title)
        r.bold = True
        r.font.size = Pt(20)
        num = doc.add_paragraph("编号：{{ number }}")
        num.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        for p in paras:
            doc.add_paragraph(p)
        for line in ("{{ agency }}", "{{ letter_date }}"):
            p = doc.add_paragraph(line)
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        path = target / f"{name}.docx"
        doc.save(path)
        written.append(path)
    return written


if __name__ == "__main__":  # pragma: no cover - maintenance entry point
    for p in build(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE):
        print(p)
