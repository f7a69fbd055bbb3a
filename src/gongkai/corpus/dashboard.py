"""The supervising office's dashboard: agencies as a tree (parent → children) × years, each report's
status, the key indicators per year for the charts, and rankings within a parent.

Figures come from ``export_corpus.load_corpus`` (the same indicators as ``gongkai report``), so the
page, the CLI and the exports can never disagree.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from .compare import Indicators
from .export import load_rows
from ..store.reports import ReportStore
from .scorecard import signing_date

# Indicators drawn as charts: (field, Chinese name, kind) — counts are summed over the agencies shown,
# rates recomputed from the summed parts (never averaged).
CHARTS: tuple[tuple[str, str, str], ...] = (
    ("received", "本年新收申请（件）", "count"),
    ("disclosure_rate", "予以公开及部分公开占比（%）", "rate"),
    ("unable_share", "无法提供占比（%）", "rate"),
    ("carried_forward", "结转下年度（件）", "count"),
    ("reviews", "行政复议（件）", "count"),
    ("review_correction_rate", "行政复议纠错率（%）", "rate"),
    ("lawsuits", "行政诉讼（件）", "count"),
    ("lawsuit_correction_rate", "行政诉讼纠错率（%）", "rate"),
)
_RATE_PARTS = {
    "disclosure_rate": (("granted", "partial"), ("answered",)),
    "unable_share": (("unable",), ("answered",)),
    "review_correction_rate": (("reviews_corrected",), ("reviews",)),
    "lawsuit_correction_rate": (("lawsuits_corrected",), ("lawsuits",)),
}
STATUS_ZH = {"errors": "有错误", "warnings": "有警告", "ok": "通过", "missing": "缺报"}


@dataclass
class Slot:
    """One agency's report for one year, or its absence."""

    status: str                          # ok | warnings | errors | missing
    version_id: int | None = None
    errors: int = 0
    warnings: int = 0
    indicators: Indicators | None = None
    published: date | None = None        # the signing date printed at the end, when there is one
    late: bool | None = None             # published after 31 January of the next year (条例第五十条)

    @property
    def status_zh(self) -> str:
        return STATUS_ZH[self.status]


@dataclass
class Node:
    agency: str
    depth: int
    parent: str | None
    slots: dict[int, Slot] = field(default_factory=dict)


@dataclass
class Dashboard:
    years: list[int]
    nodes: list[Node]
    charts: dict[str, dict]              # field -> {"name", "kind", "values": {year: value}}
    rankings: dict[int, list[Indicators]]  # year -> reports of the subtree, best disclosure rate first
    counts: dict[str, int]


def _num(v) -> float | None:
    return None if v is None else float(v)


def _series(rows: list[Indicators], years: list[int]) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for fld, name, kind in CHARTS:
        values: dict[int, float | None] = {}
        for y in years:
            ys = [r for r in rows if r.year == y]
            if kind == "count":
                got = [getattr(r, fld) for r in ys if getattr(r, fld) is not None]
                values[y] = float(sum(got, Decimal(0))) if got else None
            else:
                num_f, den_f = _RATE_PARTS[fld]
                # Only reports that print every part take part: a blank part is unknown, not 0.
                use = [r for r in ys if all(getattr(r, f) is not None for f in num_f + den_f)]
                num = sum((Decimal(str(getattr(r, f))) for r in use for f in num_f), Decimal(0))
                den = sum((Decimal(str(getattr(r, f))) for r in use for f in den_f), Decimal(0))
                values[y] = round(float(100 * num / den), 1) if den else None
        out[fld] = {"name": name, "kind": kind, "values": values}
    return out


def published_dates(store: ReportStore) -> dict[tuple[str, int], date | None]:
    """The signing date of every latest version, from the tail of its last section, read in SQL (only
    the last 200 characters of one JSON field leave the database)."""
    from sqlalchemy import func, select

    from ..store.reports_tables import Agency, ReportVersion, StoredReport

    V, R, A = ReportVersion.__table__, StoredReport.__table__, Agency.__table__
    last = V.c.sections["other_matters"].as_string()
    tail = func.substr(last, -200) if store.engine.dialect.name == "sqlite" else func.right(last, 200)
    nv = select(V.c.report_id, func.max(V.c.version).label("n")).group_by(V.c.report_id).subquery()
    q = (select(A.c.name, R.c.year, tail).select_from(V.join(R, R.c.id == V.c.report_id).join(A, A.c.id == R.c.agency_id)
                                                     .join(nv, (nv.c.report_id == R.c.id) & (nv.c.n == V.c.version))))
    with store.engine.connect() as conn:
        return {(a, y): signing_date(t or "") for a, y, t in conn.execute(q)}


def generation(store: ReportStore) -> tuple:
    """What changes whenever the dashboard's figures can: versions stored, agencies added or re-linked
    (one cheap query over two tables)."""
    from sqlalchemy import func, select

    from ..store.reports_tables import Agency, ReportVersion

    V, A = ReportVersion.__table__, Agency.__table__
    with store.engine.connect() as conn:
        v = conn.execute(select(func.count(), func.max(V.c.id), func.max(V.c.ingested_at))).one()
        a = conn.execute(select(func.count(), func.max(A.c.id), func.sum(func.coalesce(A.c.parent_id, 0)),
                                func.sum(A.c.id * func.coalesce(A.c.parent_id, 0)))).one()
    return tuple(v) + tuple(a)


_CACHE: dict[tuple, Dashboard] = {}
_CACHE_SIZE = 16


def build(store: ReportStore, *, root: str | None = None, year_from: int | None = None,
          year_to: int | None = None, status: str | None = None) -> Dashboard:
    """The dashboard for the whole corpus, or for ``root`` and the agencies under it. A supervising office
    looks at it far more often than reports arrive: it is kept until the store's ``generation`` changes."""
    key = (str(store.engine.url), generation(store), root, year_from, year_to, status)
    hit = _CACHE.get(key)
    if hit is None:
        hit = _build(store, root=root, year_from=year_from, year_to=year_to, status=status)
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = hit
    return copy.copy(hit)   # callers narrow .nodes for the user's reach: never the cached list itself


def _build(store: ReportStore, *, root: str | None = None, year_from: int | None = None,
           year_to: int | None = None, status: str | None = None) -> Dashboard:
    rows_all = load_rows(store).rows        # indicators from SQL: no report is rebuilt
    infos = {a.name: a for a in store.agencies()}
    children: dict[str | None, list[str]] = {}
    for a in infos.values():
        children.setdefault(a.parent if a.parent in infos else None, []).append(a.name)
    root_name = store.rules.normalise(root) if root else None
    nodes: list[Node] = []

    def walk(name: str, depth: int) -> None:
        nodes.append(Node(name, depth, infos[name].parent))
        for c in sorted(children.get(name, [])):
            walk(c, depth + 1)

    for top in ([root_name] if root_name in infos else [] if root_name else sorted(children.get(None, []))):
        walk(top, 0)
    shown = {n.agency for n in nodes}
    rows = [r for r in rows_all if r.agency in shown and (year_from is None or r.year >= year_from)
            and (year_to is None or r.year <= year_to)]
    years = sorted({r.year for r in rows})
    latest = store.versions()
    versions = {(v.agency, v.year): v.version_id for v in latest}
    printed = published_dates(store)
    by = {(r.agency, r.year): r for r in rows}
    for n in nodes:
        for y in years:
            r = by.get((n.agency, y))
            if r is None:
                n.slots[y] = Slot("missing")
            else:
                st = "errors" if r.errors else "warnings" if r.warnings else "ok"
                when = printed.get((n.agency, y))
                n.slots[y] = Slot(st, versions.get((n.agency, y)), r.errors, r.warnings, r, when,
                                  None if when is None else when > date(y + 1, 1, 31))
    if status:
        nodes = [n for n in nodes if any(s.status == status for s in n.slots.values())]
    rankings = {y: sorted((r for r in rows if r.year == y),
                          key=lambda r: (r.disclosure_rate is None, -(r.disclosure_rate or 0), r.agency))
                for y in years}
    counts = {k: sum(1 for n in nodes for s in n.slots.values() if s.status == k) for k in STATUS_ZH}
    return Dashboard(years, nodes, _series(rows, years), rankings, counts)
