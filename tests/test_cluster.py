"""The same batch on a real Dask cluster on loopback (a scheduler and worker processes), with
PostgreSQL as the shared store, including a worker killed mid-batch."""
from __future__ import annotations

import os
import signal

import pytest
from sqlalchemy import func, select

from conftest import shared_path
from gongkai.batch import check_files
from gongkai.limits import Limits
from gongkai.store.reports import ReportStore
from gongkai.store.reports_tables import ReportVersion
from generated_reports import assert_whole
from truth_helpers import PG_ENV, fresh_url

distributed = pytest.importorskip("distributed")
N = 48


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    shared_path("corpus", "truth")
    from generated_reports import write_text

    return write_text(tmp_path_factory.mktemp("cl"), N)


@pytest.fixture(scope="module")
def cluster():
    import dask

    # gongkai's workers start a limited child process per task thread: not allowed in a daemonic process
    with dask.config.set({"distributed.worker.daemon": False}):
        with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                      dashboard_address=None) as c:
            yield c


def test_check_on_the_cluster_gives_what_a_local_check_gives(cluster, files, tmp_path):
    missing = tmp_path / "missing.txt"
    items = files[:20] + [missing]
    remote = list(check_files(items, scheduler=cluster.scheduler_address, ordered=True))
    local = list(check_files(items, workers=1, ordered=True))
    assert [r.path for r in remote] == [str(f) for f in items]
    assert [r.to_dict() for r in remote] == [r.to_dict() for r in local]
    assert remote[-1].error_code == "read.not-found"


def test_limits_hold_on_the_cluster(cluster, files, tmp_path):
    slow = tmp_path / "slow.txt"
    slow.write_text("\n".join(f.read_text(encoding="utf-8") for f in files) * 8, encoding="utf-8")
    results = list(check_files([slow, files[0]], scheduler=cluster.scheduler_address, ordered=True,
                               limits=Limits(seconds=0.3, seconds_per_page=0)))
    assert [r.error_code for r in results] == ["limit.time", None]


def test_cluster_ingest_refuses_a_sqlite_store(cluster, files, tmp_path):
    with ReportStore(f"sqlite:///{tmp_path / 'x.db'}") as store:
        with pytest.raises(ValueError, match="PostgreSQL"):
            list(store.ingest_files(files[:2], scheduler=cluster.scheduler_address))


@pytest.mark.postgres
def test_ingest_on_the_cluster_survives_a_killed_worker(cluster, files, tmp_path):
    if not os.environ.get(PG_ENV):
        pytest.skip(f"{PG_ENV} not set: cluster ingest into PostgreSQL skipped")
    url, drop = fresh_url("postgresql", tmp_path)
    try:
        with ReportStore(url) as store, distributed.Client(cluster.scheduler_address) as client:
            pids = list(client.run(os.getpid).values())
            outcomes = []
            for o in store.ingest_files(files, scheduler=cluster.scheduler_address, commit_every=4):
                outcomes.append(o)
                if len(outcomes) == 6:
                    os.kill(pids[0], signal.SIGKILL)     # a worker dies mid-batch; its task runs again
            assert sorted(o.path for o in outcomes) == sorted(str(f) for f in files)
            assert {o.status for o in outcomes} <= {"stored", "unchanged"}
            with store.engine.connect() as c:
                assert c.execute(select(func.count()).select_from(ReportVersion)).scalar() == N
            assert_whole(store, files)
            again = list(store.ingest_files(files, scheduler=cluster.scheduler_address))
            assert {o.status for o in again} == {"unchanged"}
    finally:
        drop()
