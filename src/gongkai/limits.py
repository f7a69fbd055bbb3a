"""Work on one file is bounded: CPU time (scaled by page count) and memory, in the process that does it.

``check_bounded`` runs ``check_path`` under a budget and always returns a ``CheckResult``: a file that runs
over its time or memory budget gets a ``limit.*`` error naming the file, and the caller's batch goes on.

* **Time** is CPU time of the worker process (``ITIMER_PROF``, all threads): it does not stretch when the
  machine is busy, so a file's fate does not depend on what else runs. The budget is ``seconds`` plus
  ``seconds_per_page`` for each PDF page, so a scan that OCR reads at a few seconds a page is allowed for.
  The soft limit raises ``OverBudget`` between two Python bytecodes; code stuck inside a C call cannot see
  it, so a wall-clock alarm with the default action (the kernel ends the process) backs it up. The driver
  sees that process die and records the file (``gongkai.batch``).
* **Memory** is the worker's address space (``RLIMIT_AS``), set once when the worker starts to what it
  maps then plus ``memory_mb``: an allocation past it raises ``MemoryError`` in the worker instead of
  taking the machine down, and the worker goes on with the next file.

Limits apply only in worker processes (``init_worker``); the driver process never limits itself.
"""
from __future__ import annotations

import ctypes
import gc
import resource
import signal
import sys
from dataclasses import dataclass
from pathlib import Path

from .check import CheckResult
from .read import MAX_BYTES

TIME_CODE = "limit.time"
MEMORY_CODE = "limit.memory"
CRASH_CODE = "limit.crashed"
SIZE_CODE = "read.too-large"


@dataclass(frozen=True)
class Limits:
    """Per-file budget. ``seconds`` of CPU per file plus ``seconds_per_page`` per PDF page (OCR of a scan
    costs ≈ 2–3 s a page); ``memory_mb`` of address space a worker may map beyond what it held when it
    started; ``max_bytes`` per file."""

    seconds: float = 60.0
    seconds_per_page: float = 10.0
    memory_mb: int = 3072
    max_bytes: int = MAX_BYTES
    ocr: bool = True            # scanned pages and images read by OCR (else a read.needs-ocr error)

    def budget(self, pages: int) -> float:
        return self.seconds + self.seconds_per_page * max(1, pages)

    def hard_wall(self, pages: int) -> float:
        """Wall-clock backstop for work stuck in C code: generous, since a busy machine slows wall time."""
        return 3 * self.budget(pages) + 30


class OverBudget(BaseException):
    """Raised in a worker when its file's CPU budget is spent. A BaseException, so the generic
    ``except Exception`` of readers and matchers (which turn bugs into per-file errors) lets it through."""


def _on_prof(signum, frame) -> None:  # pragma: no cover - runs in workers
    raise OverBudget()


_limits: Limits | None = None


def init_worker(limits: Limits) -> None:
    """Set up a worker process: memory limit, CPU-time handler, and die with the parent."""
    global _limits
    _limits = limits
    # Load the readers, matchers and rules now, so that a file's budget is spent on the file only.
    import importlib

    for name in ("gongkai.match", "gongkai.rules", "gongkai.prose", "gongkai.read.text", "gongkai.read.html",
                 "gongkai.read.docx", "gongkai.read.pdf"):
        try:
            importlib.import_module(name)
        except ImportError:  # a reader whose library is missing says so per file
            pass
    if limits.memory_mb > 0:
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        # on top of what the worker already maps: a forked worker inherits its parent's address space,
        # which says nothing about what a file may take
        want = (_mapped_bytes() or 0) + limits.memory_mb * 1024 * 1024
        if hard != resource.RLIM_INFINITY:
            want = min(want, hard)
        resource.setrlimit(resource.RLIMIT_AS, (want, hard))
        # The limit is for the files, not for the worker's own shutdown: a worker whose last file met the
        # limit could otherwise spin in malloc while it exits (seen once in CI), and the batch waits for it.
        from multiprocessing import util

        util.Finalize(None, resource.setrlimit, args=(resource.RLIMIT_AS, (soft, hard)), exitpriority=1000)
    signal.signal(signal.SIGPROF, _on_prof)
    signal.signal(signal.SIGALRM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the driver's to handle
    if sys.platform.startswith("linux"):
        try:  # a worker must not outlive a driver killed with SIGKILL
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass


def _mapped_bytes() -> int | None:
    """This process's address space (VmSize), Linux only."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def page_count(path: Path) -> int:
    """Pages of a PDF (cheap: the page tree only), 1 for anything else or anything unreadable."""
    try:
        with open(path, "rb") as fh:
            if fh.read(5) != b"%PDF-":
                return 1
        import pypdfium2 as pdfium

        doc = pdfium.PdfDocument(str(path))
        try:
            return max(1, len(doc))
        finally:
            doc.close()
    except Exception:
        return 1


def too_large(path: Path, limits: Limits) -> CheckResult | None:
    """The refusal of a file over the size limit, decided from its size alone (never read or hashed)."""
    try:
        size = path.stat().st_size
    except OSError:
        return None  # check_path says what is wrong with a missing file
    if size <= limits.max_bytes:
        return None
    return CheckResult(str(path), "error", error_code=SIZE_CODE,
                       error=f"文件过大：{size / 1024 / 1024:.0f} MB，上限 {limits.max_bytes / 1024 / 1024:.0f} MB，"
                             f"未读取 (file too large: not read)")


def check_bounded(path: str | Path, limits: Limits | None = None) -> CheckResult:
    """``check_path`` under the per-file budget; always returns a result, never raises for the file."""
    limits = limits or _limits or Limits()
    p = Path(path)
    refused = too_large(p, limits)
    if refused is not None:
        return refused
    pages = page_count(p)
    budget = limits.budget(pages)
    signal.setitimer(signal.ITIMER_PROF, budget)
    signal.setitimer(signal.ITIMER_REAL, limits.hard_wall(pages))
    from .check import check_path

    try:
        return check_path(p, ocr=limits.ocr)
    except OverBudget:
        return CheckResult(str(p), "error", error_code=TIME_CODE,
                           error=f"处理超时：超过 {budget:g} 秒 CPU 时间上限（{pages} 页），已跳过 "
                                 f"(over the time budget)")
    except MemoryError:
        return CheckResult(str(p), "error", error_code=MEMORY_CODE,
                           error=f"内存超限：超过 {limits.memory_mb} MB 上限，已跳过 (over the memory budget)")
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.setitimer(signal.ITIMER_REAL, 0)
        gc.collect(0)


def crashed(path: str | Path, exitcode: int | None) -> CheckResult:
    """The result of a file whose worker process died while on it (alone, so the file is the cause)."""
    if exitcode == -signal.SIGALRM:
        why = "处理超时且无法中断，工作进程已终止 (stuck past the wall-clock limit)"
        code = TIME_CODE
    elif exitcode == -signal.SIGKILL:
        why = "工作进程被终止（可能内存耗尽）(worker killed, possibly out of memory)"
        code = CRASH_CODE
    elif exitcode is None:   # died before its exit status could be read (it was not reaped yet)
        why = "工作进程意外终止 (worker died)"
        code = CRASH_CODE
    else:
        why = f"工作进程意外终止（退出码 {exitcode}）(worker crashed)"
        code = CRASH_CODE
    return CheckResult(str(path), "error", error_code=code, error=why)


def cpu_seconds() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


__all__ = ["Limits", "OverBudget", "init_worker", "check_bounded", "crashed", "too_large", "page_count",
           "cpu_seconds", "TIME_CODE", "MEMORY_CODE", "CRASH_CODE", "SIZE_CODE"]
