"""The dashboard's figures: kept between calls, and rebuilt as soon as a report is stored or an agency
re-linked (a stale dashboard would be a silent wrong result)."""
from __future__ import annotations

from gongkai.check import check_path
from gongkai.corpus import dashboard
from gongkai.store.reports import ReportStore

from web_helpers import EXAMPLES


def test_the_dashboard_is_kept_until_a_report_or_a_link_changes(tmp_path):
    store = ReportStore(f"sqlite:///{tmp_path / 'd.db'}")
    first, second = sorted(EXAMPLES.glob("*.txt"))
    store.ingest(check_path(first))
    a = dashboard.build(store)
    assert dashboard.build(store).years == a.years            # served again from the cache
    store.ingest(check_path(second))
    b = dashboard.build(store)
    assert len(b.years) == len(a.years) + 1 and len(b.nodes) == 2
    store.link(b.nodes[1].agency, b.nodes[0].agency)
    c = dashboard.build(store)
    assert [n.depth for n in c.nodes] == [0, 1] and c.nodes[1].parent == c.nodes[0].agency
    c.nodes = []                                              # a caller narrowing its copy
    assert len(dashboard.build(store).nodes) == 2
