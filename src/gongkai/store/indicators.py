"""Key indicators in SQL: written per version at ingest, ranked, paged and counted by the database.

``indicator_values`` is ``gongkai.corpus.compare.indicators`` of one report, kept exactly (a Decimal count as its
string, rates as the floats compare computes). ``indicator_page`` does in SQL what ``compare.compare``
does over rebuilt reports: latest versions only, competition ranks among reports of the same parent and
year (a report without the value gets no rank and does not push others down), the
previous year's received requests, the corpus order, and LIMIT/OFFSET. The page is chosen first and
only its groups are ranked, so a page costs little more at 100,000 reports than at 100.
"""
from __future__ import annotations

import bisect
from decimal import Decimal

from sqlalchemy import Connection, and_, collate, func, insert, select
from sqlalchemy.sql import ColumnElement

from ..corpus.compare import Indicators, Placed, indicators
from ..model import Report
from .reports_tables import Agency, ReportVersion, StoredIndicators, StoredReport

A, R, V, I = Agency.__table__, StoredReport.__table__, ReportVersion.__table__, StoredIndicators.__table__
COUNT_FIELDS = ("received", "carried_over", "answered", "granted", "partial", "unable", "carried_forward", "reviews",
                "reviews_corrected", "lawsuits", "lawsuits_corrected")
RATE_FIELDS = ("disclosure_rate", "unable_share", "review_correction_rate", "lawsuit_correction_rate")
_CHUNK = 500


def indicator_values(report: Report) -> dict:
    ind = indicators(Placed(report.agency or "", report.year or 0, report))
    out: dict = {k: _dump(getattr(ind, k)) for k in COUNT_FIELDS}
    out.update({k: getattr(ind, k) for k in RATE_FIELDS})
    return out


def indicator_row(version_id: int, report: Report) -> dict:
    values = indicator_values(report)
    received = _load(values["received"])
    return {"version_id": version_id, "received": None if received is None else float(received),
            "disclosure_rate": values["disclosure_rate"], "values": values}


def backfill(conn: Connection) -> int:
    """Indicators for every stored version that has none (the ``rep_0002`` migration); returns how many."""
    from .reports import load_views, versions_on

    have = set(conn.execute(select(I.c.version_id)).scalars())
    infos = [v for v in versions_on(conn, latest_only=False) if v.version_id not in have]
    for k in range(0, len(infos), _CHUNK):
        rows = [indicator_row(view.info.version_id, view.report) for view in load_views(conn, infos[k:k + _CHUNK])]
        if rows:
            conn.execute(insert(I), rows)
    return len(infos)


def _binary(col: ColumnElement, dialect: str) -> ColumnElement:
    """Order by code point, as Python sorts strings (PostgreSQL's default collation follows the locale)."""
    return collate(col, "C") if dialect == "postgresql" else col


def _latest(*where: ColumnElement):
    """The latest version of every report with its agency, parent and year (and the two ranked numbers).
    The latest version is found per report through the unique (report_id, version) index, never by
    grouping every version of the corpus."""
    parent = A.alias("parent")
    V2 = V.alias("v2")
    newest = select(func.max(V2.c.version)).where(V2.c.report_id == R.c.id).scalar_subquery()
    return (select(V.c.id.label("vid"), A.c.id.label("agency_id"), A.c.name.label("agency"), A.c.parent_id,
                   parent.c.name.label("parent"), R.c.year, I.c.received, I.c.disclosure_rate)
            .select_from(R.join(A, A.c.id == R.c.agency_id).outerjoin(parent, parent.c.id == A.c.parent_id)
                         .join(V, and_(V.c.report_id == R.c.id, V.c.version == newest))
                         .outerjoin(I, I.c.version_id == V.c.id))
            .where(*where))


def indicator_page(conn: Connection, *, agency: str | None = None, year: int | None = None,
                   limit: int | None = None, offset: int = 0) -> tuple[list[Indicators], int]:
    """The page's rows are chosen in the corpus order over narrow rows (no window over the corpus); then
    only what the page needs is read: the rows of its (parent, year) groups for the ranks and peers, its
    agencies' previous years, and the page's values."""
    cond = [c for c in ((A.c.name == agency) if agency is not None else None,
                        (R.c.year == year) if year is not None else None) if c is not None]
    dialect = conn.dialect.name
    q = _latest(*cond)
    sub = q.subquery()
    ordered = (select(sub).order_by(_binary(func.coalesce(sub.c.parent, sub.c.agency), dialect),
                                    sub.c.parent_id.is_not(None), _binary(sub.c.agency, dialect), sub.c.year))
    if limit is not None:
        ordered = ordered.limit(limit).offset(offset)
    page = conn.execute(ordered).all()
    # every report has a version (both are written in one transaction): the filter's reports
    total = conn.execute(select(func.count()).select_from(R.join(A, A.c.id == R.c.agency_id)).where(*cond)
                         ).scalar() or 0
    ranks = _group_ranks(conn, {(r.parent_id, r.year) for r in page if r.parent_id is not None})
    prev = _previous_years(conn, {(r.agency_id, r.year) for r in page})
    wanted = sorted({r.vid for r in page} | set(prev.values()))
    wide: dict[int, object] = {}
    for k in range(0, len(wanted), _CHUNK):
        for w in conn.execute(select(V.c.id, V.c.version, V.c.format, V.c.sha256, V.c.path, V.c.n_errors,
                                     V.c.n_warnings, I.c["values"]).select_from(V.outerjoin(I, I.c.version_id == V.c.id))
                              .where(V.c.id.in_(wanted[k:k + _CHUNK]))):
            wide[w.id] = w
    out = []
    for r in page:
        received_rank, disclosure_rank, peers = ranks.get(r.vid, (None, None, None))
        pv = prev.get((r.agency_id, r.year))
        out.append(_indicators(r, wide[r.vid], wide.get(pv) if pv is not None else None,
                               received_rank, disclosure_rank, peers))
    return out, total


def _group_ranks(conn: Connection, groups: set[tuple[int, int]]) -> dict[int, tuple[int | None, int | None, int]]:
    """vid → (received rank, disclosure rank, peers) for the latest reports of the given (parent, year)
    groups: competition ranks, highest first; a report without the value has no rank and pushes no one
    down; peers are all the group's reports."""
    members: dict[tuple[int, int], list] = {g: [] for g in groups}
    parents, years = sorted({p for p, _ in groups}), sorted({y for _, y in groups})
    for k in range(0, len(parents), _CHUNK):
        for r in conn.execute(_latest(A.c.parent_id.in_(parents[k:k + _CHUNK]), R.c.year.in_(years))):
            if (r.parent_id, r.year) in members:
                members[(r.parent_id, r.year)].append(r)
    out: dict[int, tuple[int | None, int | None, int]] = {}
    for rows in members.values():
        received = sorted(m.received for m in rows if m.received is not None)
        disclosure = sorted(m.disclosure_rate for m in rows if m.disclosure_rate is not None)

        def rank(value: float | None, values: list[float]) -> int | None:
            # 1 + how many have more
            return None if value is None else 1 + len(values) - bisect.bisect_right(values, value)

        for m in rows:
            out[m.vid] = (rank(m.received, received), rank(m.disclosure_rate, disclosure), len(rows))
    return out


def _previous_years(conn: Connection, keys: set[tuple[int, int]]) -> dict[tuple[int, int], int]:
    """(agency id, year) → the latest version of the same agency's report of the year before."""
    agencies, years = sorted({a for a, _ in keys}), sorted({y - 1 for _, y in keys})
    out: dict[tuple[int, int], int] = {}
    for k in range(0, len(agencies), _CHUNK):
        for r in conn.execute(_latest(A.c.id.in_(agencies[k:k + _CHUNK]), R.c.year.in_(years))):
            if (r.agency_id, r.year + 1) in keys:
                out[(r.agency_id, r.year + 1)] = r.vid
    return out


def _indicators(row, wide, prev_wide, received_rank, disclosure_rank, peers) -> Indicators:
    values = wide.values or {}
    ind = Indicators(agency=row.agency, year=row.year, parent=row.parent, version=wide.version, format=wide.format,
                     errors=wide.n_errors, warnings=wide.n_warnings, sha256=wide.sha256, path=wide.path,
                     received_rank=received_rank, disclosure_rank=disclosure_rank, peers=peers)
    for k in COUNT_FIELDS:
        setattr(ind, k, _load(values.get(k)))
    for k in RATE_FIELDS:
        setattr(ind, k, values.get(k))
    if prev_wide is not None:   # as compare._trend: last year's received
        ind.received_prev = _load((prev_wide.values or {}).get("received"))
        if ind.received_prev and ind.received is not None:
            ind.received_change = float(Decimal(ind.received) / Decimal(ind.received_prev) - 1)
    return ind


def _dump(v):
    return str(v) if isinstance(v, Decimal) else v


def _load(v):
    return Decimal(v) if isinstance(v, str) else v
