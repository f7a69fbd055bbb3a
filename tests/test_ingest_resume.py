"""Resumable, lossless ingest: kill the driver or a worker mid-batch (SIGKILL), nothing stored is lost,
nothing is half-stored, and the next run stores the rest — on SQLite and PostgreSQL."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from conftest import shared_path
from gongkai.store.reports import ReportStore
from gongkai.store.reports_tables import ReportVersion
from generated_reports import assert_whole
from truth_helpers import backends, fresh_url

REPO = Path(__file__).resolve().parents[1]
N = 160


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> list[Path]:
    shared_path("corpus", "truth")
    from generated_reports import write_text

    return write_text(tmp_path_factory.mktemp("many"), N)


@pytest.fixture(params=backends())
def url(request, tmp_path):
    u, drop = fresh_url(request.param, tmp_path)
    ReportStore(u).close()          # migrate before the timed run
    yield u
    drop()


def _ingest_process(url: str, folder: Path) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(REPO / "src"), os.environ.get("PYTHONPATH", "")]))
    return subprocess.Popen([sys.executable, "-m", "gongkai", "ingest", str(folder), "--db", url, "-j", "2",
                             "--commit-every", "4"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _stored(store: ReportStore) -> int:
    with store.engine.connect() as c:
        return c.execute(select(func.count()).select_from(ReportVersion)).scalar()


def _wait_for(store: ReportStore, proc: subprocess.Popen, n: int) -> None:
    deadline = time.monotonic() + 300
    while _stored(store) < n:
        assert proc.poll() is None, proc.stderr.read().decode()
        assert time.monotonic() < deadline
        time.sleep(0.02)


def test_driver_killed_mid_batch_loses_nothing_and_the_next_run_completes(url, files):
    folder = files[0].parent
    with ReportStore(url) as store:
        proc = _ingest_process(url, folder)
        _wait_for(store, proc, 8)
        assert proc.poll() is None            # still running: killed in the middle
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        before = _stored(store)
        assert 8 <= before < N
        assert_whole(store, files)
        outcomes = list(store.ingest_files([folder / f.name for f in files], workers=2))
        status = [o.status for o in outcomes]
        assert status.count("unchanged") == before and status.count("stored") == N - before
        assert _stored(store) == N
        assert_whole(store, files)


def _children(pid: int) -> list[int]:
    """The driver's forked workers (same command line; not e.g. multiprocessing's resource tracker)."""
    def cmdline(p: int) -> bytes:
        with open(f"/proc/{p}/cmdline", "rb") as fh:
            return fh.read()

    with open(f"/proc/{pid}/task/{pid}/children") as fh:
        kids = [int(x) for x in fh.read().split()]
    return [k for k in kids if cmdline(k) == cmdline(pid)]


def test_worker_killed_mid_batch_the_batch_still_completes(url, files):
    folder = files[0].parent
    with ReportStore(url) as store:
        proc = _ingest_process(url, folder)
        _wait_for(store, proc, 8)
        workers = _children(proc.pid)
        assert workers, "no worker processes"
        os.kill(workers[0], signal.SIGKILL)
        assert proc.wait(timeout=300) == 0, proc.stderr.read().decode()
        assert _stored(store) == N
        assert_whole(store, files)
