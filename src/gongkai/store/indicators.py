"""Key indicators in SQL: written per version at ingest, ranked, paged and counted by the database.

``indicator_values`` is ``gongkai.corpus.compare.indicators`` of one report, kept exactly (a Decimal count as its
string, rates as the floats compare computes). ``indicator_page`` does in SQL what ``compare.compare``
does over rebuilt reports: latest versions only, competition ranks among reports of the same parent and
year (window functions; a report without the value gets no rank and does not push others down), the
previous year's received requests, the corpus order, and LIMIT/OFFSET — so a page costs the same at
100,000 reports as at 100.
"""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import Connection, and_, case, collate, func, insert, select
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


def indicator_page(conn: Connection, *, agency: str | None = None, year: int | None = None,
                   limit: int | None = None, offset: int = 0) -> tuple[list[Indicators], int]:
    """The windows (ranks, peers, previous year) run over narrow rows — ids, years, the two ranked numbers
    and the names to order by — and only the page's rows fetch their values afterwards."""
    parent = A.alias("parent")
    nv = select(V.c.report_id, func.max(V.c.version).label("n")).group_by(V.c.report_id).subquery()
    narrow = (select(V.c.id.label("vid"), A.c.id.label("agency_id"), A.c.name.label("agency"), A.c.parent_id,
                     parent.c.name.label("parent"), R.c.year, I.c.received, I.c.disclosure_rate)
              .select_from(V.join(nv, and_(nv.c.report_id == V.c.report_id, nv.c.n == V.c.version))
                           .join(R, R.c.id == V.c.report_id).join(A, A.c.id == R.c.agency_id)
                           .outerjoin(parent, parent.c.id == A.c.parent_id)
                           .outerjoin(I, I.c.version_id == V.c.id)))
    if year is not None:   # ranks are within a year, the trend needs the year before: nothing else matters
        narrow = narrow.where(R.c.year.in_([year, year - 1]))
    base = narrow.cte("latest")
    b = base.c

    def rank(col):
        # blanks sort last, so they push no one down; they get no rank themselves
        return case((and_(b.parent_id.is_not(None), col.is_not(None)),
                     func.rank().over(partition_by=[b.parent_id, b.year], order_by=col.desc().nulls_last())),
                    else_=None)

    # the previous year's row of the same agency, by a window over the agency's years (no self-join)
    by_agency = {"partition_by": [b.agency_id], "order_by": b.year}
    ranked = (select(b.vid, b.agency, b.parent, b.parent_id, b.year,
                     rank(b.received).label("received_rank"), rank(b.disclosure_rate).label("disclosure_rank"),
                     case((b.parent_id.is_not(None), func.count().over(partition_by=[b.parent_id, b.year])),
                          else_=None).label("peers"),
                     func.lag(b.year).over(**by_agency).label("prev_year"),
                     func.lag(b.vid).over(**by_agency).label("prev_vid"))
              .select_from(base)).subquery("ranked")
    r = ranked.c
    cond = []
    if agency is not None:
        cond.append(r.agency == agency)
    if year is not None:
        cond.append(r.year == year)
    dialect = conn.dialect.name
    q = (select(ranked).where(*cond)
         .order_by(_binary(func.coalesce(r.parent, r.agency), dialect), r.parent_id.is_not(None),
                   _binary(r.agency, dialect), r.year))
    if limit is not None:
        q = q.limit(limit).offset(offset)
    page = conn.execute(q).all()
    # the count needs no ranks: the filter's rows of the latest versions
    base_cond = [c for c in ((b.agency == agency) if agency is not None else None,
                             (b.year == year) if year is not None else None) if c is not None]
    total = conn.execute(select(func.count()).select_from(base).where(*base_cond)).scalar() or 0
    wanted = sorted({row.vid for row in page} | {row.prev_vid for row in page if row.prev_vid is not None})
    wide: dict[int, object] = {}
    for k in range(0, len(wanted), _CHUNK):
        for w in conn.execute(select(V.c.id, V.c.version, V.c.format, V.c.sha256, V.c.path, V.c.n_errors,
                                     V.c.n_warnings, I.c["values"]).select_from(V.outerjoin(I, I.c.version_id == V.c.id))
                              .where(V.c.id.in_(wanted[k:k + _CHUNK]))):
            wide[w.id] = w
    return [_indicators(row, wide[row.vid], wide.get(row.prev_vid)) for row in page], total


def _indicators(row, wide, prev_wide) -> Indicators:
    values = wide.values or {}
    ind = Indicators(agency=row.agency, year=row.year, parent=row.parent, version=wide.version, format=wide.format,
                     errors=wide.n_errors, warnings=wide.n_warnings, sha256=wide.sha256, path=wide.path,
                     received_rank=row.received_rank, disclosure_rank=row.disclosure_rank, peers=row.peers)
    for k in COUNT_FIELDS:
        setattr(ind, k, _load(values.get(k)))
    for k in RATE_FIELDS:
        setattr(ind, k, values.get(k))
    if prev_wide is not None and row.prev_year == row.year - 1:   # as compare._trend: last year's received
        ind.received_prev = _load((prev_wide.values or {}).get("received"))
        if ind.received_prev and ind.received is not None:
            ind.received_change = float(Decimal(ind.received) / Decimal(ind.received_prev) - 1)
    return ind


def _dump(v):
    return str(v) if isinstance(v, Decimal) else v


def _load(v):
    return Decimal(v) if isinstance(v, str) else v
