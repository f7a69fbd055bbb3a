"""Stored reports as the pages and the API need them: one version with its place in the corpus, its
findings (its own and the cross-year ones), last year's report, the review decisions — loaded once,
for every adapter."""
from __future__ import annotations

from dataclasses import dataclass

from .compare import Placed
from .crossyear import carry_over, jumps, stock_flow
from ..findings import Finding
from ..model import Report
from ..store.reports import ReportStore, VersionInfo
from . import reviews, sources


class NotFound(LookupError):
    pass


@dataclass
class Loaded:
    info: VersionInfo
    report: Report
    findings: list[Finding]            # the report's own findings, then the cross-year ones
    previous: Report | None
    previous_info: VersionInfo | None
    decisions: dict[str, reviews.Decision]
    has_source: bool


def parents(store: ReportStore) -> dict[str, str | None]:
    return {a.name: a.parent for a in store.agencies()}


def version(store: ReportStore, version_id: int) -> VersionInfo:
    infos = store.versions(latest_only=False, version_id=version_id)
    if not infos:
        raise NotFound(f"没有编号为 {version_id} 的报告")
    return infos[0]


def _placed(info: VersionInfo, report: Report) -> Placed:
    return Placed(info.agency, info.year, report, info.parent, info.version, info.sha256, info.path, info.n_errors,
                  info.n_warnings)


def load(store: ReportStore, version_id: int) -> Loaded:
    info = version(store, version_id)
    report = store.load(version_id)
    prev_infos = store.versions(agency=info.agency, year=info.year - 1)
    prev_info = prev_infos[0] if prev_infos else None
    previous = store.load(prev_info.version_id) if prev_info else None
    findings = list(report.findings)
    if previous is not None:
        last, this = _placed(prev_info, previous), _placed(info, report)
        findings += carry_over(last, this) + stock_flow(last, this) + jumps(last, this)
    return Loaded(info, report, findings, previous, prev_info, reviews.decisions(store.engine, info.sha256),
                  sources.has(store.engine, info.sha256))


# ---- two reports side by side ---------------------------------------------------------------------
INDICATOR_ROWS = ("received", "carried_over", "answered", "granted", "partial", "disclosure_rate", "unable",
                  "unable_share", "carried_forward", "reviews", "review_correction_rate", "lawsuits",
                  "lawsuit_correction_rate")


@dataclass
class Comparison:
    a: VersionInfo
    b: VersionInfo
    diff: object                              # compose.diff.ReportDiff (a against b)
    indicators: list[tuple[str, object, object, object]]   # name, a, b, a − b (None where not both numbers)


def compare_two(store: ReportStore, a_id: int, b_id: int | None = None) -> Comparison:
    """Report ``a`` against ``b``; without ``b``, against the same agency's previous year."""
    from .compare import HEADERS, RATES, indicators
    from ..compose.diff import diff_reports

    a = version(store, a_id)
    if b_id is None:
        prev = store.versions(agency=a.agency, year=a.year - 1)
        if not prev:
            raise NotFound(f"没有{a.agency}{a.year - 1}年的报告可供比较")
        b = prev[0]
    else:
        b = version(store, b_id)
    ra, rb = store.load(a.version_id), store.load(b.version_id)
    ia, ib = indicators(_placed(a, ra)), indicators(_placed(b, rb))
    rows = []
    for k in INDICATOR_ROWS:
        x, y = getattr(ia, k), getattr(ib, k)
        d = None
        if x is not None and y is not None:
            d = round(float(x) - float(y), 1) if k in RATES else x - y
        rows.append((HEADERS[k], x, y, d))
    return Comparison(a, b, diff_reports(ra, rb), rows)
