"""A composed report as one standalone HTML page for the office's website.

UTF-8, ``lang="zh-CN"``, inline CSS only (no fonts or scripts fetched: government sites often
forbid outside resources), a Chinese font stack that names the office fonts first and ends in
faces every system has. Tables are the grids of ``layout`` with real ``rowspan``/``colspan``;
header cells are ``<th>``. The vertical 三、本年度办理结果 label is turned upright by CSS
(``writing-mode``), so its text stays one word for readers, screen readers and copy-paste.
"""
from __future__ import annotations

from html import escape
from pathlib import Path

from ...model import Report
from .layout import HEADER, LABEL, NOTE, GridCell, TableLayout, document

SERIF = '"仿宋_GB2312", "仿宋", FangSong, STFangsong, "Noto Serif CJK SC", "Source Han Serif SC", "宋体", SimSun, serif'
SANS = '"黑体", SimHei, "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "Source Han Sans SC", sans-serif'
TITLE = '"方正小标宋简体", "方正小标宋_GBK", "华文中宋", STZhongsong, "宋体", SimSun, "Noto Serif CJK SC", serif'

CSS = f"""
body {{ margin: 0; background: #f4f4f4; }}
main {{ max-width: 56em; margin: 2em auto; padding: 3em 4em; background: #fff; color: #000;
       font: 16px/1.8 {SERIF}; }}
h1 {{ font: normal 26px/1.5 {TITLE}; text-align: center; margin: 0 0 1.5em; }}
h2 {{ font: normal 18px/1.8 {SANS}; margin: 1.2em 0 0.4em; text-indent: 2em; }}
p {{ margin: 0; text-indent: 2em; text-align: justify; }}
.table {{ overflow-x: auto; margin: 0.8em 0 1.2em; }}
table {{ border-collapse: collapse; margin: 0 auto; font-size: 13px; line-height: 1.5; }}
th, td {{ border: 1px solid #000; padding: 0.3em 0.35em; text-align: center; vertical-align: middle;
          font-weight: normal; }}
td.left {{ text-align: left; }}
td.vertical {{ writing-mode: vertical-rl; text-orientation: upright; letter-spacing: 0.3em;
               text-align: center; }}
td.value {{ white-space: nowrap; }}
"""


def render_html(report: Report) -> str:
    """The report as a complete HTML page (a str; write it as UTF-8)."""
    out = document(report)
    parts = ["<!DOCTYPE html>", '<html lang="zh-CN">', "<head>", '<meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             f"<title>{escape(out.title)}</title>", f"<style>{CSS}</style>", "</head>", "<body>", "<main>",
             f"<h1>{escape(out.title)}</h1>"]
    parts += [f"<p>{escape(text)}</p>" for text in out.preamble]
    for section in out.sections:
        parts.append(f"<h2>{escape(section.heading)}</h2>")
        parts += [f"<p>{escape(text)}</p>" for text in section.paragraphs]
        if section.table is not None:
            parts.append(_table(section.table))
    parts += ["</main>", "</body>", "</html>", ""]
    return "\n".join(parts)


def _table(layout: TableLayout) -> str:
    total = sum(layout.widths)
    cols = "".join(f'<col style="width:{100 * w / total:.2f}%">' for w in layout.widths)
    rows = []
    for r, cells in enumerate(layout.rows()):
        section = "thead" if r < layout.header_rows else "tbody"
        rows.append((section, "<tr>" + "".join(_cell(layout, c) for c in cells) + "</tr>"))
    head = "\n".join(tr for s, tr in rows if s == "thead")
    body = "\n".join(tr for s, tr in rows if s == "tbody")
    return (f'<div class="table"><table class="{layout.name}"><colgroup>{cols}</colgroup>\n'
            + (f"<thead>\n{head}\n</thead>\n" if head else "") + f"<tbody>\n{body}\n</tbody></table></div>")


def _cell(layout: TableLayout, c: GridCell) -> str:
    tag = "th" if c.role in (HEADER, NOTE) else "td"
    classes = [c.role]
    if c.vertical:
        classes.append("vertical")
    elif c.role == LABEL and layout.name == "table3" and (c.col != 1 or c.colspan > 1):
        classes.append("left")  # 表三's row labels read left to right, as on the form
    attrs = f' class="{" ".join(classes)}"'
    if c.rowspan > 1:
        attrs += f' rowspan="{c.rowspan}"'
    if c.colspan > 1:
        attrs += f' colspan="{c.colspan}"'
    if c.key:
        attrs += f' data-cell="{c.key}"'
    return f"<{tag}{attrs}>{escape(c.text) if c.text else '&nbsp;'}</{tag}>"


def write_html(report: Report, path: str | Path) -> Path:
    """Write ``render_html(report)`` to ``path`` as UTF-8 and return the path."""
    p = Path(path)
    p.write_text(render_html(report), encoding="utf-8")
    return p


__all__ = ["render_html", "write_html", "CSS"]
