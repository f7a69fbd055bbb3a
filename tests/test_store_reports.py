"""The report store on SQLite and (with GONGKAI_TEST_PG_URL) PostgreSQL: round trip, idempotent
re-ingest, versions, transactional ingest (a failure and a real crash mid-report), agencies."""
from __future__ import annotations

import copy
import os
import subprocess
import sys
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest

from gongkai.corpus.agencies import AgencyRules
from gongkai.findings import Finding, Severity
from gongkai.model import Cell, Kind, Report
from gongkai.store.reports import ReportStore
from truth_helpers import backends, fresh_url, sha, truth_report

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(params=backends())
def url(request, tmp_path):
    u, drop = fresh_url(request.param, tmp_path)
    yield u
    drop()


@pytest.fixture
def store(url):
    s = ReportStore(url)
    yield s
    s.close()


def _small(agency: str = "测试县人民政府", year: int = 2023, received: int = 5) -> Report:
    """A hand-made report: one 表三 row with a blank, a slash and a provenance; one 表二 decimal."""
    r = Report(format="2021", table3_variant="split", agency=agency, year=year, title=f"{agency}{year}年报告",
               sections={"overview": "本年度共收到申请5件。"})
    r.table2["fees"] = [Cell(Kind.NUMBER, Decimal("24252.311082"), "24252.311082")]
    r.table3["new_received"] = [Cell(Kind.NUMBER, received - 1, str(received - 1)), Cell.blank(),
                                Cell(Kind.SLASH, text="/"), Cell(Kind.NUMBER, 1, "1"), Cell(Kind.NUMBER, 0, "0"),
                                Cell(Kind.NUMBER, 0, "0"), Cell(Kind.NUMBER, received, str(received))]
    from gongkai.blocks import Source

    r.table3["new_received"][0].source = Source(line=83, start=1200, end=1201)
    r.findings = [Finding("t3.identity", Severity.ERROR, "总计不等", "total differs", ["t3.total.total"],
                          [{"line": 90}], {"expected": 5, "printed": 4})]
    return r


def _ingest(store: ReportStore, report: Report, tag: str = ""):
    data = report.to_json().encode() + tag.encode()
    return store.ingest_report(report, sha256=sha(data), path=f"{report.agency}-{report.year}{tag}.json")


def test_round_trip_keeps_kinds_exact_decimals_provenance_and_findings(store):
    r = _small()
    out = _ingest(store, r)
    assert (out.status, out.agency, out.year, out.version) == ("stored", "测试县人民政府", 2023, 1)
    [info] = store.versions()
    back = store.load(info.version_id)
    assert back.to_dict(with_findings=True)["table3"] == r.to_dict()["table3"]
    assert back.table3["new_received"][1].kind is Kind.BLANK          # blank stays blank, not 0
    assert back.table3["new_received"][2].kind is Kind.SLASH
    assert back.table2["fees"][0].value == Decimal("24252.311082")    # exact, not 24252.311081999
    assert back.table3["new_received"][0].source.line == 83
    assert [f.to_dict() for f in back.findings] == [f.to_dict() for f in r.findings]
    assert back.sections == r.sections and back.title == r.title
    assert info.n_errors == 1 and info.n_warnings == 0


def test_truth_report_round_trip(store):
    r, raw = truth_report("007")
    store.ingest_report(r, sha256=sha(raw), path="007.json")
    back = store.load(store.versions()[0].version_id)
    assert back.to_truth_form()["table3"] == r.to_truth_form()["table3"]
    assert back.to_truth_form()["table2"] == r.to_truth_form()["table2"]
    assert back.to_truth_form()["table4"] == r.to_truth_form()["table4"]


def test_same_file_again_is_unchanged_and_writes_nothing(store):
    r, raw = truth_report("008")
    assert store.ingest_report(r, sha256=sha(raw), path="a/008.json").status == "stored"
    before = store.counts()
    again = store.ingest_report(r, sha256=sha(raw), path="b/copy-of-008.json")
    assert (again.status, again.version) == ("unchanged", 1)
    assert store.counts() == before


def test_changed_file_is_a_new_version_and_the_old_one_stays(store):
    r, raw = truth_report("008")
    store.ingest_report(r, sha256=sha(raw), path="008.json")
    r2 = copy.deepcopy(r)
    r2.table3["new_received"][0] = Cell(Kind.NUMBER, 73, "73")
    out = store.ingest_report(r2, sha256=sha(raw + b"corrected"), path="008-corrected.json")
    assert (out.status, out.version) == ("new-version", 2)
    latest = store.versions()
    assert [(v.version, v.n_versions) for v in latest] == [(2, 2)]
    every = store.versions(latest_only=False)
    assert [v.version for v in every] == [1, 2]
    assert store.load(every[0].version_id).cell("t3.new_received.natural").value == 71
    assert store.load(every[1].version_id).cell("t3.new_received.natural").value == 73


def test_failure_mid_report_leaves_nothing_half_stored(store, monkeypatch):
    import gongkai.store.reports as mod

    _ingest(store, _small("甲县人民政府"))
    before = store.counts()
    real = mod.finding_row

    def boom(*a, **kw):  # cells are already written when findings are built: fail right there
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(mod, "finding_row", boom)
    with pytest.raises(RuntimeError):
        _ingest(store, _small("乙县公安局"))
    assert store.counts() == before                       # no agency, report, version or cell of 乙
    assert [a.name for a in store.agencies()] == ["甲县人民政府"]
    monkeypatch.setattr(mod, "finding_row", real)
    assert _ingest(store, _small("乙县公安局")).status == "stored"   # and the same file goes in cleanly later
    assert store.load(store.versions(agency="甲县人民政府")[0].version_id).cell("t3.new_received.total").value == 5


def test_bad_report_is_refused_whole_and_earlier_reports_stay(store):
    _ingest(store, _small("甲县人民政府"))
    before = store.counts()
    bad = _small("丙县人民政府")
    # The last cell breaks a NOT NULL column (a reader bug); every cell before it was already sent.
    bad.table3["carried_forward"] = [Cell(Kind.NUMBER, 0, "0")] * 6 + [Cell(Kind.NUMBER, 0, None)]
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError):
        _ingest(store, bad)
    assert store.counts() == before


def test_crash_mid_ingest_in_another_process(url):
    """A real crash (the process dies between cells and findings): the database keeps what it had."""
    with ReportStore(url) as s:
        _ingest(s, _small("甲县人民政府"))
        before = s.counts()
    script = textwrap.dedent(f"""
        import os, sys
        sys.path.insert(0, {str(REPO / 'tests')!r})
        import gongkai.store.reports as mod
        from gongkai.store.reports import ReportStore
        from test_store_reports import _small, _ingest
        mod.finding_row = lambda *a, **k: os._exit(17)
        _ingest(ReportStore({url!r}), _small("乙县公安局"))
    """)
    proc = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 17, proc.stderr
    with ReportStore(url) as s:
        assert s.counts() == before
        assert _ingest(s, _small("乙县公安局")).status == "stored"


def test_missing_identity_or_failed_check_is_an_error_outcome(store):
    r = _small()
    r.year = None
    assert store.ingest_report(r, sha256="0" * 64, path="x").status == "error"

    class Failed:
        path, status, report, error_code, error, sha256 = "y.pdf", "error", None, "read.corrupt", "坏文件", "1" * 64

    class NotReport(Failed):
        status, error_code, error = "not-report", None, "不是年度报告"

    assert store.ingest(Failed()).reason == "read.corrupt: 坏文件"
    assert store.ingest(NotReport()).status == "not-report"
    assert store.counts()["rep_versions"] == 0


# ---- agencies ----------------------------------------------------------------------------------------
def test_agency_names_are_normalised_into_one_agency(store):
    for i, raw in enumerate(["平潭综合实验区公安局2019年政府信息公开工作年度报告", "平潭综合实验区公安局 ",
                             "平潭综合实验区公安局"]):
        _ingest(store, _small(raw, 2019 + i))
    _ingest(store, _small("沐阳县人民政府", 2025))
    names = {a.name: a.n_reports for a in store.agencies()}
    assert names == {"平潭综合实验区公安局": 3, "沭阳县人民政府": 1}


def test_parent_inferred_from_names_in_any_order(store):
    _ingest(store, _small("淮安市洪泽区公安局"))          # child first: no parent yet
    _ingest(store, _small("淮安市人民政府"))
    _ingest(store, _small("淮安市洪泽区人民政府"))        # closer parent arrives later
    parents = {a.name: (a.parent, a.parent_basis) for a in store.agencies()}
    assert parents["淮安市洪泽区公安局"] == ("淮安市洪泽区人民政府", "name")
    assert parents["淮安市洪泽区人民政府"] == ("淮安市人民政府", "name")
    assert parents["淮安市人民政府"] == (None, None)


def test_manual_link_survives_new_agencies_and_cycles_are_refused(store):
    _ingest(store, _small("淮安市洪泽区公安局"))
    assert store.link("淮安市洪泽区公安局", "淮安市公安局", create=True) == ("淮安市洪泽区公安局", "淮安市公安局")
    _ingest(store, _small("淮安市洪泽区人民政府"))
    parents = {a.name: (a.parent, a.parent_basis) for a in store.agencies()}
    assert parents["淮安市洪泽区公安局"] == ("淮安市公安局", "manual")
    with pytest.raises(ValueError):
        store.link("淮安市公安局", "淮安市洪泽区公安局")
    assert store.unlink("淮安市洪泽区公安局") == ("淮安市洪泽区公安局", True, "淮安市洪泽区人民政府")
    assert {a.name: a.parent for a in store.agencies()}["淮安市洪泽区公安局"] == "淮安市洪泽区人民政府"


def test_agencies_link_of_an_unknown_agency_is_refused_and_unlink_says_what_it_did(store):
    """`agencies link 不存在的局 …` created an agency silently; `unlink` of a name printed nothing and exited 0."""
    _ingest(store, _small("淮安市洪泽区公安局"))
    before = {a.name for a in store.agencies()}
    with pytest.raises(KeyError, match="未找到机关 淮安市洪泽区公按局.*淮安市洪泽区公安局"):
        store.link("淮安市洪泽区公按局", "淮安市公安局")          # a typo: the close stored name is offered
    with pytest.raises(KeyError, match="不存在的局"):
        store.link("淮安市洪泽区公安局", "不存在的局")
    assert {a.name for a in store.agencies()} == before
    with pytest.raises(KeyError):
        store.unlink("不存在的局")
    assert store.unlink("淮安市洪泽区公安局") == ("淮安市洪泽区公安局", False, None)  # nothing manual to give up


def test_links_and_aliases_from_a_user_file(url, tmp_path):
    f = tmp_path / "agencies.yaml"
    f.write_text("aliases:\n  洪泽区公安分局: 淮安市洪泽区公安局\nlinks:\n  淮安市洪泽区公安局: 淮安市公安局\n", encoding="utf-8")
    with ReportStore(url, rules=AgencyRules.load(f)) as s:
        assert _ingest(s, _small("洪泽区公安分局")).agency == "淮安市洪泽区公安局"
        assert {a.name: a.parent for a in s.agencies()}["淮安市洪泽区公安局"] == "淮安市公安局"


# ---- schema --------------------------------------------------------------------------------------------
def test_migration_matches_the_tables_and_is_a_branch_of_its_own(url):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from alembic.script import ScriptDirectory
    from alembic.config import Config

    import gongkai.store.reports_tables  # noqa: F401
    from gongkai.store.db import MIGRATIONS, Base, make_engine, upgrade

    upgrade(url)
    upgrade(url)  # a second upgrade is a no-op
    with make_engine(url).connect() as c:
        diff = [d for d in compare_metadata(MigrationContext.configure(c), Base.metadata) if "rep_" in str(d)]
    assert diff == []
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    rev = ScriptDirectory.from_config(cfg).get_revision("reports@head")
    assert rev.revision == "rep_0002" and rev.down_revision == "rep_0001"
    assert ScriptDirectory.from_config(cfg).get_revision("rep_0001").down_revision is None


def test_batch_goes_on_after_a_file_fails_in_the_store(store, monkeypatch):
    pytest.importorskip("gongkai.check")
    from conftest import shared_path

    raw = shared_path("corpus", "raw")
    real, calls = ReportStore._ingest_rows, []

    def fail_first_report(self, conn, rows):
        # the first report written fails after its version, cells and findings are inserted
        if not calls:
            calls.append(rows.path)
            rows.indicators = None
        return real(self, conn, rows)

    monkeypatch.setattr(ReportStore, "_ingest_rows", fail_first_report)
    # one worker writes both (each worker process has its own ``calls``): the first it writes fails
    outcomes = list(store.ingest_files([raw / "007.txt", raw / "008.txt"], workers=1))
    assert [o.status for o in outcomes] == ["error", "stored"]
    assert "store.internal" in outcomes[0].reason
    assert [(v.path, v.version) for v in store.versions()] == [(outcomes[1].path, 1)]
    assert store.counts()["rep_agencies"] == 1
