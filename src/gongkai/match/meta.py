"""Report-level facts from the text: title, agency, year, the six sections, the format."""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..formats import Format, all_formats, format_for_year
from ..text import normalize_label

# One character of an agency's name as printed: Chinese, Latin letters and digits (half or full width: 第1区,
# 第１区), brackets and the middle dot. Every one is kept: 示例市第1区交通运输局 and 示例市第2区交通运输局 are
# two agencies (only Chinese characters were kept before, and both became 区交通运输局).
_NAME_CHAR = r"[\u3400-\u9fff\uf900-\ufaffA-Za-z0-9\uff10-\uff19\uff21-\uff3a\uff41-\uff5a（）()〔〕【】［］·・]"
_NOT_YEAR = r"(?!(?:19|20)\d{2}\s*年)"  # a name never runs on over the report's year
_NAME = rf"(?:{_NOT_YEAR}{_NAME_CHAR})"
_TITLE = re.compile(
    rf"(?P<pre>[\u3400-\u9fff\uf900-\ufaff]{_NAME}{{1,59}}?)?\s*(?P<year>20\d{{2}})\s*年度?\s*(?P<post>{_NAME}{{0,60}}?)\s*"
    r"(?:政府)?信息公开(?:工作)?(?:年度)?(?:报告|年报)\s*(?:[(（](?P<paren>[\u4e00-\u9fff]{2,40})[)）])?")
# Width is folded for letters and digits only (第１区 is 第1区); every other character stays as printed.
_WIDTH = str.maketrans({chr(c): chr(c - 0xFEE0) for c in (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B),
                                                          *range(0xFF41, 0xFF5B))})
_META_TITLE = re.compile(r"^\s*(?:标题|title)\s*[:：]\s*(.+)$", re.M | re.I)
_NUMERALS = "一二三四五六"


@dataclass
class Meta:
    title: str | None
    agency: str | None
    year: int | None


def _clean_agency(name: str) -> str | None:
    name = re.sub(r"\s+", "", name).translate(_WIDTH)
    name = re.sub(r"^(关于|印发|转发)", "", name.strip(" 　#:："))
    name = re.sub(r"(关于)$", "", name)
    return name or None


def find_meta(text: str) -> Meta:
    """Title, agency and year from the lines before the first section (titles wrap over lines)."""
    head = text[:4000]
    m_title = _META_TITLE.search(head)
    lines = [ln.strip(" #\t") for ln in head.splitlines() if ln.strip()]
    first_sec = next((i for i, ln in enumerate(lines) if re.match(r"^一\s*[、.．]", ln)), min(len(lines), 6))
    joined = "".join(lines[:min(first_sec, 6)])
    candidates = ([m_title.group(1)] if m_title else []) + [joined] + lines[:15] + [head]
    for line in candidates:
        m = _TITLE.search(line)
        if m:
            agency = (_clean_agency(m.group("pre") or "") or _clean_agency(m.group("post") or "")
                      or _clean_agency(m.group("paren") or ""))
            return Meta(m.group(0).strip(), agency, int(m.group("year")))
    return Meta(None, None, None)


def find_sections(text: str, fmt: Format) -> dict[str, tuple[int, int]]:
    """Spans of the six sections in ``text``, found in order by number + title words."""
    spans: dict[str, int] = {}
    pos = 0
    starts: list[tuple[str, int, int]] = []
    for sec in fmt.sections:
        pat = re.compile(rf"{sec.number}\s*[、.．，,]\s*(?:[^\n。]{{0,16}}?)(?:{'|'.join(map(re.escape, sec.patterns))})")
        m = pat.search(text, pos)
        if m:
            starts.append((sec.key, m.start(), m.end()))
            pos = m.end()
    for (key, a, _b), nxt in zip(starts, starts[1:] + [(None, len(text), len(text))]):
        spans[key] = (a, nxt[1])
    return spans


def detect_format(norm_text: str, year: int | None) -> tuple[Format, dict[str, int]]:
    """The format whose marker labels occur most; the report year breaks a tie."""
    counts = {f.id: sum(1 for m in f.markers if normalize_label(m) in norm_text) for f in all_formats()}
    best = max(counts.values())
    leaders = [f for f in all_formats() if counts[f.id] == best]
    if len(leaders) == 1 and best > 0:
        return leaders[0], counts
    return format_for_year(year), counts


# Words only the statistics tables of a report print: text that has them holds (part of) a table.
_TABLE_WORDS = ("本年新收", "上年结转", "勾稽关系", "主动公开政府信息情况", "行政复议", "予以公开")


def report_evidence(text: str, meta: Meta, sections: dict[str, tuple[int, int]], fmt: Format) -> dict | None:
    """What says a document the matcher cannot read is an annual report all the same, as the parameters of
    the ``read.report-not-matched`` finding; None when nothing does (it is simply not a report).

    A report whose tables were lost (an image, a page nested too deep, a misread encoding) is then an
    error that says what was found and what was not, never a quiet "not an annual report".
    """
    found, found_en = [], []
    if meta.title:
        found.append(f"标题「{meta.title}」")
        found_en.append(f"title '{meta.title}'")
    numbers = [s.number for s in fmt.sections if s.key in sections]
    if numbers:
        found.append(f"第{'、'.join(numbers)}部分")
        found_en.append(f"{len(numbers)} of the {len(fmt.sections)} sections")
    words = [w for w in _TABLE_WORDS if w in text]
    if words:
        found.append(f"表格用语「{'」「'.join(words)}」")
        found_en.append(f"{len(words)} table label(s)")
    if not meta.title or len(found) < 2:
        return None
    missing = ["未找到表三“本年新收政府信息公开申请数量”一行"]
    missing_en = ["Table 3's row 本年新收政府信息公开申请数量 was not found"]
    if len(numbers) < 3:
        missing.append(f"只找到 {len(numbers)} 个部分（共 {len(fmt.sections)} 个）")
        missing_en.append(f"only {len(numbers)} of {len(fmt.sections)} sections were found")
    return {"evidence": "，".join(found), "evidence_en": ", ".join(found_en), "missing": "，".join(missing),
            "missing_en": " and ".join(missing_en)}
