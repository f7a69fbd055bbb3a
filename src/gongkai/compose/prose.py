"""Prose of a composed report, generated from the same figures as its tables.

``generate_sections(report, ...)`` writes the body text of the six sections (keys of the report's
format: overview, proactive, requests, review_litigation, problems, other_matters; paragraphs
separated by "\\n", no headings):

* 一 — the office's own text, then the requests paragraph from 表三 (prose_requests.py);
* 二 — 表二 in words (prose_tables.py), then the office's text;
* 三 — a sentence pointing at 表三, then the office's text;
* 四 — 表四 in words (prose_tables.py), then the office's text;
* 五 — the office's text only;
* 六 — the office's text, the workplan draft, the 信息处理费 sentence (prose_other.py).

Every figure a generated sentence states is recorded as a ``Claim``. ``verify_composed`` re-reads
the text with gongkai's own prose checks (gongkai.prose) against the tables and returns every
disagreement, including a claim the reader does not find: "correct by construction" is checked,
not assumed. Prompts tell the office what it still has to write or fix.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from ..model import Report
from ..prose import extract_statements, prose_findings
from .prose_common import Claim, Prompt, fmt_number
from .prose_other import FeeFigures, other_matters
from .prose_requests import requests_paragraph, requests_section
from .prose_tables import proactive_paragraph, review_litigation_paragraph

__all__ = ["Claim", "ComposedText", "Disagreement", "FeeFigures", "Prompt", "generate_sections",
           "verify_composed", "composed_report"]

OFFICE_SECTIONS = ("overview", "problems")  # sections that are the office's own writing at heart


@dataclass
class ComposedText:
    sections: dict[str, str]
    prompts: list[Prompt] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"sections": dict(self.sections), "prompts": [p.to_dict() for p in self.prompts],
                "claims": [c.to_dict() for c in self.claims]}


@dataclass(frozen=True)
class Disagreement:
    """Generated text that gongkai's prose reader does not read as the tables say."""

    code: str       # a prose.* finding code, or compose.claim-not-read
    section: str | None
    message: str

    def to_dict(self) -> dict:
        return {"code": self.code, "section": self.section, "message": self.message}


# 一、总体情况 of the 2021 guidance has its own sub-headings （一）主动公开 （二）依申请公开 （三）政府信息管理 …; a
# sub-heading opens a line or follows a full stop (offices write them inline too), never "第（二）项".
_SUB = r"(?:^|(?<=[。；\n]))[ \t　]*（{n}）"


def _under_requests_heading(office: str | None, requests_text: str) -> str:
    """The office's 一 with the generated request paragraph at the end of its （二）依申请公开 part (before （三）),
    not after （五）; appended when the office's text has no such sub-heading."""
    import re

    text = (office or "").strip()
    two = re.search(_SUB.format(n="二"), text, re.M)
    if not two:
        return _paragraphs(text, requests_text)
    three = re.compile(_SUB.format(n="三"), re.M).search(text, two.end())
    if not three:
        return _paragraphs(text, requests_text)
    return _paragraphs(text[:three.start()], requests_text, text[three.start():])


def _paragraphs(*parts: str | None) -> str:
    return "\n".join(line.strip() for part in parts if part for line in part.splitlines() if line.strip())


def generate_sections(report: Report, *, last_year: Report | None = None,
                      office_text: dict[str, str] | None = None, workplan_draft: str | None = None,
                      fees: FeeFigures | None = None) -> ComposedText:
    """The six sections' body text, the claims they make, and prompts for what is missing."""
    keys = [s.key for s in report.spec.sections]
    office = dict(office_text or {})
    unknown = sorted(set(office) - set(keys))
    if unknown:
        raise ValueError(f"未知的章节：{'、'.join(unknown)}（可用：{'、'.join(keys)}） (unknown section keys)")
    claims: list[Claim] = []
    prompts: list[Prompt] = []

    requests_text, c, p = requests_paragraph(report, last_year)
    claims += c
    prompts += p
    proactive_text, c, p = proactive_paragraph(report)
    claims += c
    prompts += p
    review_text, c, p = review_litigation_paragraph(report)
    claims += c
    prompts += p
    six_text, p = other_matters(report, office.get("other_matters"), workplan_draft, fees)
    prompts += p

    sections = {
        "overview": _under_requests_heading(office.get("overview"), requests_text),
        "proactive": _paragraphs(proactive_text, office.get("proactive")),
        "requests": _paragraphs(requests_section(report), office.get("requests")),
        "review_litigation": _paragraphs(review_text, office.get("review_litigation")),
        "problems": _paragraphs(office.get("problems")),
        "other_matters": six_text,
    }
    titles = {s.key: f"{s.number}、{s.title}" for s in report.spec.sections}
    for key in OFFICE_SECTIONS:
        if not (office.get(key) or "").strip():
            prompts.append(Prompt(key, "compose.office-text-missing",
                                  f"“{titles[key]}”需由本机关撰写，尚未提供。",
                                  f"section {key} is the office's own text and is still missing"))
    return ComposedText({k: sections[k] for k in keys}, prompts, claims)


def composed_report(report: Report, composed: ComposedText) -> Report:
    """A copy of the report carrying the composed sections (tables and findings shared, not copied)."""
    return dataclasses.replace(report, sections=dict(composed.sections))


def verify_composed(report: Report, composed: ComposedText) -> list[Disagreement]:
    """Every disagreement between the composed text and the tables, as gongkai's prose module reads it.

    Two checks: (1) ``prose_findings`` on the report with the composed sections — any finding is a
    disagreement (it also covers numbers in the office's own text); (2) every claim with a statement
    kind must be read back from its section with that value and share, so a sentence the reader
    silently skips cannot pass as agreeing.
    """
    target = composed_report(report, composed)
    out = [Disagreement(f.code, (f.positions[0].get("section") if f.positions else None), f.message)
           for f in prose_findings(target)]
    statements = extract_statements(target.sections, target.agency)
    for claim in composed.claims:
        if claim.kind is None:
            continue
        found = [s for s in statements if s.section == claim.section and s.kind == claim.kind
                 and s.value == claim.value and s.scope.is_own]
        if claim.percent is not None:
            found = [s for s in found if s.percent is not None and s.percent.value == claim.percent]
        if not found:
            share = f"，占{claim.percent}%" if claim.percent is not None else ""
            out.append(Disagreement(
                "compose.claim-not-read", claim.section,
                f"生成的文字应表述{claim.kind}={fmt_number(claim.value)}{share}（{', '.join(claim.cells)}），"
                f"但正文核对模块未能读出。"))
    return out

