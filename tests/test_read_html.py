"""HTML reader: pages written here (spans, GBK, nested layout tables, Word markup) and the real 032.html."""
from __future__ import annotations

from pathlib import Path

from conftest import shared_path

from gongkai.blocks import Paragraph, Table
from gongkai.read import read_document
from gongkai.read.html import blocks_from_html, decode

TABLE3_HEAD = """
<table border="1">
 <tr><td colspan="2" rowspan="2">（本列数据的勾稽关系）</td><td colspan="3">申请人情况</td></tr>
 <tr><td>自然人</td><td>商业<br>企业</td><td>总计</td></tr>
 <tr><td rowspan="2">三<br>、<br>本<br>年</td><td>（一）予以公开</td><td>3</td><td>&nbsp;</td><td>3</td></tr>
 <tr><td>（二）部分公开</td><td>0</td><td>/</td><td>-</td></tr>
</table>"""


def _tables(blocks) -> list[Table]:
    return [b for b in blocks if isinstance(b, Table)]


def test_spans_blank_cells_and_vertical_label() -> None:
    (table,) = _tables(blocks_from_html(f"<html><body>{TABLE3_HEAD}</body></html>"))
    assert table.n_rows == 4
    head = table.rows[0][0]
    assert (head.rowspan, head.colspan) == (2, 2)
    assert [(c.text, c.col) for c in table.rows[1]] == [("自然人", 2), ("商业企业", 3), ("总计", 4)]
    label = table.rows[2][0]
    assert (label.text, label.rowspan) == ("三、本年", 2)
    assert [c.text for c in table.rows[2]] == ["三、本年", "（一）予以公开", "3", "", "3"]
    # the row under the vertical label starts in column 1; blank, "/" and "-" kept apart
    assert [(c.text, c.col) for c in table.rows[3]] == [("（二）部分公开", 1), ("0", 2), ("/", 3), ("-", 4)]


def test_gbk_page_with_meta_charset(tmp_path: Path) -> None:
    page = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head>'
            f"<body><h2>三、收到和处理政府信息公开申请情况</h2>{TABLE3_HEAD}</body></html>")
    path = tmp_path / "page.htm"
    path.write_bytes(page.encode("gbk"))
    doc = read_document(path)
    assert doc.kind == "html"
    heading = doc.blocks[0]
    assert isinstance(heading, Paragraph) and heading.heading_level == 2
    assert heading.text == "三、收到和处理政府信息公开申请情况"
    assert _tables(doc.blocks)[0].rows[1][1].text == "商业企业"


def test_gbk_without_declaration_and_utf8_bom() -> None:
    body = "<p>本年新收申请数量：二十一件</p>"
    assert "二十一件" in decode(body.encode("gb18030"))
    assert decode(b"\xef\xbb\xbf" + body.encode("utf-8")).startswith("<p>本年")
    # a page that declares GBK but is really UTF-8 still decodes
    assert "二十一件" in decode(b'<meta charset="gbk">' + body.encode("utf-8"))


def test_nested_layout_table_chrome_and_word_markup() -> None:
    page = f"""<html><head><title>站点</title><style>td {{color: red}}</style></head><body>
    <script>var x = "<table><tr><td>9</td></tr></table>";</script>
    <nav><a href="/">首页</a></nav>
    <table width="100%"><tr><td>网站导航 | 政务公开</td></tr>
      <tr><td>
        <p class=MsoNormal><span><font face="仿宋">一、总体</font></span><span>情况<o:p></o:p></span></p>
        <p>第一行<br>第二行</p>
        <div style="display:none">隐藏的文字</div>
        {TABLE3_HEAD}
        <table border="1"><tr><td>行政复议</td><td>结果维持</td></tr><tr><td>1</td><td><o:p>&nbsp;</o:p></td></tr></table>
      </td></tr>
      <tr><td>版权所有 某某县人民政府</td></tr>
    </table></body></html>"""
    blocks = blocks_from_html(page)
    texts = [b.text for b in blocks if isinstance(b, Paragraph)]
    assert texts == ["网站导航 | 政务公开", "一、总体情况", "第一行\n第二行", "版权所有 某某县人民政府"]
    tables = _tables(blocks)
    assert len(tables) == 2  # the inner data tables, not the layout table around them
    assert tables[1].rows[1][1].text == ""
    # document order: inner tables come between the paragraphs around them
    kinds = [type(b).__name__ for b in blocks]
    assert kinds == ["Paragraph", "Paragraph", "Paragraph", "Table", "Table", "Paragraph"]


def test_table_in_pieces_and_sources(tmp_path: Path) -> None:
    page = ("<body><table><tr><td>一、本年新收</td><td>21</td></tr></table>\n"
            "<table><tr><td>二、上年结转</td><td>0</td></tr></table></body>")
    path = tmp_path / "p.html"
    path.write_text(page, encoding="utf-8")
    doc = read_document(path)
    t1, t2 = _tables(doc.blocks)
    assert [c.text for c in t2.rows[0]] == ["二、上年结转", "0"]
    cell = t2.rows[0][1]
    assert (cell.source.table, cell.source.row, cell.source.col, cell.source.line) == (1, 0, 1, 2)
    assert doc.text[cell.source.start:cell.source.end] == "0"


def test_real_032_table3_legal_person_columns_blank() -> None:
    path = shared_path("corpus", "raw", "032.html")
    doc = read_document(path)
    tables = _tables(doc.blocks)
    table3 = next(t for t in tables if any("本年新收" in c.text for row in t.rows for c in row))
    rows = {row[0].text: row for row in table3.rows if row and row[0].col == 0}
    new = rows["一、本年新收政府信息公开申请数量"]
    assert new[0].colspan == 3
    assert [c.text for c in new[1:]] == ["26", "", "", "", "", "", "26"]
    assert [c.col for c in new[1:]] == [3, 4, 5, 6, 7, 8, 9]
    # every data row: the five 法人或其他组织 columns (4..8) are blank strings, never "0"
    data_rows = [row for row in table3.rows if any(c.col == 9 for c in row) and row[-1].text.isdigit()]
    assert len(data_rows) == 25
    for row in data_rows:
        by_col = {c.col: c.text for c in row}
        assert [by_col[c] for c in range(4, 9)] == [""] * 5
    label = next(c for row in table3.rows for c in row if c.text == "三、本年度办理结果")
    assert (label.rowspan, label.col) == (22, 0)
    # table 四: one data row of 15 cells, 尚未审结 = 1
    table4 = next(t for t in tables if t.rows and t.rows[0][0].text == "行政复议")
    assert [c.text for c in table4.rows[-1]] == ["0", "0", "0", "1", "1"] + ["0"] * 10
    # the section headings are paragraphs, in order before their tables
    heads = [b.text for b in doc.blocks if isinstance(b, Paragraph) and b.text[:2] in ("三、", "四、")]
    assert heads[:2] == ["三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况"]
