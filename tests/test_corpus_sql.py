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
