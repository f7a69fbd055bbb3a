"""A composed report as Word (.docx) in the style of an official document (公文).

A4 with the 公文 margins (GB/T 9704: top 37 mm, bottom 35 mm, left 28 mm, right 26 mm). The
title is centred in 方正小标宋简体 二号, section headings in 黑体 三号, text in 仿宋_GB2312 三号
with a two-character first-line indent, and the tables after their section's text, drawn from the
grids of ``layout`` with real merges (``w:gridSpan`` across, ``w:vMerge`` down), every rule drawn.

Fonts are named as offices name them. A Word run names one East-Asian font (``w:rFonts
w:eastAsia``), so the fallbacks go where Word looks for them: the document's font table lists
each font with ``w:altName`` (方正小标宋简体 → 宋体, 仿宋_GB2312 → 仿宋, 宋体 → SimSun, 仿宋 → FangSong,
黑体 → SimHei) and its GB2312 charset, so a machine without the office font still picks a Chinese
face of the same kind. The theme fonts of python-docx's template are removed from every style
touched, or they would override the named fonts.
"""
from __future__ import annotations

from pathlib import Path

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Pt, RGBColor
from docx.table import _Cell
from lxml import etree

from ...model import Report
from .layout import LABEL, GridCell, TableLayout, document

# Font names as Chinese offices use them, each with the face Word should take when it is missing.
TITLE_FONT, HEADING_FONT, BODY_FONT, TABLE_FONT = "方正小标宋简体", "黑体", "仿宋_GB2312", "仿宋_GB2312"
LATIN_FONT = "Times New Roman"
FALLBACKS = {"方正小标宋简体": "宋体", "仿宋_GB2312": "仿宋", "宋体": "SimSun", "仿宋": "FangSong", "黑体": "SimHei"}

TITLE_SIZE, TEXT_SIZE = Pt(22), Pt(16)        # 二号, 三号
LINE = Pt(28)                                  # exact line pitch of 公文 body text (22 lines a page)
TABLE_SIZE = {"table2": Pt(10.5), "table3": Pt(9), "table4": Pt(9)}   # 五号, 小五
PAGE_W, PAGE_H = Cm(21.0), Cm(29.7)
MARGINS = {"top": Cm(3.7), "bottom": Cm(3.5), "left": Cm(2.8), "right": Cm(2.6)}
CELL_MARGIN_TWIPS = 30                         # 1.5 pt left/right inside cells: the narrow columns need the room
ROW_HEIGHT_TWIPS = 340                         # ≥ 17 pt rows: a 小五 line with air above and below
TITLE_STYLE, TABLE_STYLE = "报告标题", "表格文字"


def write_docx(report: Report, path: str | Path) -> Path:
    """Write ``report`` as a .docx at ``path`` and return the path."""
    path = Path(path)
    d = docx.Document()
    _page_setup(d)
    _styles(d)
    _font_table(d)
    _page_number_footer(d)
    out = document(report)
    body = d.element.body
    if len(body) and body[0].tag == qn("w:p"):
        body.remove(body[0])  # python-docx's template starts with an empty paragraph

    d.add_paragraph(out.title, style=TITLE_STYLE)
    for text in out.preamble:
        d.add_paragraph(text)
    for section in out.sections:
        d.add_paragraph(section.heading, style="Heading 1")  # the style keeps a heading with what follows
        written = [d.add_paragraph(text) for text in section.paragraphs]
        if section.table is not None:
            # The heading and the sentences that introduce a table go with it to the next page rather than
            # stay alone at a page foot: keep-with-next on the paragraphs between them (a long office text
            # only on its last paragraphs, which Word and LibreOffice can still move).
            for p in written[-KEEP_WITH_TABLE:]:
                p.paragraph_format.keep_with_next = True
            _table(d, section.table)
    d.core_properties.title = out.title
    d.core_properties.author = report.agency or ""
    d.core_properties.language = "zh-CN"
    d.save(path)
    return path


# ---------------------------------------------------------------- page and styles


def _page_setup(d) -> None:
    s = d.sections[0]
    s.orientation = WD_ORIENT.PORTRAIT
    s.page_width, s.page_height = PAGE_W, PAGE_H
    s.top_margin, s.bottom_margin = MARGINS["top"], MARGINS["bottom"]
    s.left_margin, s.right_margin = MARGINS["left"], MARGINS["right"]
    s.footer_distance = Cm(2.5)


def set_fonts(rpr_owner, east_asia: str, latin: str) -> None:
    """Name the fonts of a style or run: East-Asian and Latin, with the theme fonts taken away."""
    rpr = rpr_owner.find(qn("w:rPr"))
    if rpr is None:  # a style's rPr follows its pPr; a run's comes first: python-docx knows the order
        rpr = rpr_owner.get_or_add_rPr() if hasattr(rpr_owner, "get_or_add_rPr") else etree.SubElement(
            rpr_owner, qn("w:rPr"))
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in list(fonts.attrib):
        if attr.endswith("Theme"):
            del fonts.attrib[attr]
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:hint"), "eastAsia")
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")


def _plain_black(style, size, bold: bool = False) -> None:
    style.font.size = size
    style.font.bold = bold
    style.font.italic = False
    style.font.color.rgb = RGBColor(0, 0, 0)


def _styles(d) -> None:
    styles = d.styles
    # docDefaults: anything not styled below still comes out in the body font.
    defaults = styles.element.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault")) if defaults is not None else None
    if rpr_default is not None:
        set_fonts(rpr_default, BODY_FONT, LATIN_FONT)

    normal = styles["Normal"]
    set_fonts(normal.element, BODY_FONT, LATIN_FONT)
    _plain_black(normal, TEXT_SIZE)
    pf = normal.paragraph_format
    pf.line_spacing_rule, pf.line_spacing = WD_LINE_SPACING.EXACTLY, LINE
    pf.space_before = pf.space_after = Pt(0)
    pf.first_line_indent = Pt(2 * TEXT_SIZE.pt)
    pf.widow_control = True
    ind = normal.element.get_or_add_pPr().find(qn("w:ind"))
    ind.set(qn("w:firstLineChars"), "200")  # two characters, also when the size changes

    heading = styles["Heading 1"]
    set_fonts(heading.element, HEADING_FONT, HEADING_FONT)
    _plain_black(heading, TEXT_SIZE)
    hf = heading.paragraph_format
    hf.line_spacing_rule, hf.line_spacing = WD_LINE_SPACING.EXACTLY, LINE
    hf.space_before = hf.space_after = Pt(0)
    hf.first_line_indent = Pt(2 * TEXT_SIZE.pt)
    hf.keep_with_next = True

    title = styles.add_style(TITLE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    title.base_style = normal
    title.next_paragraph_style = normal
    set_fonts(title.element, TITLE_FONT, TITLE_FONT)
    _plain_black(title, TITLE_SIZE)
    tf = title.paragraph_format
    tf.alignment = WD_ALIGN_PARAGRAPH.CENTER
    tf.first_line_indent = Pt(0)
    tf.line_spacing_rule, tf.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(36)
    tf.space_after = LINE  # one blank line between the title and the text, as 公文 do
    tf.keep_with_next = True

    cell = styles.add_style(TABLE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    cell.base_style = normal
    set_fonts(cell.element, TABLE_FONT, TABLE_FONT)
    _plain_black(cell, Pt(9))
    cf = cell.paragraph_format
    cf.first_line_indent = Pt(0)
    cf.line_spacing = 1.0  # single: Normal's exact 28 pt would make every table line a body line high
    cf.alignment = WD_ALIGN_PARAGRAPH.CENTER
    cf.widow_control = False
    # No automatic gap between digits and Chinese (75394432.52元): a PDF's text layer would show
    # it as a space, and the cell would no longer read as one amount with its unit.
    ppr = cell.element.get_or_add_pPr()
    spacing = ppr.find(qn("w:spacing"))  # schema order: autoSpaceDE, autoSpaceDN come before w:spacing
    for tag in ("w:autoSpaceDE", "w:autoSpaceDN"):
        spacing.addprevious(_el(tag, val="0"))


def _font_table(d) -> None:
    """Declare the office fonts with their fallbacks (w:altName) and the GB2312 charset (86)."""
    part = next(r.target_part for r in d.part.rels.values() if r.reltype == RT.FONT_TABLE)
    root = etree.fromstring(part.blob)
    w = root.nsmap["w"]
    for name, alt in FALLBACKS.items():
        font = etree.SubElement(root, f"{{{w}}}font", {f"{{{w}}}name": name})
        etree.SubElement(font, f"{{{w}}}altName", {f"{{{w}}}val": alt})
        etree.SubElement(font, f"{{{w}}}charset", {f"{{{w}}}val": "86"})
        family = "modern" if name in ("黑体", "SimHei") else "roman"
        etree.SubElement(font, f"{{{w}}}family", {f"{{{w}}}val": family})
        etree.SubElement(font, f"{{{w}}}pitch", {f"{{{w}}}val": "variable"})
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _page_number_footer(d) -> None:
    """「— 1 —」 centred at the foot of each page, from a PAGE field."""
    p = d.sections[0].footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.first_line_indent = Pt(0)

    def run(text: str | None = None, field: str | None = None) -> None:
        r = p.add_run(text)
        set_fonts(r._r, BODY_FONT, LATIN_FONT)
        r.font.size = Pt(14)
        if field == "begin" or field == "end":
            fc = OxmlElement("w:fldChar")
            fc.set(qn("w:fldCharType"), field)
            r._r.append(fc)
        elif field == "instr":
            it = OxmlElement("w:instrText")
            it.set(qn("xml:space"), "preserve")
            it.text = " PAGE "
            r._r.append(it)

    run("— ")
    run(field="begin")
    run(field="instr")
    run(field="end")
    run(" —")


# ---------------------------------------------------------------- tables


def _el(tag: str, **attrs: str):
    e = OxmlElement(tag)
    for k, v in attrs.items():
        e.set(qn(f"w:{k}"), v)
    return e


def _table(d, layout: TableLayout) -> None:
    s = d.sections[0]
    text_width = Emu(s.page_width - s.left_margin - s.right_margin)
    total = sum(layout.widths)
    widths = [int(text_width.twips * w / total) for w in layout.widths]  # twips (dxa)
    size = TABLE_SIZE[layout.name]
    style_id = d.styles[TABLE_STYLE].style_id

    tbl = _el("w:tbl")
    tbl_pr = _el("w:tblPr")
    tbl_pr.append(_el("w:tblW", w=str(sum(widths)), type="dxa"))
    tbl_pr.append(_el("w:jc", val="center"))
    borders = _el("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(_el(f"w:{side}", val="single", sz="4", space="0", color="000000"))
    tbl_pr.append(borders)
    tbl_pr.append(_el("w:tblLayout", type="fixed"))  # widths as given: no autofit by content
    margins = _el("w:tblCellMar")
    for side in ("left", "right"):
        margins.append(_el(f"w:{side}", w=str(CELL_MARGIN_TWIPS), type="dxa"))
    tbl_pr.append(margins)
    tbl.append(tbl_pr)
    grid = _el("w:tblGrid")
    for w in widths:
        grid.append(_el("w:gridCol", w=str(w)))
    tbl.append(grid)

    anchored = {(c.row, c.col): c for c in layout.cells}
    for r in range(layout.n_rows):
        tr = _el("w:tr")
        tr_pr = _el("w:trPr")
        tr_pr.append(_el("w:cantSplit"))
        tr_pr.append(_el("w:trHeight", val=str(ROW_HEIGHT_TWIPS), hRule="atLeast"))
        if r < layout.header_rows:
            tr_pr.append(_el("w:tblHeader"))  # repeat the header rows when the table runs onto a new page
        tr.append(tr_pr)
        col = 0
        while col < layout.n_cols:
            cell = layout.at(r, col)
            tc = _el("w:tc")
            tc_pr = _el("w:tcPr")
            tc_pr.append(_el("w:tcW", w=str(sum(widths[cell.col:cell.col + cell.colspan])), type="dxa"))
            if cell.colspan > 1:
                tc_pr.append(_el("w:gridSpan", val=str(cell.colspan)))
            if cell.rowspan > 1:
                tc_pr.append(_el("w:vMerge", val="restart") if cell.row == r else _el("w:vMerge"))
            tc_pr.append(_el("w:vAlign", val="center"))
            tc.append(tc_pr)
            tr.append(tc)
            if (r, col) in anchored:
                _fill(_Cell(tc, d), cell, layout.name, size, style_id)
            else:  # the continuation of a cell merged down: an empty paragraph, as Word writes it
                tc.append(_el("w:p"))
            col += cell.colspan
        tbl.append(tr)

    # 表三 and 表四 fit a page and move whole; 表二 runs long, so only its first block's header rows stay with the
    # first data row (and through them the heading above stays with the table).
    _keep_together(tbl, None if layout.name != "table2" else TABLE2_KEPT_ROWS)
    body = d.element.body
    body.insert(len(body) - 1, tbl)  # before the final w:sectPr
    # An empty paragraph after the table keeps the next heading off the table's last rule.
    after = d.add_paragraph(style=TABLE_STYLE)
    after.paragraph_format.space_after = Pt(6)


KEEP_WITH_TABLE = 3      # paragraphs before a table kept with it
TABLE2_KEPT_ROWS = 3     # 表二: the block header, the column labels and the first row


def _keep_together(tbl, first: int | None = None) -> None:
    """Keep-with-next on every row but the last (or on the ``first`` rows): Word and LibreOffice then move a
    table that would break onto the next page whole (表三 fits one page), so its merged labels are never cut."""
    rows = tbl.findall(qn("w:tr"))
    for tr in rows[:-1] if first is None else rows[:first]:
        for p in tr.iter(qn("w:p")):
            ppr = p.find(qn("w:pPr"))
            if ppr is None:
                ppr = _el("w:pPr")
                p.insert(0, ppr)
            style = ppr.find(qn("w:pStyle"))
            ppr.insert(0 if style is None else 1, _el("w:keepNext"))


def _fill(target: _Cell, cell: GridCell, table: str, size, style_id: str) -> None:
    """The cell's text in the table style; the vertical label one character per line."""
    p = target.add_paragraph()
    p._p.style = style_id  # by id: python-docx's lookup by name scans every style, per cell
    if table == "table3" and cell.role == LABEL and not cell.vertical and (cell.col != 1 or cell.colspan > 1):
        p.alignment = WD_ALIGN_PARAGRAPH.LEFT  # 表三's row labels read left to right, as on the form
    pieces = list(cell.text) if cell.vertical else [cell.text]
    for i, piece in enumerate(pieces):
        run = p.add_run(piece)
        run.font.size = size
        if i < len(pieces) - 1:
            run.add_break()


__all__ = ["write_docx", "set_fonts", "FALLBACKS"]
