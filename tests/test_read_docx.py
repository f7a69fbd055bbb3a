"""DOCX reader: documents written here with python-docx (merged cells, headings, order)."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest

from gongkai.blocks import Paragraph, Table
from gongkai.read import ReadError, read_document


def _write(tmp_path: Path, build) -> Path:
    d = docx.Document()
    build(d)
    path = tmp_path / "report.docx"
    d.save(path)
    return path


def _report(d) -> None:
    d.add_heading("某某局2023年政府信息公开工作年度报告", level=1)
    d.add_paragraph("一、总体情况")
    d.add_paragraph("本年共收到申请 21 件。")
    d.add_heading("三、收到和处理政府信息公开申请情况", level=2)
    t = d.add_table(rows=5, cols=5)
    t.cell(0, 0).merge(t.cell(1, 1))          # 2×2 top-left block
    t.cell(0, 0).text = "（本列数据的勾稽关系）"
    t.cell(0, 2).merge(t.cell(0, 4)).text = "申请人情况"
    t.cell(1, 2).text = "自然人"
    t.cell(1, 3).text = "商业企业"
    t.cell(1, 4).text = "总计"
    vertical = t.cell(2, 0).merge(t.cell(4, 0))  # vertical label, one character per paragraph
    vertical.text = "三"
    for ch in "、办理结果":
        vertical.add_paragraph(ch)
    for r, (label, nums) in enumerate([("（一）予以公开", ("3", "", "3")), ("（二）部分公开", ("0", "0", "0")),
                                       ("（七）总计", ("3", "/", "3"))], start=2):
        t.cell(r, 1).text = label
        for c, v in enumerate(nums, start=2):
            t.cell(r, c).text = v
    d.add_paragraph("四、政府信息公开行政复议、行政诉讼情况")


def test_docx_order_headings_and_merged_cells(tmp_path: Path) -> None:
    doc = read_document(_write(tmp_path, _report))
    assert doc.kind == "docx"
    kinds = [type(b).__name__ for b in doc.blocks]
    assert kinds == ["Paragraph", "Paragraph", "Paragraph", "Paragraph", "Table", "Paragraph"]
    title, _, body, h2, table, after = doc.blocks
    assert title.heading_level == 1 and h2.heading_level == 2 and body.heading_level is None
    assert body.text == "本年共收到申请 21 件。"
    assert after.text.startswith("四、")

    assert isinstance(table, Table) and table.n_rows == 5
    top_left = table.rows[0][0]
    assert (top_left.text, top_left.rowspan, top_left.colspan) == ("（本列数据的勾稽关系）", 2, 2)
    applicant = table.rows[0][1]
    assert (applicant.text, applicant.col, applicant.colspan) == ("申请人情况", 2, 3)
    # Row 1 holds only the three column heads: the merged block is not repeated.
    assert [(c.text, c.col) for c in table.rows[1]] == [("自然人", 2), ("商业企业", 3), ("总计", 4)]
    label = table.rows[2][0]
    assert (label.text, label.rowspan, label.col) == ("三、办理结果", 3, 0)
    assert [c.text for c in table.rows[2]] == ["三、办理结果", "（一）予以公开", "3", "", "3"]
    # Rows below the vertical label start at column 1; blank stays "", "/" stays "/".
    assert [(c.text, c.col) for c in table.rows[4]] == [("（七）总计", 1), ("3", 2), ("/", 3), ("3", 4)]
    assert all(c.source.table == 4 and c.source.row == c.row and c.source.col == c.col
               for row in table.rows for c in row)


def test_docx_cell_text_traced_by_offsets(tmp_path: Path) -> None:
    doc = read_document(_write(tmp_path, _report))
    table = doc.blocks[4]
    cell = table.rows[2][2]
    assert doc.text[cell.source.start:cell.source.end] == "3"
    para = doc.blocks[2]
    assert doc.text[para.source.start:para.source.end] == para.text


def test_docx_line_breaks_and_two_tables(tmp_path: Path) -> None:
    def build(d) -> None:
        p = d.add_paragraph("第一行")
        p.add_run().add_break()
        p.add_run("第二行")
        d.add_table(rows=1, cols=2).rows[0].cells[0].text = "甲"
        d.add_table(rows=1, cols=2).rows[0].cells[1].text = "乙"

    doc = read_document(_write(tmp_path, build))
    assert isinstance(doc.blocks[0], Paragraph) and doc.blocks[0].text == "第一行\n第二行"
    t1, t2 = doc.blocks[1], doc.blocks[2]
    assert [c.text for c in t1.rows[0]] == ["甲", ""]
    assert [c.text for c in t2.rows[0]] == ["", "乙"]


def test_xlsx_renamed_to_docx_is_unsupported(tmp_path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active["A1"] = 21
    buf = io.BytesIO()
    wb.save(buf)
    path = tmp_path / "report.docx"
    path.write_bytes(buf.getvalue())
    with pytest.raises(ReadError) as e:
        read_document(path)
    assert e.value.code == "read.unsupported-type"


def test_corrupt_docx(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("word/document.xml", "<not-word/>")
    path = tmp_path / "broken.docx"
    path.write_bytes(buf.getvalue())
    with pytest.raises(ReadError) as e:
        read_document(path)
    assert e.value.code in ("read.corrupt", "read.unsupported-type")
