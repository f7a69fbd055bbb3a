"""Declared vocabulary of the prose checks: units, cue phrases, scope words.

Everything the prose reader recognises is listed here as data. Adding a phrasing seen in a real
report is a change to one of these tables, never a new ``if`` in the code that uses them.

Conventions for the cue tables:

* ``before`` is a regular expression searched in the *prefix* of a number: the text of its clause
  (back to the previous ``，；。：``) and never further back than the previous counted number, so
  ``涉及自然人72件、商业企业3件`` gives each number only its own words.
* ``after`` is matched at the start of the *suffix*: the text right after the unit, up to the
  next clause mark or number (``共收到70件申请`` and ``1件结转下年度继续办理`` put the decisive
  words after the number).
* Of the cues that apply, the one whose ``before`` match ends nearest the number wins; on a tie the
  longer match wins (``予以公开及部分公开`` beats ``部分公开``, ``同意公开答复`` beats ``答复``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# ---- numbers -------------------------------------------------------------------------------
# Units that make a number a count (or money) worth reading. 年/月/日, 号 and bare digits are not.
COUNT_UNITS: tuple[str, ...] = ("万元", "元", "件", "条", "项", "起", "个", "次", "份", "宗")
# Characters a Chinese numeral is built from. A token must hold a digit, not only 百/千/万.
CN_DIGITS = "零〇一二两三四五六七八九"
CN_NUMERAL_CHARS = CN_DIGITS + "十百千万亿"
# A Chinese numeral right after one of these is an ordinal or a word (第一次, 统一, 唯一), not a count.
CN_NOT_COUNT_BEFORE = "第每逐单统唯同之初"

# A Chinese numeral right after an opening quote names a slogan (“三个一”工作机制), not a count.
QUOTE_OPEN = "“「『\"‘《"
# Clause marks: the prefix of a number never reaches back over one of these.
# Not a line break: converters break lines inside sentences (无法提供\n\n72 件).
CLAUSE_MARKS = "，,；;。：:！!？?"
# Sentence ends (positions and scope are per sentence). Not ；: 全县共受理749件；共办理718件 is
# one statement of one scope.
# A sentence ends at a mark, or at a blank line before a heading (two patterns, SENTENCE_END
# being either: statements.py finds the two apart, which costs less).
SENTENCE_END_MARKS = "。！？!?"
SENTENCE_END_BREAK = r"\n\s*\n(?=\s*(?:#|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]))"
SENTENCE_END = re.compile(f"[{SENTENCE_END_MARKS}]|{SENTENCE_END_BREAK}")


# ---- statement cues ------------------------------------------------------------------------
# Units a count of requests, outcomes or documents is given in. Not 条: 条 counts information
# items (主动公开54条、依申请公开316条、不予公开13条 is about documents, not requests).
REQUEST_UNITS: tuple[str, ...] = ("件", "个", "份", "宗")
CASE_UNITS: tuple[str, ...] = ("件", "起", "宗", "个")
# Words in a number's prefix that make it a count of something else than information requests
# (人大建议答复2件, 政协提案答复7件, 网络问政, 12345 热线工单).
NON_REQUEST_CONTEXT = r"建议|提案|留言|来信|信件|问政|热线|工单|诉求|12345|政民互动|咨询件?(?:答复|回复)"


@dataclass(frozen=True)
class Cue:
    kind: str                 # what the number counts (see KINDS)
    before: str | None = None  # regex searched in the prefix (nearest match end wins)
    after: str | None = None   # regex matched at the start of the suffix
    ambiguous: bool = False    # the wording allows more than one reading: never more than a note
    units: tuple[str, ...] = REQUEST_UNITS
    not_with: str | None = NON_REQUEST_CONTEXT  # a prefix matching this is not this statement


# What each statement kind means (and, in checks.py, which table cells it is compared with).
KINDS: dict[str, str] = {
    "received": "收到申请",
    "handled": "办理申请（收到或办结，措辞不定）",
    "carried_over": "上年结转",
    "answered": "答复/办结",
    "carried_forward": "结转下年度",
    "granted": "予以公开",
    "partial": "部分公开",
    "granted_plus_partial": "予以公开及部分公开",
    "denied": "不予公开",
    "unable": "无法提供",
    "not_processed": "不予处理",
    "other": "其他处理",
    "withdrawn": "申请人主动撤销",
    "review": "行政复议",
    "litigation": "行政诉讼",
    "review_plus_litigation": "行政复议和行政诉讼",
    "normative_made": "本年制发规范性文件",
    "normative_in_force": "现行有效规范性文件",
}

_REQUEST_AFTER = r"\s*(?:份|条)?\s*(?:政府信息公开|信息公开|公开)?申请"
_NOT_AFTER_GONGKAI = r"(?<!公开)(?<!予以)"

CUES: tuple[Cue, ...] = (
    # carried forward / over first: 结转 alone is read by the nearest-and-longest rule.
    Cue("carried_forward", before=r"结转(?:至|到|入)?下(?:一)?(?:年度|年)|转入下(?:一)?年度?"),
    Cue("carried_forward", after=r"\s*(?:申请)?\s*(?:结转|转入)(?:至|到|入)?下(?:一)?(?:年度|年)"),
    Cue("carried_over", before=r"上(?:一)?年度?(?:结转|遗留)|结转上(?:一)?年度?|上年度?未办结"),
    Cue("carried_over", after=r"\s*(?:为|系)?上(?:一)?年度?(?:结转|遗留)"),
    # received: a verb of receiving and the word 申请, before the number or right after it.
    # 受理网络问政182件 is not a request: without 申请 there is no statement.
    # Between 申请 and the number only a few words (共计, 件, 数量为): a long gap is a list of
    # headings (收到和处理政府信息公开申请情况、…等6个部分), not a count.
    Cue("received", before=r"(?:收到|受理|新收|接收|接到|共收)(?!和处理)[^，。；：“”]*?申请(?:件|数量?|总数|总量)?[^，。；：、“”]{0,4}$"),
    Cue("received", before=r"(?:收到|受理|新收|接收|接到)(?!和处理)[^，。；：“”]{0,12}?$", after=_REQUEST_AFTER),
    # 办理 N件: received in some reports (平潭 2024), answered in others (沭阳 2025).
    Cue("handled", before=r"办理[^，。；：]*?申请[^，。；：]{0,6}$", ambiguous=True),
    Cue("handled", before=r"(?:共|累计|全年)办理\s*$", ambiguous=True),
    Cue("answered", before=_NOT_AFTER_GONGKAI + r"(?:答复|办结|回复|办理完毕|处理完毕|作出答复|予以答复)(?:了)?[^，。；：]{0,8}?$"),
    Cue("answered", before=r"(?:已|已经)(?:答复|办结|回复)的\s*$"),
    # outcomes
    Cue("granted_plus_partial", before=r"(?:予以公开|同意公开|全部公开)(?:及|和|与|、|或)(?:部分公开|区分处理)"),
    Cue("granted", before=r"(?<!不)(?:予以公开|同意公开(?:答复)?|准予公开|全部公开|公开答复)(?:数|的|类)?"),
    Cue("partial", before=r"(?:部分公开|区分处理(?:后公开)?)(?:数|的)?"),
    Cue("denied", before=r"不予公开(?:数|的)?"),
    Cue("unable", before=r"无法提供(?:数|的)?"),
    Cue("not_processed", before=r"不予处理(?:数|的)?"),
    Cue("other", before=r"(?:作|做)?其他处理(?:数|的)?"),
    Cue("withdrawn", before=r"(?:申请人)?(?:主动)?撤(?:销|回)(?:申请)?[”\"]?(?:的)?"),
    # review and litigation; "复议和诉讼共N件" names both and wins by length.
    Cue("review_plus_litigation", before=r"(?:行政)?复议(?:案件)?(?:和|及|与|、|或)(?:行政)?诉讼(?:案件)?[^，。；：]{0,6}$",
        units=CASE_UNITS),
    Cue("review", before=r"(?:行政复议|复议申请|复议案件)(?:案件?|申请)?[^，。；：、]{0,6}$", units=CASE_UNITS),
    # "其中未经复议直接起诉3件、复议后起诉10件" splits the lawsuits by route: parts, not two totals.
    Cue("litigation", before=r"(?:行政诉讼|行政应诉|起诉)(?:案件?)?[^，。；：、]{0,6}$", units=CASE_UNITS,
        not_with=NON_REQUEST_CONTEXT + r"|直接(?:提起)?(?:行政)?起诉[^，。；：、]{0,6}$|复议后(?:提起)?(?:行政)?(?:起诉|诉讼)[^，。；：、]{0,6}$"),
    # 表二 规范性文件
    Cue("normative_in_force", before=r"现行有效的?(?:行政)?规范性文件[^，。；：]{0,4}$"),
    Cue("normative_made", before=r"(?:制发|制定|出台|印发|新制发|新制定)的?(?:行政)?规范性文件[^，。；：]{0,4}$"),
)

# Sentences that state a zero in words (未收到…申请; 未发生…行政复议和行政诉讼).
@dataclass(frozen=True)
class ZeroCue:
    kinds: tuple[str, ...]
    pattern: str


ZERO_CUES: tuple[ZeroCue, ...] = (
    ZeroCue(("received",), r"(?:未|没有)(?:收到|受理|接到)[^。；，]{0,20}?申请"),
    # "未发生被申请行政复议和提起行政诉讼" names both, with their verbs between
    ZeroCue(("review", "litigation"),
            r"(?:未|没有)(?:发生|出现)[^。；，]{0,20}?(?:行政)?复议(?:和|及|与|、)(?:被)?(?:提起)?(?:行政)?诉讼"),
    ZeroCue(("review",),
            r"(?:未|没有)(?:发生|出现)[^。；，]{0,20}?行政复议(?!(?:和|及|与|、)(?:被)?(?:提起)?(?:行政)?诉讼)"),
    ZeroCue(("litigation",), r"(?:未|没有)(?:发生|出现)[^。；，]{0,20}?(?<![复议和及与、])行政诉讼"),
)

# ---- percentages ---------------------------------------------------------------------------
# Text between a count and a percentage that makes the percentage the count's share.
SHARE_BETWEEN = r"^[，,、\s]*(?:占比|占总数的|占全部申请的?|占申请总数的?|占|比例为|比重为)[^，。；\d%]{0,6}$"
# Text before a percentage that makes it a year-on-year change or a rate we do not recompute.
YOY_BEFORE = r"(?:同比|较上年|比上年|较去年|比去年|环比)[^，。；]{0,6}$"

# ---- scope ---------------------------------------------------------------------------------
# The reporting organ speaking of itself.
OWN_WORDS: tuple[str, ...] = (
    "本行政机关", "本机关", "我机关", "本单位", "我单位", "本部门", "我部门",
    "我局", "本局", "我委", "本委", "我办", "本办", "我厅", "本厅", "我院", "本院",
    "我署", "本署", "我中心", "本中心", "我会", "本会",
)
# A whole territory: its level is the last character. The reporting organ's own scope only when
# the organ is the government of a territory of that level (see GOVERNMENT_SUFFIXES).
REGION_PATTERN = r"(?:全|我|本)(?P<level>区|县|市|省|州|旗|镇|乡|街道)(?!域|场|级)"
# Every organ of the territory at once: the government's scope, nobody else's.
ALL_UNITS_PATTERN = r"各(?:有关)?(?:部门|单位|乡镇|镇|街道|镇街)|(?:区|县|市)直(?:各)?(?:部门|单位)|政府信息公开(?:工作)?单位|全(?:区|县|市)各(?:级|部门|单位)"
# One office or a sub-unit: never the report's own table.
SUB_UNIT_PATTERNS: tuple[str, ...] = (
    r"其中[^，。；、\d]{1,14}?(?:局|委|办|中心|院|所|镇|乡|街道|公司|大队|支队)(?=[^，。；]{0,4}\d)",
    r"(?:区|县|市)(?:人民)?政府办公室|(?:区|县|市)府办",
)
# Agency names that make the report a territory's government report.
GOVERNMENT_SUFFIXES: tuple[str, ...] = ("人民政府", "管委会", "管理委员会", "行政公署", "政府")
# Administrative level characters, for reading the level of a government from its name.
LEVEL_CHARS = "省市区县州旗镇乡"
# Place-name parts an agency name may drop in its own prose (上海市长宁区人社局 → 长宁区人社局).
GENERIC_NAME_TAILS: tuple[str, ...] = ("人民政府", "管委会", "管理委员会", "政府")
