"""The batch driver: check files on every local core (or a cluster), results streamed as they come.

``check_files`` hands files to a pool of worker processes (``concurrent.futures.ProcessPoolExecutor``) and
yields each ``CheckResult`` as soon as it is done, in completion order. At most ``2 × workers`` files are in
flight, so a batch of any size holds a bounded number of results: memory stays flat.

Each worker checks under the per-file budget of ``gongkai.limits`` (the same with one worker). A worker
that dies while on a file (a crash, the kernel ending it at the wall-clock backstop, an OOM kill, someone's
``kill -9``) breaks the pool; the driver starts a fresh pool and runs the files that were in flight again,
one at a time, so a file that kills its worker a second time is the cause and gets its own error — every
other file is checked normally and the batch goes on.

``ingest_files`` adds the store: files whose content hash is already stored are skipped before any worker
sees them, and each worker checks a few files (``TASK_FILES``), turns them into rows and writes them
itself in one transaction, so every part of the work runs on every core and nothing funnels through one process (a
single writer in the driver capped a machine at about 150 reports/s whatever its cores). Transactions are
serialised by the database (SQLite's write lock, taken at BEGIN IMMEDIATE; PostgreSQL's unique keys make a
racing writer retry), so there is one writer per transaction. An outcome is yielded only after its
transaction committed, so what the caller was told is stored, is stored. A store only this process can see
(in-memory SQLite) is written by this process instead, in batched transactions.
"""
from __future__ import annotations

import functools
import multiprocessing
import os
import signal
import time
from collections import deque
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

from .check import CheckResult, file_sha256
from .limits import Limits, check_bounded, crashed, init_worker, too_large

if TYPE_CHECKING:  # pragma: no cover
    from .store.reports import IngestOutcome, ReportStore


def default_workers() -> int:
    """Every core this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


CLOSE_SECONDS = 30.0   # how long the workers of a finished batch may take to end


class LocalPool:
    """Worker processes that check files under ``limits``; survives the death of any of them."""

    def __init__(self, workers: int, limits: Limits, *, context: str = "fork",
                 task: Callable[[Path, Limits], object] = check_bounded,
                 setup: tuple[Callable, tuple] | None = None,
                 per_task: int = 1, task_many: Callable[[list[Path], Limits], list] | None = None) -> None:
        """``task``: what a worker does with one file (check it, or also prepare its rows); ``task_many``
        instead: what it does with ``per_task`` files at once (check them and store them in one
        transaction), one result per file; a file whose task took its worker down runs again alone.
        ``setup``: run once in each worker after the limits are set (e.g. open the store)."""
        self.workers = max(1, workers)
        self.limits = limits
        self.task = task
        self.task_many = task_many or functools.partial(_each, task)
        self.per_task = max(1, per_task) if task_many else 1
        self.failed = (lambda r: r) if task is check_bounded and task_many is None else _prepared
        self.setup = setup
        self.context = multiprocessing.get_context(context)
        self._pool: ProcessPoolExecutor | None = None

    def _fresh(self) -> ProcessPoolExecutor:
        if self._pool is None:
            # the OCR recogniser's threads shared out: N workers on N cores with two threads each would
            # fight over the cores (and lose to the switching)
            threads = max(1, default_workers() // self.workers)
            self._pool = ProcessPoolExecutor(self.workers, mp_context=self.context, initializer=_start_worker,
                                             initargs=(self.limits, self.setup, threads))
        return self._pool

    def _discard(self) -> dict[int, int | None]:
        """Drop a broken pool; the exit codes of its processes (pid → code), to say why a file failed."""
        pool, self._pool = self._pool, None
        codes: dict[int, int | None] = {}
        if pool is not None:
            for pid, proc in list(getattr(pool, "_processes", {}).items()):
                proc.join(timeout=1)
                codes[pid] = proc.exitcode
            pool.shutdown(wait=False, cancel_futures=True)
        return codes

    def close(self) -> None:
        if self._pool is not None:
            pool, self._pool = self._pool, None
            procs = list(getattr(pool, "_processes", {}).values())
            pool.shutdown(wait=False, cancel_futures=True)
            # every result is in: a worker that does not end (stuck in its own shutdown) is killed, not awaited
            deadline = time.monotonic() + CLOSE_SECONDS
            for proc in procs:
                proc.join(timeout=max(0.0, deadline - time.monotonic()))
                if proc.is_alive():
                    proc.kill()
                    proc.join(timeout=5)

    def __enter__(self) -> "LocalPool":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def imap(self, files: Iterable, *, ordered: bool = False) -> Iterator:
        """One result per file, in completion order (``ordered``: in the order given, holding at most a
        window of finished results while an earlier file is still running). An item that is not a path
        (an outcome decided without a worker) is passed through in its place."""
        todo = iter(files)
        window = 8 * self.workers * self.per_task
        Item = tuple[int, Path]
        suspects: deque[Item] = deque()       # in flight when a worker died: run again, alone
        running: dict[Future, list[Item]] = {}
        ready: dict[int, object] = {}
        late: list[Item] = []                 # refused by a pool that had just broken
        seq = nxt = 0
        exhausted = False

        def submit(items: list[Item]) -> bool:
            try:
                running[self._fresh().submit(self.task_many, [p for _, p in items], self.limits)] = items
                return True
            except BrokenProcessPool:
                late.extend(items)
                return False

        while True:
            solo = bool(suspects)
            while (not solo and not exhausted and not late and len(running) < 2 * self.workers
                   and (not ordered or seq - nxt < window)):
                items: list[Item] = []
                size = 0
                while len(items) < self.per_task and size < TASK_BYTES:
                    f = next(todo, None)
                    if f is None:
                        exhausted = True
                        break
                    if not isinstance(f, (str, Path)):
                        ready[seq] = f
                    else:
                        items.append((seq, f))
                        size += _size(f) if self.per_task > 1 else 0
                    seq += 1
                if items:
                    submit(items)
            if solo and not running and not late:
                submit([suspects.popleft()])
            if ready and (not ordered or nxt in ready):
                # hand over what is finished before waiting again
                if ordered:
                    while nxt in ready:
                        yield ready.pop(nxt)
                        nxt += 1
                else:
                    for k in list(ready):
                        yield ready.pop(k)
                continue
            if not running and not late:
                if not suspects:
                    return
                continue
            broken: list[Item] = []
            if not late:
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for fut in done:
                    items = running.pop(fut)
                    try:
                        for (k, _), r in zip(items, fut.result(), strict=True):
                            ready[k] = r
                    except BrokenProcessPool:
                        broken.extend(items)
                    except Exception as e:  # the task itself failed (it should not): these files' error
                        for k, f in items:
                            ready[k] = self.failed(CheckResult(
                                str(f), "error", error_code="batch.internal",
                                error=f"内部错误：{type(e).__name__}: {e} (internal error)"[:500]))
            if broken or late:
                # The pool is gone: every file still in flight failed with it.
                broken += late + [it for items in running.values() for it in items]
                late.clear()
                running.clear()
                codes = self._discard()
                if solo and len(broken) == 1:  # it ran alone: this file took its worker down (twice now)
                    # the pool ends its other processes with SIGTERM: the dead one's code is the other one
                    code = next((c for c in codes.values() if c and c != -signal.SIGTERM), None)
                    ready[broken[0][0]] = crashed(broken[0][1], code)
                else:
                    suspects.extend(sorted(broken))


# A task of several files saves commits only when its files are quick: it takes files up to this many
# bytes together, so a PDF or a scan (seconds of work) is a task alone and the workers share them out.
TASK_BYTES = 64 * 1024


def _size(f: str | Path) -> int:
    try:
        return os.stat(f).st_size
    except OSError:
        return 0


def _each(task: Callable[[Path, Limits], object], paths: list[Path], limits: Limits) -> list:
    return [task(p, limits) for p in paths]


@dataclass
class Summary:
    """Counts by outcome and by reason (error code), for the end of a batch."""

    total: int = 0
    by_status: dict[str, int] | None = None
    by_reason: dict[str, int] | None = None

    def __post_init__(self) -> None:
        self.by_status = self.by_status or {}
        self.by_reason = self.by_reason or {}

    def add(self, status: str, reason: str | None = None) -> None:
        self.total += 1
        self.by_status[status] = self.by_status.get(status, 0) + 1
        if reason:
            self.by_reason[reason] = self.by_reason.get(reason, 0) + 1


def check_files(files: Iterable[Path], *, workers: int | None = None, limits: Limits | None = None,
                scheduler: str | None = None, ordered: bool = False) -> Iterator[CheckResult]:
    """Check every file on local worker processes, or on the Dask cluster at ``scheduler`` (``ordered``:
    results in the order of ``files``)."""
    limits = limits or Limits()
    if scheduler:
        from .cluster import check_on_cluster

        yield from check_on_cluster(files, scheduler, limits, ordered=ordered)
        return
    with LocalPool(workers or default_workers(), limits) as pool:
        yield from pool.imap(files, ordered=ordered)


# ---- ingest ------------------------------------------------------------------------------------------
HASH_CHUNK = 256       # files hashed and looked up in the store at a time
TASK_FILES = 8         # files a worker checks and stores per transaction
COMMIT_EVERY = 50      # reports per transaction
COMMIT_SECONDS = 2.0   # ... or whatever is waiting after this long


def known_or_new(store: "ReportStore", files: Iterable[Path], limits: Limits
                 ) -> Iterator[tuple[Path, "IngestOutcome | None"]]:
    """Each file with its outcome if nothing needs doing (already stored by content hash: ``unchanged``;
    over the size limit: ``error``, never read), or ``None`` if it must be checked."""
    from .store.reports import IngestOutcome

    def flush(chunk: list[tuple[Path, str]]):
        stored = store.known_hashes([h for _, h in chunk if h])
        for f, h in chunk:
            hit = stored.get(h) if h else None
            yield f, (IngestOutcome(str(f), "unchanged", hit.agency, hit.year, hit.version) if hit else None)

    chunk: list[tuple[Path, str]] = []
    for f in files:
        refused = too_large(f, limits)
        if refused is not None:
            yield f, IngestOutcome(str(f), "error", reason=f"{refused.error_code}: {refused.error}")
            continue
        try:
            digest = file_sha256(f) if f.is_file() else ""
        except OSError:
            digest = ""   # the worker reports what is wrong with it
        chunk.append((f, digest))
        if len(chunk) >= HASH_CHUNK:
            yield from flush(chunk)
            chunk = []
    if chunk:
        yield from flush(chunk)


def ingest_files(store: "ReportStore", files: Iterable[Path], *, workers: int | None = None,
                 limits: Limits | None = None, scheduler: str | None = None,
                 commit_every: int = COMMIT_EVERY) -> Iterator["IngestOutcome"]:
    """Check and store files: already stored ones skipped by hash, the rest checked in parallel and
    written in batched transactions; yields one outcome per file, each after its data is committed, in
    the order of ``files`` (on a cluster: as tasks complete)."""
    from .store.reports import IngestOutcome

    limits = limits or Limits()
    if scheduler:
        from .cluster import ingest_on_cluster

        yield from ingest_on_cluster(store, files, scheduler, limits, commit_every=commit_every)
        return
    # Hashing runs ahead of the workers a chunk at a time; a file already decided passes straight through.
    todo = (f if outcome is None else outcome for f, outcome in known_or_new(store, files, limits))
    buffer: list[CheckResult] = []
    last = time.monotonic()
    url = store.engine.url
    shared = url.get_backend_name() != "sqlite" or url.database not in (None, "", ":memory:")
    # Workers write their own reports into a store they can open; the driver writes only what a worker could
    # not (a file that took its worker down, a batch-internal error) and a store only it can see.
    pool = (LocalPool(workers or default_workers(), limits, task=check_and_prepare, task_many=check_and_store,
                      per_task=min(commit_every, TASK_FILES),
                      setup=(open_worker_store, (url.render_as_string(hide_password=False), store.rules)))
            if shared else LocalPool(workers or default_workers(), limits, task=check_and_prepare))
    with pool:
        for r in pool.imap(todo, ordered=True):   # outcomes in the order of the files
            if isinstance(r, IngestOutcome):
                if buffer:   # keep the order of the files
                    yield from store.ingest_many(buffer)
                    buffer, last = [], time.monotonic()
                yield r
                continue
            buffer.append(r)
            if len(buffer) >= commit_every or time.monotonic() - last > COMMIT_SECONDS:
                yield from store.ingest_many(buffer)
                buffer, last = [], time.monotonic()
        if buffer:
            yield from store.ingest_many(buffer)


def check_and_prepare(path: Path, limits: Limits):
    """Runs in a worker: check a file under the limits and turn it into the rows ingest writes, so the
    writer process only inserts (``gongkai.store.reports.PreparedReport``)."""
    result = check_bounded(path, limits)
    try:
        return _prepared(result)
    except Exception as e:  # a bug on one report: its error, the batch goes on
        return _prepared(CheckResult(str(path), "error", error_code="store.internal", sha256=result.sha256,
                                     error=f"{type(e).__name__}: {e}"[:500]))


_worker_store: "ReportStore | None" = None


def _start_worker(limits: Limits, setup: tuple[Callable, tuple] | None, ocr_threads: int = 1) -> None:
    os.environ.setdefault("GONGKAI_OCR_THREADS", str(ocr_threads))   # read when the recogniser loads
    init_worker(limits)
    if setup is not None:
        setup[0](*setup[1])


def open_worker_store(url: str, rules) -> None:
    """Runs once in each ingest worker: its own engine on the shared store (never the driver's
    connections, which a forked process must not use)."""
    global _worker_store
    from .store.reports import ReportStore

    _worker_store = ReportStore(url, rules=rules, migrate=False, bulk=True)


def check_and_store(paths: list[Path], limits: Limits) -> list:
    """Runs in an ingest worker: check a few files, each under the limits, turn them into rows and store
    them in one transaction (each report in its own savepoint); the outcomes come back only after the
    commit. A worker that dies on one of them has committed none of them."""
    from .store.reports import IngestOutcome

    rows = [check_and_prepare(p, limits) for p in paths]
    try:
        return _worker_store.ingest_many(rows)
    except Exception as e:  # the store is unreachable or a bug: these files' error, the batch goes on
        return [IngestOutcome(str(p), "error", reason=f"store.failed: {type(e).__name__}: {e}"[:500]) for p in paths]


def _prepared(result: CheckResult):
    from .store.reports import prepare_result

    return prepare_result(result)
