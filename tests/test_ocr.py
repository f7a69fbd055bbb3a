"""OCR of scanned pages and images (read/ocr.py, rules/ocr.py).

Scans are made here: a page drawn with reportlab (a heading, prose, a ruled table with a two-line
label, a blank cell, a "-" cell and numbers), rasterised with pypdfium2, turned and noised like a
scan, and wrapped as an image-only PDF or saved as PNG; and a page of the real corpus 002.pdf.
Two pages are recognised in the default run; the whole 002 report is a ``slow`` test.
"""
from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import REPO, shared_path

from gongkai.blocks import Paragraph, Source, Table
from gongkai.check import check_path
from gongkai.model import Cell, Kind, Report
from gongkai.read import ReadError, ReadOptions, read_document
from gongkai.read import ocr
from gongkai.rules.ocr import ocr_findings

reportlab = pytest.importorskip("reportlab", reason="reportlab (test extra) draws the test pages")
pytest.importorskip("rapidocr", reason="rapidocr reads the scans")
from reportlab.pdfbase import pdfmetrics  # noqa: E402
from reportlab.pdfbase.cidfonts import UnicodeCIDFont  # noqa: E402
from reportlab.pdfgen import canvas  # noqa: E402

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
W, H = 595.0, 842.0
XS = [70.0, 250.0, 320.0, 390.0, 460.0, 525.0]
ROWS = [["信息内容", "本年制发件数", "本年废止件数", "现行有效件数", "备注"],
        ["规章", "0", "3", "17", ""],
        ["行政规范性文件", "128", "-", "2096", "1"],
        ["行政许可", "4519", "", "60", "0"]]


def _page_pdf() -> bytes:
    """One page: a title, two prose lines, a ruled table (row 2's label in two lines)."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(W, H))
    c.setFont(FONT, 16)
    c.drawString(120, H - 90, "某某县统计局2024年政府信息公开工作年度报告")
    c.setFont(FONT, 12)
    c.drawString(90, H - 130, "本年共收到政府信息公开申请36件，其中予以公开18件。")
    c.drawString(70, H - 150, "二、主动公开政府信息情况")
    c.setLineWidth(0.8)
    top, row_h = 180.0, 34.0
    ys = [top + i * row_h for i in range(len(ROWS) + 1)]
    for y in ys:
        c.line(XS[0], H - y, XS[-1], H - y)
    for x in XS:
        c.line(x, H - ys[0], x, H - ys[-1])
    for r, row in enumerate(ROWS):
        for k, text in enumerate(row):
            if not text:
                continue
            c.setFont(FONT, 11)
            if r == 2 and k == 0:  # a label wrapped onto two lines
                c.drawString(XS[0] + 6, H - ys[r] - 14, "行政规范")
                c.drawString(XS[0] + 6, H - ys[r] - 28, "性文件")
            else:
                c.drawString(XS[k] + 6, H - ys[r] - 21, text)
    c.save()
    return buf.getvalue()


def _scan(pdf_bytes: bytes, dpi: int = 200, angle: float = 0.0, noise: float = 0.0) -> np.ndarray:
    import cv2
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(pdf_bytes)
    img = pdf[0].render(scale=dpi / 72, grayscale=True).to_numpy()
    pdf.close()
    if angle:
        h, w = img.shape
        m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
        img = cv2.warpAffine(img, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=255)
    if noise:
        rng = np.random.default_rng(7)
        img = np.clip(img.astype(np.float32) + rng.normal(0, noise, img.shape), 0, 255).astype(np.uint8)
    return img


def _image_pdf(img: np.ndarray, path: Path, dpi: int = 200) -> Path:
    from PIL import Image

    Image.fromarray(img).save(path, format="PDF", resolution=dpi)
    return path


def _grid_texts(t: Table) -> list[list[str]]:
    return [[c.text for c in row] for row in t.rows]


@pytest.fixture(scope="module")
def skewed_scan(tmp_path_factory) -> Path:
    img = _scan(_page_pdf(), angle=1.5, noise=12)
    return _image_pdf(img, tmp_path_factory.mktemp("ocr") / "scan.pdf")


def test_image_only_pdf_is_read_by_ocr_not_refused(skewed_scan: Path) -> None:
    """The scan of a page comes back as the page: the same grid, blank kept blank, the prose, the skew."""
    doc = read_document(skewed_scan)
    tables = [b for b in doc.blocks if isinstance(b, Table)]
    assert len(tables) == 1
    assert _grid_texts(tables[0]) == [["信息内容", "本年制发件数", "本年废止件数", "现行有效件数", "备注"],
                                      ["规章", "0", "3", "17", ""],
                                      ["行政规范性文件", "128", "-", "2096", "1"],
                                      ["行政许可", "4519", "", "60", "0"]]
    cell = tables[0].rows[3][1]
    assert cell.source.page == 1 and cell.source.conf is not None and cell.source.conf > 0.5
    assert cell.source.bbox[0] == pytest.approx(250, abs=4)   # in PDF points, like the PDF reader's
    paras = [b.text for b in doc.blocks if isinstance(b, Paragraph)]
    assert paras[0] == "某某县统计局2024年政府信息公开工作年度报告"
    assert "本年共收到政府信息公开申请36件，其中予以公开18件。" in paras
    run = doc.meta["ocr"]
    assert run["pages"] == [1] and run["seconds"] > 0
    assert run["skew"]["1"] == pytest.approx(-1.5, abs=0.15)  # turned back by the angle it was turned


def test_image_file_is_read_by_ocr_and_refused_when_ocr_is_off(tmp_path: Path) -> None:
    from PIL import Image

    path = tmp_path / "page.png"
    Image.fromarray(_scan(_page_pdf(), dpi=150)).save(path, dpi=(150, 150))
    doc = read_document(path)
    assert doc.kind == "image" and doc.pages == 1
    table = next(b for b in doc.blocks if isinstance(b, Table))
    assert [c.text for c in table.rows[2]] == ["行政规范性文件", "128", "-", "2096", "1"]
    with pytest.raises(ReadError) as e:
        read_document(path, ReadOptions(ocr=False))
    assert e.value.code == "read.needs-ocr" and "OCR" in e.value.reason


def test_no_ocr_gives_the_needs_ocr_error(skewed_scan: Path) -> None:
    r = check_path(skewed_scan, ocr=False)
    assert r.status == "error" and r.error_code == "read.needs-ocr"


def test_cli_no_ocr_flag(skewed_scan: Path) -> None:
    from typer.testing import CliRunner

    from gongkai.cli import app

    res = CliRunner().invoke(app, ["check", "--no-ocr", str(skewed_scan)])
    assert res.exit_code == 1 and "OCR" in res.output


def test_importing_gongkai_does_not_load_the_ocr_engine() -> None:
    code = ("import sys, gongkai.check, gongkai.read, gongkai.read.pdf, gongkai.read.ocr, gongkai.cli; "
            "bad = [m for m in ('onnxruntime', 'rapidocr', 'cv2') if m in sys.modules]; "
            "sys.exit(', '.join(bad) or 0)")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True,
                         env={"PYTHONPATH": str(REPO / "src"), "PATH": "/usr/bin:/bin"})
    assert out.returncode == 0, out.stderr


# ---------------------------------------------------------------- page analysis, no recognition


def test_skew_is_estimated_from_ruled_and_text_rows() -> None:
    import cv2

    img = np.full((1200, 900), 255, np.uint8)
    for y in range(100, 1100, 40):
        cv2.line(img, (100, y), (800, y), 0, 2)
    m = cv2.getRotationMatrix2D((450, 600), 2.0, 1.0)
    turned = cv2.warpAffine(img, m, (900, 1200), borderValue=255)
    assert ocr.estimate_skew(ocr.binarize(turned, 200)) == pytest.approx(-2.0, abs=0.1)
    assert ocr.estimate_skew(ocr.binarize(img, 200)) == pytest.approx(0.0, abs=0.05)


def test_strokes_of_one_character_are_one_line() -> None:
    """三 printed alone is three strokes with gaps: one band, not three (vertical labels)."""
    ink = np.zeros((200, 60), np.uint8)
    for y in (10, 22, 36):           # 三
        ink[y:y + 3, 10:50] = 1
    ink[60:100, 10:50] = 1           # a full character below it
    ink[140:180, 10:50] = 1
    bands = ocr.bands(ink)
    assert [(b.top, b.bottom) for b in bands] == [(10, 39), (60, 100), (140, 180)]


def test_letters_in_a_number_cell_are_read_as_digits_with_a_doubt() -> None:
    from gongkai.read.ocr_engine import Char, LineText

    t = ocr._Text()
    t.add_line(LineText([Char("1", 0.99, 0.2), Char("O", 0.97, 0.6)]))
    v = ocr._as_value(t)
    assert v.text == "10" and [(d.kind, d.char, d.read) for d in v.doubts] == [("letter-digit", "0", "O")]
    dash = ocr._Text()
    dash.add_line(LineText([Char("一", 0.95, 0.5)]))
    assert ocr._as_value(dash).text == "-"
    # 0 whose runner-up is O is still 0: no doubt; 6 whose runner-up is 8 is one
    t = ocr._Text()
    t.add_line(LineText([Char("0", 0.9, 0.5, (("O", 0.09),)), Char("6", 0.7, 0.8, (("8", 0.28),))]))
    v = ocr._as_value(t)
    assert [(d.offset, d.kind) for d in v.doubts] == [(1, "confusable")]
    label = ocr._Text()
    label.add_line(LineText([Char("规", 0.99, 0.5), Char("章", 0.99, 0.5)]))
    assert ocr._as_value(label).text == "规章"


# ---------------------------------------------------------------- findings, never a silent guess


def _report_with_t3_row(values: list[int]) -> tuple[Report, str]:
    """A report whose 表三 new_received row was 'printed' as the text below (offsets into it)."""
    text = " ".join(str(v) for v in values)
    cells, pos = [], 0
    for v in values:
        s = str(v)
        cells.append(Cell(Kind.NUMBER, v, s, source=Source(start=pos, end=pos + len(s), page=3, row=4, col=3 + len(cells))))
        pos += len(s) + 1
    r = Report(format="2021", table3_variant="split")
    r.table3["new_received"] = cells
    return r, text


def test_doubtful_digit_is_a_finding_on_its_cell_with_the_balancing_value_proposed_not_applied() -> None:
    report, text = _report_with_t3_row([3, 0, 0, 0, 0, 0, 8])   # printed 6 in 总计, OCR read 8
    at = text.rindex("8")
    meta = {"pages": [3], "seconds": 1.2, "doubts": [
        {"start": at, "end": at + 1, "kind": "confusable", "char": "8", "conf": 0.61, "alternatives": [["6", 0.35]],
         "page": 3}]}
    findings = ocr_findings(report, meta, text)
    codes = [f.code for f in findings]
    assert codes == ["ocr.pages-read", "ocr.confusable", "ocr.correction-candidate"]
    doubt = findings[1]
    assert doubt.cells == ["t3.new_received.total"] and doubt.positions[0]["page"] == 3 and "6" in doubt.message
    cand = findings[2]
    assert cand.numbers["candidate"] == 3 and cand.numbers["value"] == 8
    assert report.table3["new_received"][6].value == 8   # proposed, never applied


def test_no_candidate_when_two_cells_of_a_row_are_doubtful_or_the_row_balances() -> None:
    report, text = _report_with_t3_row([3, 0, 0, 0, 0, 0, 3])
    doubts = [{"start": 0, "end": 1, "kind": "low-confidence", "char": "3", "conf": 0.5, "page": 1}]
    assert [f.code for f in ocr_findings(report, {"doubts": doubts}, text)] == ["ocr.low-confidence"]
    at = text.rindex("3")
    doubts.append({"start": at, "end": at + 1, "kind": "dropped", "char": "1", "conf": 0.3, "page": 1})
    assert [f.code for f in ocr_findings(report, {"doubts": doubts}, text)] == ["ocr.low-confidence",
                                                                               "ocr.dropped-char"]


# ---------------------------------------------------------------- the real report


def test_scan_of_corpus_002_page_3_gives_its_text_layer_grid(tmp_path: Path) -> None:
    """Page 3 of the real 002.pdf (表二's end and 表三's first rows), scanned at 200 dpi: every value
    cell as its text layer gives it."""
    import pypdfium2 as pdfium

    src = shared_path("corpus", "raw", "002.pdf")
    pdf = pdfium.PdfDocument(src.read_bytes())
    img = pdf[2].render(scale=200 / 72, grayscale=True).to_numpy()
    pdf.close()
    scanned = read_document(_image_pdf(img, tmp_path / "p3.pdf"))
    original = read_document(src)
    page3 = [b for b in original.blocks if isinstance(b, Table) and b.source.page == 3]
    got = [b for b in scanned.blocks if isinstance(b, Table)]
    assert len(got) == len(page3)

    def values(t: Table) -> list[list[str]]:
        return [[c.text for c in row if c.text.replace(".", "").isdigit() or not c.text] for row in t.rows]

    assert [values(t) for t in got] == [values(t) for t in page3]


@pytest.mark.slow
def test_scan_of_corpus_002_checks_as_its_original(tmp_path: Path) -> None:
    """The whole of 002.pdf as an image-only PDF: the same cells as the text layer gives, the same
    arithmetic findings, and a note naming the pages read by OCR."""
    import pypdfium2 as pdfium
    from PIL import Image

    src = shared_path("corpus", "raw", "002.pdf")
    pdf = pdfium.PdfDocument(src.read_bytes())
    pages = [Image.fromarray(pdf[i].render(scale=200 / 72, grayscale=True).to_numpy()) for i in range(len(pdf))]
    pdf.close()
    path = tmp_path / "002-scan.pdf"
    pages[0].save(path, format="PDF", save_all=True, append_images=pages[1:], resolution=200)
    done: list[tuple[int, int]] = []
    scanned = check_path(path, progress=lambda k, n: done.append((k, n)))
    original = check_path(src)
    assert scanned.status == "ok"
    assert dict(scanned.report.cells()).keys() == dict(original.report.cells()).keys()
    for (k, a), (_, b) in zip(scanned.report.cells(), original.report.cells()):
        assert (a.kind, a.as_printed()) == (b.kind, b.as_printed()), k
    assert sorted(f.code for f in scanned.errors) == sorted(f.code for f in original.errors)
    assert scanned.ocr["pages"] == [1, 2, 3, 4, 5] and done[-1] == (5, 5)
    assert any(f.code == "ocr.pages-read" for f in scanned.findings)


def test_table_pictures_in_word_and_html_are_read(tmp_path: Path) -> None:
    """A report whose table is a picture (in a DOCX, and in an HTML page's own folder): the picture is
    read by OCR because the document has no table of its own; a picture path leaving the folder is not
    followed."""
    import docx
    from PIL import Image

    img = _scan(_page_pdf(), dpi=200)[440:1120, 150:1500]  # the table only
    png = tmp_path / "table.png"
    Image.fromarray(img).save(png, dpi=(200, 200))
    d = docx.Document()
    d.add_paragraph("二、主动公开政府信息情况")
    d.add_picture(str(png))
    d.save(tmp_path / "r.docx")
    doc = read_document(tmp_path / "r.docx")
    table = next(b for b in doc.blocks if isinstance(b, Table))
    assert [c.text for c in table.rows[3]] == ["行政许可", "4519", "", "60", "0"]
    assert doc.meta["ocr"]["images"] == 1

    (tmp_path / "page_files").mkdir()
    (tmp_path / "page_files" / "t.png").write_bytes(png.read_bytes())
    (tmp_path / "page.html").write_text('<html><body><p>二、主动公开政府信息情况</p>'
                                        '<img src="page_files/t.png"><img src="../../etc/hosts"></body></html>',
                                        encoding="utf-8")
    from gongkai.read.embedded import html_images

    assert len(html_images(tmp_path / "page.html", (tmp_path / "page.html").read_bytes())) == 1
    assert read_document(tmp_path / "page.html", ReadOptions(ocr=False)).meta.get("ocr") is None


def test_ink_in_a_table_but_in_no_cell_is_reported() -> None:
    from gongkai.read import pdf as pdf_reader

    g = pdf_reader.Grid([0.0, 40.0, 80.0], [0.0, 40.0], [pdf_reader.GridCell(0, 0, 1, 1, (0.0, 0.0, 40.0, 40.0))],
                        {(0, 0): 0})
    ink = np.zeros((40, 80), np.uint8)
    ink[10:30, 50:70] = 1          # in the square (0, 1), which belongs to no cell
    assert ocr._unplaced(g, ink, 1.0, 20) == [(40.0, 0.0, 80.0, 40.0)]
    report, text = _report_with_t3_row([0, 0, 0, 0, 0, 0, 0])
    found = ocr_findings(report, {"unplaced": [{"page": 2, "bbox": [40.0, 0.0, 80.0, 40.0]}]}, text)
    assert [f.code for f in found] == ["ocr.unplaced"] and found[0].positions[0]["page"] == 2


def test_a_label_a_scan_broke_by_one_stroke_is_read_as_the_forms_word() -> None:
    from gongkai.ocr_labels import snap

    assert snap("1.信访半报投诉类申请") == "1.信访举报投诉类申请"
    assert snap("五、存在的主要问趣及改进情况") == "五、存在的主要问题及改进情况"
    assert snap("1.信访举报投诉类申请") is None            # already the form's word
    assert snap("行政许河") is None                         # 行政处罚 / 行政强制 are nearly as close
    assert snap("本机关认真贯彻落实条例") is None            # prose is not a label
