"""The text/Markdown reader: pipe and tab tables, headings, comments."""
from __future__ import annotations

from gongkai.blocks import Paragraph, Table
from gongkai.read.text import blocks_from_text


def test_pipe_table_under_a_heading():
    blocks = blocks_from_text("## 三、收到和处理\n\n| 项目 | 自然人 |\n| --- | --- |\n| 一、本年新收 | 3 |\n")
    assert isinstance(blocks[0], Paragraph) and blocks[0].heading_level == 2
    assert isinstance(blocks[1], Table)
    assert [[c.text for c in row] for row in blocks[1].rows] == [["项目", "自然人"], ["一、本年新收", "3"]]


def test_markdown_comment_dashes_are_not_dash_cells():
    # a comment's "--" before a table was once read as dash values of the next row
    text = ("<!-- 表格已展平 -- 见 DOCX -->\n| 行政复议 | 3 |\n"
            "<!-- a comment\nover -- two lines -->\n正文一段。\n")
    blocks = blocks_from_text(text)
    assert [type(b).__name__ for b in blocks] == ["Table", "Paragraph"]
    assert blocks[1].text == "正文一段。"
    assert text[blocks[1].source.start:blocks[1].source.end] == "正文一段。"
