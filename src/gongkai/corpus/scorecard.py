"""A report's scorecard: the points supervisors score annual reports on, each linked to the
findings behind it. The points, their weights and parameters are data (``scorecard.yaml``); this
module holds only the assessments they name.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Callable

import yaml

from ..compose.diff import section_reuse
from ..findings import Finding
from ..model import Report

DEFAULT = Path(__file__).with_name("scorecard.yaml")
_DATE = re.compile(r"(20\d\d)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")


@dataclass(frozen=True)
class Point:
    key: str
    label: str
    weight: float
    passed: bool | None                   # None: cannot be assessed from what is known
    note: str
    findings: list[int] = field(default_factory=list)   # indices into the findings judged

    @property
    def score(self) -> float | None:
        return None if self.passed is None else (self.weight if self.passed else 0.0)


@dataclass(frozen=True)
class Scorecard:
    points: list[Point]

    @property
    def assessed_weight(self) -> float:
        return sum(p.weight for p in self.points if p.passed is not None)

    @property
    def total(self) -> float | None:
        """Score out of 100 over the points that could be assessed."""
        base = self.assessed_weight
        if not base:
            return None
        return round(100 * sum(p.score or 0 for p in self.points) / base, 1)


@lru_cache(maxsize=4)
def load_criteria(path: str | None = None) -> tuple[dict, ...]:
    data = yaml.safe_load(Path(path or DEFAULT).read_text(encoding="utf-8"))
    out = tuple(data["criteria"])
    for c in out:
        if c["test"] not in _TESTS:
            raise ValueError(f"scorecard: unknown test {c['test']!r} in {path or DEFAULT}")
    return out


def publication_date(report: Report) -> date | None:
    """The signing date (落款) at the end of the report, when one is printed there."""
    return signing_date("\n".join(v for v in report.sections.values() if v))


def signing_date(text: str) -> date | None:
    """The last date printed in the last 200 characters of a text (where a report is signed)."""
    found = list(_DATE.finditer(text[-200:]))
    if not found:
        return None
    y, m, d = (int(x) for x in found[-1].groups())
    try:
        return date(y, m, d)
    except ValueError:
        return None


@dataclass
class _Ctx:
    report: Report
    findings: list[Finding]
    previous: Report | None
    published: date | None


def _published(c: dict, x: _Ctx) -> tuple[bool | None, str, list[int]]:
    when = x.published or publication_date(x.report)
    if when is None or x.report.year is None:
        return None, "报告未载明发布日期", []
    deadline = date(x.report.year + 1, 1, 31)
    if when <= deadline:
        return True, f"{when:%Y年%m月%d日}发布，不晚于{deadline:%Y年%m月%d日}", []
    return False, f"{when:%Y年%m月%d日}发布，晚于{deadline:%Y年%m月%d日}", []


def _sections(c: dict, x: _Ctx) -> tuple[bool | None, str, list[int]]:
    spec = x.report.spec.sections
    missing = [f"{s.number}、{s.title}" for s in spec if not (x.report.sections.get(s.key) or "").strip()]
    if missing:
        return False, "缺少：" + "；".join(missing), []
    return True, "六个部分均有内容", []


def _matches(c: dict, f: Finding) -> bool:
    sev = c.get("severities")
    return (sev is None or f.severity.value in sev) and any(f.code.startswith(p) for p in c.get("codes", []))


def _no_findings(c: dict, x: _Ctx) -> tuple[bool | None, str, list[int]]:
    if c.get("needs_previous") and x.previous is None:
        return None, "未存储上一年度报告，无法核对", []
    hits = [i for i, f in enumerate(x.findings) if _matches(c, f)]
    if hits:
        return False, f"{len(hits)} 条相关发现", hits
    return True, "无相关发现", []


def _reuse(c: dict, x: _Ctx) -> tuple[bool | None, str, list[int]]:
    if x.previous is None:
        return None, "未存储上一年度报告，无法比较", []
    worst: tuple[float, str] | None = None
    names = {s.key: f"{s.number}、{s.title}" for s in x.report.spec.sections}
    for key, text in x.report.sections.items():
        prev = x.previous.sections.get(key) or ""
        if not text or not prev:
            continue
        share = section_reuse(key, text, prev).reuse_percent
        if share is not None and (worst is None or share > worst[0]):
            worst = (float(share), names.get(key, key))
    if worst is None:
        return None, "没有可比较的部分", []
    ok = worst[0] <= c.get("max_share", 50)
    return ok, f"与上年相同文字占比最高的是{worst[1]}：{worst[0]:.1f}%", []


def _statements(c: dict, x: _Ctx) -> tuple[bool | None, str, list[int]]:
    text = x.report.sections.get(c["section"]) or ""
    missing = [p for p in c["patterns"] if not re.search(p, text)]
    if not text.strip():
        return False, "该部分没有内容", []
    if missing:
        return False, "未见：" + "、".join(p.split("|")[0] for p in missing), []
    return True, "均有说明", []


_TESTS: dict[str, Callable[[dict, _Ctx], tuple[bool | None, str, list[int]]]] = {
    "published_by_deadline": _published,
    "all_sections": _sections,
    "no_findings": _no_findings,
    "text_reuse": _reuse,
    "section_statements": _statements,
}


def score(report: Report, findings: list[Finding] | None = None, *, previous: Report | None = None,
          published: date | None = None, criteria_path: str | None = None) -> Scorecard:
    """Score a report; ``findings`` default to the report's own (pass cross-year ones in too)."""
    x = _Ctx(report, list(report.findings if findings is None else findings), previous, published)
    points = []
    for c in load_criteria(criteria_path):
        passed, note, hits = _TESTS[c["test"]](c, x)
        points.append(Point(c["key"], c["label"], float(c["weight"]), passed, note, hits))
    return Scorecard(points)
