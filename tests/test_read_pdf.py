"""PDF reader: PDFs drawn here with reportlab (ruled tables, merges, page split, invisible
background boxes, vertical labels, page numbers) plus the real corpus 002.pdf; error cases."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
from conftest import shared_path

from gongkai.blocks import Paragraph, Table
from gongkai.read import ReadError, ReadOptions, read_document

reportlab = pytest.importorskip("reportlab", reason="reportlab (test extra) draws the test PDFs")
from reportlab.lib.pdfencrypt import StandardEncryption  # noqa: E402
from reportlab.pdfbase import pdfmetrics  # noqa: E402
from reportlab.pdfbase.cidfonts import UnicodeCIDFont  # noqa: E402
from reportlab.pdfgen import canvas  # noqa: E402

FONT = "STSong-Light"  # a built-in CID font: Chinese text without shipping a font file
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
W, H = 595.0, 842.0

# Column edges (x) and row edges (y, from the top) of the test table.
XS = [70.0, 120.0, 250.0, 310.0, 370.0, 430.0]
ROW = 24.0


def _y(top: float) -> float:
    """reportlab measures from the bottom of the page."""
    return H - top


def _text(c: canvas.Canvas, x: float, top: float, s: str, size: float = 10.5) -> None:
    c.setFont(FONT, size)
    c.drawString(x, _y(top + size), s)


def _white_background(c: canvas.Canvas, top: float, bottom: float) -> None:
    # What Word exports under each text line: a white, unstroked box (invisible on paper).
    c.setFillColorRGB(1, 1, 1)
    c.rect(XS[0] - 4, _y(bottom), XS[-1] - XS[0] + 8, bottom - top, stroke=0, fill=1)
    c.setFillColorRGB(0, 0, 0)


def _hline(c: canvas.Canvas, top: float, x0: float, x1: float) -> None:
    c.line(x0, _y(top), x1, _y(top))


def _vline(c: canvas.Canvas, x: float, top: float, bottom: float) -> None:
    c.line(x, _y(top), x, _y(bottom))


def _report_pdf() -> bytes:
    """Two pages: prose, then a table with a merged header, a vertical label and a page split."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(W, H))
    c.setLineWidth(0.75)
    # ---- page 1
    _white_background(c, 60, 90)
    _text(c, 70, 70, "某某局2023年政府信息公开工作年度报告", 14)
    _text(c, 91, 100, "本报告根据《条例》编制。本年共收到政府信息公开申请21件，均已")
    _text(c, 70, 118, "按期答复。")
    _text(c, 70, 140, "三、收到和处理政府信息公开申请情况")
    top = 170.0
    ys = [top + i * ROW for i in range(6)]  # header 2 rows + 3 data rows (+ bottom cut on page 1)
    # header: [0-1 x 0-1] merged block; 申请人情况 over cols 2-4; then column heads
    _hline(c, ys[0], XS[0], XS[-1])
    _hline(c, ys[1], XS[2], XS[-1])
    _hline(c, ys[2], XS[0], XS[-1])
    # rows 2..4: the vertical label spans rows 2-4 in column 0 (no rule between its rows)
    for y in ys[3:5]:
        _hline(c, y, XS[1], XS[-1])
    _vline(c, XS[0], ys[0], ys[5])
    _vline(c, XS[1], ys[2], ys[5])
    _vline(c, XS[2], ys[0], ys[5])
    for x in XS[3:5]:
        _vline(c, x, ys[1], ys[5])
    _vline(c, XS[5], ys[0], ys[5])
    # no closing rule at ys[5]: the table continues on the next page (as Word draws it)
    _text(c, XS[0] + 4, ys[0] + 6, "（勾稽关系）")
    _text(c, XS[2] + 4, ys[0] + 6, "申请人情况")
    for x, s in zip(XS[2:5], ("自然人", "法人", "总计")):
        _text(c, x + 4, ys[1] + 6, s)
    # One character per line. Each line gets a trailing space: pdfium skips a lone glyph of a
    # non-embedded CID font, whose width it cannot know (real reports embed their fonts).
    label = c.beginText(XS[0] + 20, _y(ys[2] + 4 + 10.5))
    label.setFont(FONT, 10.5)
    label.setLeading(13)
    for ch in "办理结果":
        label.textLine(ch + " ")
    c.drawText(label)
    rows = [("（一）予以公开", ("3", "", "3")), ("（二）部分公开", ("1", "/", "1")), ("（三）不予公开", ("0", "0", "-"))]
    for r, (label, nums) in enumerate(rows):
        _text(c, XS[1] + 4, ys[2 + r] + 6, label)
        for x, v in zip(XS[2:5], nums):
            if v:
                _text(c, x + 4, ys[2 + r] + 6, v)
    _text(c, 286, 800, "- 1 -", 9)
    c.showPage()
    # ---- page 2: the rest of the table, without its top rule
    c.setLineWidth(0.75)
    top2 = 80.0
    ys2 = [top2, top2 + ROW, top2 + 2 * ROW]
    for y in ys2[1:]:
        _hline(c, y, XS[0], XS[-1])
    for x in (XS[0], XS[1], XS[2], XS[3], XS[4], XS[5]):
        _vline(c, x, ys2[0], ys2[2])
    _text(c, XS[1] + 4, ys2[0] + 6, "（四）无法提供")
    _text(c, XS[0] + 4, ys2[1] + 6, "四、结转")
    for r, nums in enumerate((("2", "0", "2"), ("0", "0", "0"))):
        for x, v in zip(XS[2:5], nums):
            _text(c, x + 4, ys2[r] + 6, v)
    _text(c, 70, 160, "五、存在的主要问题及改进情况")
    _text(c, 286, 800, "- 2 -", 9)
    c.save()
    return buf.getvalue()


@pytest.fixture(scope="module")
def report_pdf(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "report.pdf"
    path.write_bytes(_report_pdf())
    return path


def test_blocks_in_reading_order(report_pdf: Path) -> None:
    doc = read_document(report_pdf)
    assert doc.kind == "pdf" and doc.pages == 2
    kinds = [(type(b).__name__, b.source.page) for b in doc.blocks]
    assert kinds == [("Paragraph", 1), ("Paragraph", 1), ("Paragraph", 1), ("Table", 1), ("Table", 2), ("Paragraph", 2)]
    title, body, heading = doc.blocks[:3]
    assert title.text == "某某局2023年政府信息公开工作年度报告"
    # a wrapped line joins its paragraph without a space between CJK characters; page numbers dropped
    assert body.text == "本报告根据《条例》编制。本年共收到政府信息公开申请21件，均已按期答复。"
    assert heading.text == "三、收到和处理政府信息公开申请情况"
    assert not any(isinstance(b, Paragraph) and "- 1 -" in b.text for b in doc.blocks)


def test_table_grid_spans_blanks_and_boxes(report_pdf: Path) -> None:
    doc = read_document(report_pdf)
    table = doc.blocks[3]
    assert isinstance(table, Table) and table.n_rows == 5
    block = table.rows[0][0]
    assert (block.text, block.rowspan, block.colspan) == ("（勾稽关系）", 2, 2)
    applicant = table.rows[0][1]
    assert (applicant.text, applicant.col, applicant.colspan) == ("申请人情况", 2, 3)
    assert [(c.text, c.col) for c in table.rows[1]] == [("自然人", 2), ("法人", 3), ("总计", 4)]
    label = table.rows[2][0]
    assert (label.text, label.rowspan) == ("办理结果", 3)   # vertical label joined without spaces
    assert [c.text for c in table.rows[2]] == ["办理结果", "（一）予以公开", "3", "", "3"]
    assert [c.text for c in table.rows[3]] == ["（二）部分公开", "1", "/", "1"]
    assert [c.text for c in table.rows[4]] == ["（三）不予公开", "0", "0", "-"]
    cell = table.rows[2][2]
    assert cell.source.page == 1 and (cell.source.row, cell.source.col) == (2, 2)
    x0, top, x1, bottom = cell.source.bbox
    assert abs(x0 - XS[2]) < 2 and abs(x1 - XS[3]) < 2 and abs(top - (170 + 2 * ROW)) < 2
    assert doc.text[cell.source.start:cell.source.end] == "3"


def test_table_continued_on_next_page_is_its_own_block(report_pdf: Path) -> None:
    doc = read_document(report_pdf)
    cont = doc.blocks[4]
    assert isinstance(cont, Table) and cont.source.page == 2
    # the missing top rule is restored from the vertical rules: the first row is complete
    assert [c.text for c in cont.rows[0]] == ["", "（四）无法提供", "2", "0", "2"]
    assert [c.text for c in cont.rows[1]] == ["四、结转", "", "0", "0", "0"]


def test_real_002_table3(tmp_path: Path) -> None:
    doc = read_document(shared_path("corpus", "raw", "002.pdf"))
    assert doc.pages == 5
    tables = [b for b in doc.blocks if isinstance(b, Table)]
    assert [t.source.page for t in tables] == [2, 3, 3, 4, 4]
    t3a, t3b = tables[2], tables[3]
    rows = {r[0].text: r for r in t3a.rows if r}
    new = rows["一、本年新收政府信息公开申请数量"]
    assert [(c.text, c.col) for c in new[1:]] == [(v, c) for v, c in zip(["21", "0", "0", "0", "0", "0", "21"], range(3, 10))]
    assert all(c.source.page == 3 for c in new)
    label = next(c for r in t3a.rows for c in r if c.text == "三、本年度办理结果")
    assert label.col == 0 and label.rowspan == 12
    secret = next(r for r in t3a.rows if any(c.text == "1.属于国家秘密" for c in r))
    assert [c.text for c in secret][-7:] == ["1", "0", "0", "0", "0", "0", "1"]
    assert secret[0].text == "（三）不予公开" and secret[0].rowspan == 8
    not_held = next(r for r in t3a.rows if any(c.text == "1.本机关不掌握相关政府信息" for c in r))
    assert [c.text for c in not_held][-7:] == ["10", "0", "0", "0", "0", "0", "10"]
    # page 4 continues the table: the label column is an empty merged cell, numbers in columns 3..9
    assert t3b.source.page == 4 and t3b.rows[0][0].text == "" and t3b.rows[0][0].rowspan == 8
    total = next(r for r in t3b.rows if r[0].text == "（七）总计")
    assert [(c.text, c.col) for c in total[1:]] == [(v, c) for v, c in zip(["21", "0", "0", "0", "0", "0", "21"], range(3, 10))]
    table4 = tables[4]
    assert [c.text for c in table4.rows[-1]] == ["10", "1", "0", "0", "0", "0", "0", "0", "0", "0", "5", "0", "0", "0", "0"]
    # Word's white line backgrounds are not tables: the prose is paragraphs
    paras = [b.text for b in doc.blocks if isinstance(b, Paragraph)]
    assert "一、总体情况" in paras and "三、收到和处理政府信息公开申请情况" in paras
    assert not any(p.strip("- ").isdigit() for p in paras)


# ---------------------------------------------------------------- errors


def _simple_pdf(**kw) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(W, H), **kw)
    _text(c, 70, 70, "年度报告")
    c.save()
    return buf.getvalue()


def test_encrypted_pdf(tmp_path: Path) -> None:
    path = tmp_path / "locked.pdf"
    path.write_bytes(_simple_pdf(encrypt=StandardEncryption("user-pw", ownerPassword="owner-pw")))
    with pytest.raises(ReadError) as e:
        read_document(path)
    assert e.value.code == "read.encrypted"
    assert "加密" in e.value.reason and "encrypted" in e.value.reason


def test_truncated_pdf_is_corrupt(tmp_path: Path) -> None:
    data = _simple_pdf()
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[: len(data) // 3])
    with pytest.raises(ReadError) as e:
        read_document(path)
    assert e.value.code == "read.corrupt"


def test_image_only_pdf_needs_ocr(tmp_path: Path) -> None:
    from reportlab.lib.utils import ImageReader
    from PIL import Image

    img = Image.new("L", (200, 100), 255)
    for x in range(20, 180):
        img.putpixel((x, 50), 0)
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(W, H))
    c.drawImage(ImageReader(img), 70, 600, 400, 200)
    c.rect(70, 100, 300, 200)  # ruling lines but no text layer
    c.save()
    path = tmp_path / "scan.pdf"
    path.write_bytes(buf.getvalue())
    with pytest.raises(ReadError) as e:
        read_document(path, ReadOptions(ocr=False))  # with OCR on, the page is read (tests/test_ocr.py)
    assert e.value.code == "read.needs-ocr"
    assert "OCR" in e.value.reason


def test_xlsx_renamed_to_pdf_is_unsupported(tmp_path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active["A1"] = 21
    buf = io.BytesIO()
    wb.save(buf)
    path = tmp_path / "report.pdf"
    path.write_bytes(buf.getvalue())
    with pytest.raises(ReadError) as e:
        read_document(path)
    assert e.value.code == "read.unsupported-type"


def test_numbered_heading_and_page_number_lines_start_their_own_paragraphs():
    # a full-width, unindented "二、组织保障" after a wrapped item once ran on into that item
    from gongkai.read.pdf import Line, paragraphs

    lines = [Line("（二）做好政策解读。坚持解读与文件同步起草、", 50, 100, 500, 112, 12),
             Line("同步发布。（县政府办公室牵头，各乡镇配合）", 50, 114, 495, 126, 12),
             Line("二、组织保障", 50, 128, 122, 140, 12),
             Line("县政务公开领导小组每年至少召开一次会议。", 50, 142, 500, 154, 12),
             Line("— 2 —", 50, 790, 500, 802, 12)]
    got = [p.text for _, p in paragraphs(lines, [], 1, 842)]
    assert got == ["（二）做好政策解读。坚持解读与文件同步起草、同步发布。（县政府办公室牵头，各乡镇配合）",
                   "二、组织保障", "县政务公开领导小组每年至少召开一次会议。"]


def test_paragraph_broken_by_a_page_break_is_one_paragraph(tmp_path: Path) -> None:
    # a sentence running from the foot of page 1 onto page 2 was two paragraphs
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(595, 842))
    c.setFont(FONT, 10.5)
    _text(c, 72, 700, "本年度共收到政府信息公开申请一百二十件，其中通过网络")
    _text(c, 290, 800, "— 1 —")
    c.showPage()
    c.setFont(FONT, 10.5)
    _text(c, 72, 80, "提交九十件。")
    _text(c, 72, 110, "二、主动公开政府信息情况")
    c.save()
    path = tmp_path / "two_pages.pdf"
    path.write_bytes(buf.getvalue())
    texts = [b.text for b in read_document(path).blocks if isinstance(b, Paragraph)]
    assert texts == ["本年度共收到政府信息公开申请一百二十件，其中通过网络提交九十件。", "二、主动公开政府信息情况"]
