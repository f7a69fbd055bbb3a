"""Full-text search: Chinese words found in sections, cells and findings; query text is never query syntax."""
from __future__ import annotations

from gongkai.check import check_path
from gongkai.corpus import search
from gongkai.store.reports import ReportStore

from web_helpers import EXAMPLES


def _store(tmp_path):
    store = ReportStore(f"sqlite:///{tmp_path / 's.db'}")
    for p in sorted(EXAMPLES.glob("*.txt")):
        store.ingest(check_path(p))
    return store


def test_reports_ingested_elsewhere_are_indexed_once_and_found_by_chinese_words(tmp_path):
    store = _store(tmp_path)
    assert search.ensure_indexed(store.engine, store) == 2
    assert search.ensure_indexed(store.engine, store) == 0
    hits, total = search.search(store.engine, "依申请公开")
    assert total >= 1 and all(h.text for h in hits)
    kinds = {h.kind for h in search.search(store.engine, "t3.identity", limit=100)[0]}
    assert "finding" in kinds                     # the 2020 example's deliberate 表三 slip


def test_query_syntax_and_punctuation_are_plain_text(tmp_path):
    store = _store(tmp_path)
    search.ensure_indexed(store.engine, store)
    for q in ('" OR 1=1 --', "NEAR(a b)", "行政*", "'; DROP TABLE web_search; --", "（）、。", ""):
        hits, total = search.search(store.engine, q)
        assert isinstance(total, int)
    assert search.search(store.engine, "依申请公开")[1] >= 1   # the index is still there
