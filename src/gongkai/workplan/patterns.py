"""Declared vocabulary of 工作要点 notices: numbering styles, department markers, document kinds.

Everything the parser recognises by wording lives here, so a variant seen in the wild is a data change
in this file rather than a new branch in the parser.
"""
from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class HeadingStyle:
    """One numbering style. `rank` orders styles from outermost (1) inwards; `label` rebuilds a
    normalised label from the captured number so that "(一)" and "（一）" give the same heading path."""

    rank: int
    pattern: re.Pattern[str]
    label: str  # format string with {n}


CN_NUMERAL = "一二三四五六七八九十百零〇"

# Outermost first. The Arabic styles refuse a following digit so that "2023年" or "1.5亿元" at the
# start of a wrapped line is not taken for a heading.
HEADING_STYLES: tuple[HeadingStyle, ...] = (
    HeadingStyle(0, re.compile(rf"^第(?P<n>[{CN_NUMERAL}]+)部分[、：:\s]*"), "第{n}部分"),
    HeadingStyle(1, re.compile(rf"^(?P<n>[{CN_NUMERAL}]+)[、．.]\s*"), "{n}"),
    HeadingStyle(2, re.compile(rf"^[（(](?P<n>[{CN_NUMERAL}]+)[）)][、．.]?\s*"), "（{n}）"),
    HeadingStyle(3, re.compile(r"^(?P<n>\d{1,2})[.．、](?!\d)\s*"), "{n}."),
    HeadingStyle(4, re.compile(r"^[（(](?P<n>\d{1,2})[）)][、．.]?\s*"), "（{n}）"),
    HeadingStyle(5, re.compile(r"^(?P<n>[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳])\s*"), "{n}"),
)

# A heading line without sentence punctuation and at most this many characters is taken as a bare
# heading (its body follows in the next paragraph). A longer one without a full stop is a heading
# sentence cut by a page break, and the next fragment continues it.
BARE_HEADING_MAX_CHARS = 20

# Ends of a complete paragraph: a fragment ending otherwise was cut by a page or line break.
PARAGRAPH_END = tuple("。！？；：!?;:）)】」』”’")
SENTENCE_END = "。！？!?"
OPEN_CLOSE_PAIRS = (("（", "）"), ("(", ")"), ("“", "”"), ("【", "】"), ("《", "》"), ("「", "」"))

# Lines that carry no content: page numbers as printed in 公文 ("— 3 —", "-3-").
NOISE_LINE = re.compile(r"^[—\-－–\s]*\d{1,3}[—\-－–\s]*$|^第\s*\d+\s*页(共\s*\d+\s*页)?$")
# Markup left by conversions to text (Markdown headings, bold).
MARKUP_PREFIX = re.compile(r"^(#{1,6}\s+|\*\*)|\*\*$")

# After the plan body the 公文 closes with these; nothing after them is a task.
CLOSING_LINE = re.compile(
    r"^(抄送|抄报|主送)[：:]"
    r"|^\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$"
    r"|^.{0,30}\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*(印发|印制)$"
    r"|^（此件(不)?(主动)?公开(发布)?）$"
)

# --- departments -----------------------------------------------------------------------------

# A labelled clause: "责任部门：办公室、信息中心", "牵头单位：X；配合单位：Y".
DEPARTMENT_LABEL = re.compile(
    r"(?P<label>(?:责任|牵头|配合|协办|承办|主办|负责|参与|落实)(?:部门|单位|处室|科室|机构|司局))\s*[：:]"
)
# Labels whose departments support rather than lead.
SUPPORTING_LABEL_PREFIXES = ("配合", "协办", "参与")

# An unlabelled clause naming roles: "（国务院办公厅牵头，各地区各部门按职责分工负责）".
# Longest suffix first so that "按职责分工负责" is not read as "…按职责分工" + "负责".
ROLE_SUFFIXES: tuple[tuple[str, bool], ...] = (  # (suffix, leads)
    ("按职责分工负责", False),
    ("分别负责", True),
    ("牵头负责", True),
    ("共同负责", True),
    ("牵头", True),
    ("负责", True),
    ("配合", False),
    ("参与", False),
    ("协办", False),
)
# Within a clause, "；" separates the leading group from those who assist
# ("责任部门：办公室；相关处室、局属单位").
LEAD_GROUP_SEPARATOR = re.compile(r"[；;]")
DEPARTMENT_NAME_SEPARATOR = re.compile(r"[、，,／/]|\s+和\s+")
DEPARTMENT_NAME_TRIM = "。.，,：:；; 　等"

# --- what kind of document -------------------------------------------------------------------

# A title naming one of these is a work plan. 《…》 spans are removed before looking, so a report
# that merely cites "《2023年政务公开工作要点》" is not mistaken for one.
WORKPLAN_TITLE_MARKERS = ("工作要点", "工作计划", "重点工作安排", "任务分工", "重点任务清单", "任务清单")

# Documents people are likely to feed in by mistake, named in the refusal message.
OTHER_DOCUMENT_KINDS: tuple[tuple[str, str], ...] = (
    ("工作年度报告", "政府信息公开工作年度报告"),
    ("年度报告", "年度报告"),
    ("工作总结", "工作总结"),
)

# Sections that frame the plan rather than assign work: not tasks unless they name departments.
NON_TASK_HEADINGS = ("总体要求", "指导思想", "总体目标", "工作目标", "主要目标", "基本原则", "工作原则")

DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,12}[〔\[［(（]\d{4}[〕\]］)）]\s*\d+\s*号")
PLAN_YEAR = re.compile(r"(20\d{2})\s*年")
