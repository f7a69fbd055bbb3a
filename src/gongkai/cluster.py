"""The same batch on a Dask distributed cluster: ``gongkai check|ingest --scheduler tcp://host:8786``.

Dask does the scheduling, the transport and the recovery: a task whose worker dies is run again on
another worker (up to ``distributed.scheduler.allowed-failures`` times, then ``KilledWorker``, which the
driver turns into a per-file error). gongkai only says what a task is:

* ``check_task(paths)``: check a few files under the per-file limits and return their results. Inside
  each Dask worker the files are checked by a one-process ``gongkai.batch.LocalPool`` — a Dask task runs in
  a thread, where no CPU-time signal can interrupt it, so the limits live in that child process, as they
  do locally.
* ``ingest_task(paths, url)``: the same, then the worker writes the reports into the shared PostgreSQL
  store in one transaction (``ReportStore.ingest_many``). A worker killed before its commit stored nothing
  of that task; the task runs again elsewhere and stores it; a file committed before the kill is
  ``unchanged`` on the retry.

The files must be readable at the same path on every worker (a shared file system). Workers run
gongkai's own functions, so they need gongkai installed, and a process of their own per task thread:
start them with ``DASK_DISTRIBUTED__WORKER__DAEMON=False`` (daemonic processes may not have children).
"""
from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Iterator

from .check import CheckResult
from .limits import CRASH_CODE, Limits

if TYPE_CHECKING:  # pragma: no cover
    from .store.reports import IngestOutcome, ReportStore

TASK_FILES = 8          # files per task: small enough to spread, large enough to amortise a round trip
IN_FLIGHT_PER_THREAD = 3

_local = threading.local()
_stores: dict[str, "ReportStore"] = {}
_stores_lock = threading.Lock()


def _sandbox(limits: Limits, task=None):
    """This thread's one-process pool for ``task`` (default: check) under ``limits``."""
    from .batch import LocalPool, check_bounded

    task = task or check_bounded
    pools = _local.__dict__.setdefault("pools", {})
    pool = pools.get(task)
    if pool is None or pool.limits != limits:
        if pool is not None:
            pool.close()
        import multiprocessing

        if multiprocessing.current_process().daemon:
            raise RuntimeError("Dask 工作进程是守护进程，无法启动受限的检查子进程：请以 DASK_DISTRIBUTED__WORKER__DAEMON=False "
                               "启动 dask worker (start dask workers with DASK_DISTRIBUTED__WORKER__DAEMON=False)")
        # spawn, not fork or forkserver: the child's parent is this worker, so it dies with it (PR_SET_PDEATHSIG);
        # a forkserver would outlive a killed Dask worker
        pool = pools[task] = LocalPool(1, limits, context="spawn", task=task)
    return pool


def check_task(paths: list[str], limits: Limits) -> list[CheckResult]:
    """Runs on a Dask worker: results for a few files, checked under the limits."""
    return list(_sandbox(limits).imap([Path(p) for p in paths], ordered=True))


def ingest_task(paths: list[str], url: str, limits: Limits) -> list["IngestOutcome"]:
    """Runs on a Dask worker: check a few files and store them in one transaction."""
    from .batch import check_and_prepare
    from .store.reports import ReportStore

    # the child process also turns each report into its rows: only plain values cross back
    results = list(_sandbox(limits, check_and_prepare).imap([Path(p) for p in paths], ordered=True))
    with _stores_lock:
        store = _stores.get(url)
        if store is None:
            store = _stores[url] = ReportStore(url, migrate=False)
    return store.ingest_many(results)


def _client(scheduler: str):
    from distributed import Client

    return Client(scheduler, set_as_default=False)


def _chunks(items: Iterable, n: int) -> Iterator[list]:
    chunk: list = []
    for it in items:
        chunk.append(it)
        if len(chunk) == n:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _run(scheduler: str, chunks: Iterable[list], submit, failed, *, ordered: bool = False) -> Iterator:
    """Submit tasks a few at a time (never the whole batch: memory stays flat on both sides) and yield
    their items as they complete (``ordered``: in submission order, with a bounded window of finished
    tasks held back); a task that failed for good yields ``failed(paths, error)``."""
    from distributed import as_completed

    client = _client(scheduler)
    try:
        in_flight = max(1, sum(client.nthreads().values())) * IN_FLIGHT_PER_THREAD
        it = iter(chunks)
        info: dict = {}            # future -> (index, paths)
        ready: dict[int, list] = {}
        submitted = nxt = 0
        queue = None

        def refill() -> list:
            nonlocal submitted
            new = []
            while len(info) < in_flight and (not ordered or submitted - nxt < 4 * in_flight):
                c = next(it, None)
                if c is None:
                    break
                fut = submit(client, c)
                info[fut] = (submitted, c)
                submitted += 1
                new.append(fut)
                if queue is not None:
                    queue.add(fut)
            return new

        first = refill()
        if not first:
            return
        queue = as_completed(first, loop=client.loop)
        for fut in queue:
            i, paths = info.pop(fut)
            try:
                items = fut.result()
            except Exception as e:  # KilledWorker after the retries, or a failure of the task itself
                items = failed(paths, e)
            fut.release()
            if ordered:
                ready[i] = items
                while nxt in ready:
                    yield from ready.pop(nxt)
                    nxt += 1
            else:
                yield from items
            refill()
    finally:
        client.close()


def _worker_lost(paths: list[str], e: Exception) -> str:
    return (f"{CRASH_CODE}: 集群工作进程在处理此批文件时多次退出，未完成 ({type(e).__name__}: {e})"
            f" (the cluster lost its workers on this task)")[:500]


def check_on_cluster(files: Iterable[Path], scheduler: str, limits: Limits, *,
                     ordered: bool = False) -> Iterator[CheckResult]:
    def submit(client, chunk):
        return client.submit(check_task, chunk, limits, pure=False)

    def failed(paths, e):
        return [CheckResult(p, "error", error_code=CRASH_CODE, error=_worker_lost(paths, e).split(": ", 1)[1])
                for p in paths]

    passthrough: list = []

    def paths():
        for f in files:
            if isinstance(f, (str, Path)):
                yield str(f)
            else:
                passthrough.append(f)

    yield from _run(scheduler, _chunks(paths(), TASK_FILES), submit, failed, ordered=ordered)
    yield from passthrough


def ingest_on_cluster(store: "ReportStore", files: Iterable[Path], scheduler: str, limits: Limits, *,
                      commit_every: int = TASK_FILES) -> Iterator["IngestOutcome"]:
    """Each task checks and stores ``commit_every`` files (at most ``TASK_FILES``) in one transaction."""
    from .batch import known_or_new
    from .store.reports import IngestOutcome

    if store.engine.dialect.name == "sqlite":
        raise ValueError("集群入库需要共享的 PostgreSQL 数据库（--db postgresql://…），SQLite 文件不能由多台机器同时写入 "
                         "(a cluster needs a shared PostgreSQL store)")
    url = store.engine.url.render_as_string(hide_password=False)
    decided: list[IngestOutcome] = []

    def new_files():
        for f, outcome in known_or_new(store, files, limits):
            if outcome is None:
                yield str(f)
            else:
                decided.append(outcome)

    def submit(client, chunk):
        return client.submit(ingest_task, chunk, url, limits, pure=False)

    def failed(paths, e):
        return [IngestOutcome(p, "error", reason=_worker_lost(paths, e)) for p in paths]

    for outcome in _run(scheduler, _chunks(new_files(), min(commit_every, TASK_FILES)), submit, failed):
        while decided:
            yield decided.pop(0)
        yield outcome
    yield from decided
