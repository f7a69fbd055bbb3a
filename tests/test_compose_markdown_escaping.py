"""Composed Markdown passed <script>/onerror from the sections and the title through unescaped (composed HTML
escaped them). Markdown renders raw HTML, so document text must arrive as text."""
from __future__ import annotations

from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from gongkai.check import check_path
from gongkai.compose.build import compose
from gongkai.compose.figures import report_from_compact
from gongkai.compose.render.markdown import render_markdown, write_markdown
from gongkai.formats import load_format

HOSTILE = ["<script>alert(1)</script>", '<img src=x onerror="alert(1)">', "[点我](javascript:alert(1))",
           "<a href='x'>链接</a>", "**粗** _斜_ `代码` \\ & < >"]


def _figures(text: str) -> dict:
    t3 = {r.key: [0] * 7 for r in load_format("2021").table3.rows_for("split")}
    return {"agency": "某县审计局", "year": 2025, "title": f"某县审计局2025年政府信息公开工作年度报告{text}",
            "table2": {"regulations": {"made": 0, "repealed": 0, "in_force": 0},
                       "normative_documents": {"made": 0, "repealed": 0, "in_force": 0},
                       "licensing": {"decisions": 0}, "penalty": {"decisions": 0}, "coercion": {"decisions": 0},
                       "fees": {"amount_10k_yuan": 0}},
            "table3": t3, "sections": {"problems": f"一是{text}不够。", "other_matters": f"本年度未收取信息处理费。{text}"},
            "table4": {"review": [0] * 5, "litigation_direct": [0] * 5, "litigation_after_review": [0] * 5}}


@pytest.mark.parametrize("text", HOSTILE)
def test_composed_markdown_escapes_markup_from_sections_and_title(text: str, tmp_path: Path):
    comp = compose(report_from_compact(_figures(text)))
    assert not comp.refused
    md = render_markdown(comp.report)
    html = MarkdownIt("commonmark").render(md)
    for bad in ("<script", "<img", "onerror=\"", "href=\"javascript", "<a href", "<strong>", "<em>", "<code>"):
        assert bad not in html, (bad, html[:400])
    # and the text is shown as it was written, in the title and the sections
    import html as h
    shown = h.unescape(html)
    assert shown.count(text) >= 2, shown
    # the escaped document still reads back cell for cell
    path = write_markdown(comp.report, tmp_path / "r.md")
    back = check_path(path)
    assert back.status == "ok" and not back.errors
