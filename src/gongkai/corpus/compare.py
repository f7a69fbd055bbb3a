"""Key indicators per report, rankings among siblings and trends per agency.

One row per report (its latest version). Counts come straight from the tables; a count whose cell is
blank, text or missing is ``None``, never 0, and a rate with a ``None`` or zero denominator is ``None``.

* 披露率 disclosure rate = (予以公开 + 部分公开) / 办结（（七）总计）
* 无法提供占比 = 无法提供 (the three 无法提供 rows) / 办结
* 纠错率 correction rate = 结果纠正 / (结果维持 + 结果纠正 + 其他结果), i.e. among concluded cases
* 排名 within a parent: among reports of the same year whose agencies share a parent (1 = most requests,
  highest disclosure rate); 同比 trend: this year's received requests over the agency's previous year.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Iterable

from ..formats import load_format
from ..model import Number, Report

# (field, Chinese header): the export's columns, in order.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("agency", "机关"),
    ("parent", "上级机关"),
    ("year", "年度"),
    ("version", "版本"),
    ("format", "格式"),
    ("received", "本年新收申请"),
    ("carried_over", "上年结转"),
    ("answered", "办结总计"),
    ("granted", "予以公开"),
    ("partial", "部分公开"),
    ("disclosure_rate", "公开率"),
    ("unable", "无法提供"),
    ("unable_share", "无法提供占比"),
    ("carried_forward", "结转下年度"),
    ("reviews", "行政复议"),
    ("reviews_corrected", "复议纠正"),
    ("review_correction_rate", "复议纠错率"),
    ("lawsuits", "行政诉讼"),
    ("lawsuits_corrected", "诉讼纠正"),
    ("lawsuit_correction_rate", "诉讼纠错率"),
    ("received_rank", "新收申请排名（同级）"),
    ("disclosure_rank", "公开率排名（同级）"),
    ("peers", "同级机关数"),
    ("received_prev", "上年新收申请"),
    ("received_change", "新收申请同比"),
    ("errors", "错误"),
    ("warnings", "警告"),
    ("sha256", "文件SHA-256"),
    ("path", "文件"),
)
HEADERS = dict(COLUMNS)
RATES = {"disclosure_rate", "unable_share", "review_correction_rate", "lawsuit_correction_rate", "received_change"}


@dataclass
class Indicators:
    agency: str
    year: int
    parent: str | None = None
    version: int = 1
    format: str = ""
    received: Number | None = None
    carried_over: Number | None = None
    answered: Number | None = None
    granted: Number | None = None
    partial: Number | None = None
    disclosure_rate: float | None = None
    unable: Number | None = None
    unable_share: float | None = None
    carried_forward: Number | None = None
    reviews: Number | None = None
    reviews_corrected: Number | None = None
    review_correction_rate: float | None = None
    lawsuits: Number | None = None
    lawsuits_corrected: Number | None = None
    lawsuit_correction_rate: float | None = None
    received_rank: int | None = None
    disclosure_rank: int | None = None
    peers: int | None = None
    received_prev: Number | None = None
    received_change: float | None = None
    errors: int = 0
    warnings: int = 0
    sha256: str = ""
    path: str = ""

    def as_row(self) -> dict[str, object]:
        return {k: _plain(getattr(self, k)) for k, _ in COLUMNS}


@dataclass(frozen=True)
class Placed:
    """A report with where it sits: what ``indicators`` needs besides the tables."""

    agency: str
    year: int
    report: Report
    parent: str | None = None
    version: int = 1
    sha256: str = ""
    path: str = ""
    errors: int = 0
    warnings: int = 0


def indicators(p: Placed) -> Indicators:
    r = p.report
    total = _num(r, "t3.total.total")
    granted, partial = _num(r, "t3.granted.total"), _num(r, "t3.partial.total")
    # Blank 无法提供 rows add nothing; if all three are blank the count is unknown (None), not 0.
    unable = _sum(r, [f"t3.unable.{k}.total" for k in ("not_held", "need_creation", "unclear")])
    rev = {c: _num(r, f"t4.review.{c}") for c in ("upheld", "corrected", "other", "total")}
    lit = {c: _sum(r, [f"t4.litigation_direct.{c}", f"t4.litigation_after_review.{c}"])
           for c in ("upheld", "corrected", "other", "total")}
    return Indicators(
        agency=p.agency, year=p.year, parent=p.parent, version=p.version, format=r.format,
        received=_num(r, "t3.new_received.total"), carried_over=_num(r, "t3.carried_over.total"), answered=total,
        granted=granted, partial=partial,
        disclosure_rate=_rate(None if granted is None or partial is None else granted + partial, total),
        unable=unable, unable_share=_rate(unable, total), carried_forward=_num(r, "t3.carried_forward.total"),
        reviews=rev["total"], reviews_corrected=rev["corrected"], review_correction_rate=_correction(rev),
        lawsuits=lit["total"], lawsuits_corrected=lit["corrected"], lawsuit_correction_rate=_correction(lit),
        errors=p.errors, warnings=p.warnings, sha256=p.sha256, path=p.path,
    )


def compare(placed: Iterable[Placed]) -> list[Indicators]:
    """Indicators for every report, with rankings among siblings and the change on the previous year."""
    rows = [indicators(p) for p in placed]
    _rank(rows)
    _trend(rows)
    return sorted(rows, key=lambda i: (i.parent or i.agency, i.parent is not None, i.agency, i.year))


def _rank(rows: list[Indicators]) -> None:
    groups: dict[tuple[str, int], list[Indicators]] = defaultdict(list)
    for i in rows:
        if i.parent:
            groups[(i.parent, i.year)].append(i)
    for peers in groups.values():
        for i in peers:
            i.peers = len(peers)
        _rank_by(peers, "received", "received_rank")
        _rank_by(peers, "disclosure_rate", "disclosure_rank")


def _rank_by(peers: list[Indicators], attr: str, out: str) -> None:
    # Competition ranking (1, 2, 2, 4): ties share a rank. Reports without the value get no rank.
    values = sorted((getattr(i, attr) for i in peers if getattr(i, attr) is not None), reverse=True)
    for i in peers:
        v = getattr(i, attr)
        setattr(i, out, None if v is None else values.index(v) + 1)


def _trend(rows: list[Indicators]) -> None:
    by = {(i.agency, i.year): i for i in rows}
    for i in rows:
        prev = by.get((i.agency, i.year - 1))
        if prev is None:
            continue
        i.received_prev = prev.received
        if prev.received and i.received is not None:
            i.received_change = float(Decimal(i.received) / Decimal(prev.received) - 1)


def trends(rows: Iterable[Indicators], field_name: str = "received") -> dict[str, dict[int, object]]:
    """agency -> {year: value} for one indicator, for a per-agency time series."""
    out: dict[str, dict[int, object]] = defaultdict(dict)
    for i in rows:
        out[i.agency][i.year] = _plain(getattr(i, field_name))
    return {a: dict(sorted(ys.items())) for a, ys in sorted(out.items())}


def cell_label(format_id: str, key: str, variant: str | None = None) -> str:
    """A cell key as an office reads it: ``t3.granted.natural`` → ``表三「（一）予以公开」自然人``."""
    return load_format(format_id).cell_words(key, variant)


# ---- helpers ----------------------------------------------------------------------------------
def _num(r: Report, key: str) -> Number | None:
    try:
        return r.cell(key).number_or_none()
    except (KeyError, ValueError, StopIteration):
        return None


def _sum(r: Report, keys: list[str]) -> Number | None:
    values = [v for v in (_num(r, k) for k in keys) if v is not None]
    return sum(values) if values else None


def _rate(num: Number | None, den: Number | None) -> float | None:
    if num is None or not den:
        return None
    return float(Decimal(num) / Decimal(den))


def _correction(c: dict[str, Number | None]) -> float | None:
    parts = [c["upheld"], c["corrected"], c["other"]]
    if any(v is None for v in parts):
        return None
    return _rate(c["corrected"], sum(parts))


def _plain(v: object) -> object:
    return float(v) if isinstance(v, Decimal) else v
