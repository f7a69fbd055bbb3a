"""Indicators from SQL (the table written at ingest, window-function ranks, paging) give exactly what the
old path gives (every cell rebuilt in Python, ``compare.compare``), on the real corpus and on generated
districts with parents, siblings and consecutive years; the migration backfills older versions."""
from __future__ import annotations

import pytest
from sqlalchemy import delete

from conftest import shared_path
from gongkai.corpus.export import load_corpus, load_page
from gongkai.store.reports import ReportStore
from gongkai.store.reports_tables import StoredIndicators
from truth_helpers import backends, fresh_url, sha, truth_report

IDS = ("007", "008", "010", "014", "020", "022", "030")


@pytest.fixture(params=backends())
def store(request, tmp_path):
    shared_path("corpus", "truth")
    from generated_reports import reports

    url, drop = fresh_url(request.param, tmp_path)
    s = ReportStore(url)
    for i in IDS:
        r, raw = truth_report(i)
        s.ingest_report(r, sha256=sha(raw), path=f"{i}.json")
    for k, r in enumerate(reports(45, seed=5)):   # a district government and its departments, 10 years each
        s.ingest_report(r, sha256=f"{k:064d}", path=f"gen/{k}.md")
    yield s
    s.close()
    drop()


def _rows(rows):
    return [r.as_row() for r in rows]


def test_sql_indicators_equal_the_rebuilt_ones(store):
    old = load_corpus(store)
    page = load_page(store, limit=None)
    assert page.total == len(old.rows) == len(IDS) + 45
    assert _rows(page.rows) == _rows(old.rows)
    assert any(r.received_rank for r in page.rows) and any(r.received_change is not None for r in page.rows)
    assert page.cross == old.cross


@pytest.mark.parametrize("agency,year", [(None, None), (None, 2022), ("基准市东东区公安局", None),
                                         ("平潭综合实验区管委会", 2022)])
def test_pages_and_filters_equal_slices_of_the_old_result(store, agency, year):
    old = load_corpus(store, agency=agency, year=year)
    size = 7
    for start in range(0, len(old.rows) + size, size):
        page = load_page(store, agency=agency, year=year, limit=size, offset=start)
        want = old.rows[start:start + size]
        assert page.total == len(old.rows)
        assert _rows(page.rows) == _rows(want)
        keys = {(r.agency, r.year) for r in want}
        assert page.cross == [f for f in old.cross if (f.agency, f.year) in keys]


def test_backfill_writes_the_indicators_ingest_writes(store):
    from gongkai.store.indicators import backfill

    before = _rows(load_page(store, limit=None).rows)
    with store.engine.begin() as c:
        c.execute(delete(StoredIndicators.__table__))
    with store.engine.begin() as c:
        assert backfill(c) == len(IDS) + 45
    assert _rows(load_page(store, limit=None).rows) == before


def test_ranks_with_ties_and_blanks_and_a_missing_year(store):
    """Competition ranks within (parent, year), highest first: equal values share a rank, a blank has no
    rank and pushes no one down; peers count every report of the group; no change without last year."""
    from sqlalchemy import select, update

    from gongkai.store.reports_tables import Agency, ReportVersion, StoredReport

    A, R, V, I = Agency.__table__, StoredReport.__table__, ReportVersion.__table__, StoredIndicators.__table__
    rows = load_page(store, limit=None).rows
    group = [r for r in rows if r.parent and r.year == 2022]
    assert len(group) >= 3
    ids = {r.agency: store.engine.connect().execute(
        select(V.c.id).select_from(V.join(R).join(A)).where(A.c.name == r.agency, R.c.year == 2022)).scalar()
        for r in group}
    a, b, c = (ids[r.agency] for r in group[:3])

    def ranks(values: dict[int, float | None]) -> list[int | None]:
        with store.engine.begin() as conn:
            for vid, v in values.items():
                conn.execute(update(I).where(I.c.version_id == vid).values(received=v))
        page = {r.agency: r for r in load_page(store, year=2022, limit=None).rows}
        assert {page[r.agency].peers for r in group} == {len(group)}
        return [page[r.agency].received_rank for r in group[:3]]

    assert ranks({a: 10 ** 6, b: 10 ** 6, c: None}) == [1, 1, None]        # a tie at the top, a blank
    assert ranks({c: 10 ** 6 + 1}) == [2, 2, 1]                              # competition ranks: 1, 2, 2
    # the year before removed: this year's change is unknown, not measured against an older year
    name = group[0].agency
    with store.engine.begin() as conn:
        rid = conn.execute(select(R.c.id).select_from(R.join(A)).where(A.c.name == name, R.c.year == 2021)).scalar()
        vids = [v for (v,) in conn.execute(select(V.c.id).where(V.c.report_id == rid))]
        conn.execute(I.delete().where(I.c.version_id.in_(vids)))
        from gongkai.store.reports_tables import StoredCell, StoredFinding
        conn.execute(StoredCell.__table__.delete().where(StoredCell.__table__.c.version_id.in_(vids)))
        conn.execute(StoredFinding.__table__.delete().where(StoredFinding.__table__.c.version_id.in_(vids)))
        conn.execute(V.delete().where(V.c.report_id == rid))
        conn.execute(R.delete().where(R.c.id == rid))
    row = next(r for r in load_page(store, agency=name, limit=None).rows if r.year == 2022)
    assert row.received_prev is None and row.received_change is None


@pytest.mark.parametrize("year", [None, 2022])
def test_versions_page_equals_slices_of_the_whole_list(store, year):
    """The reports list (API /api/v1/reports) is paged and counted in SQL, within a user's reach."""
    whole = store.versions(year=year)
    reach = {v.agency for v in whole[::3]}
    for agencies in (None, reach, set()):
        want = [v for v in whole if agencies is None or v.agency in agencies]
        for start in range(0, len(want) + 7, 7):
            page, total = store.versions_page(year=year, agencies=agencies, limit=7, offset=start)
            assert total == len(want) and page == want[start:start + 7]
