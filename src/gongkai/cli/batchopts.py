"""Options and terminal output shared by the batch commands (`check`, `ingest`): workers, cluster, limits,
the progress bar and the summary by reason. Layout only; the batch itself is gongkai.batch."""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterator, Optional

import typer

if TYPE_CHECKING:  # pragma: no cover
    from rich.console import Console
    from rich.progress import Progress, TaskID

    from ..batch import Summary
    from ..limits import Limits

WORKERS = typer.Option(None, "--workers", "-j", min=1, help="并行工作进程数（默认：本机全部核心）")
SCHEDULER = typer.Option(None, "--scheduler", help="Dask 集群调度器地址，如 tcp://10.0.0.5:8786（在集群上运行）")
TIME_LIMIT = typer.Option(60.0, "--time-limit", min=0.01, help="每个文件的 CPU 时间上限（秒），另加每页 --page-time")
PAGE_TIME = typer.Option(10.0, "--page-time", min=0.0, help="PDF 每页另加的 CPU 时间（秒；扫描件 OCR 每页约 2–3 秒）")
NO_OCR = typer.Option(False, "--no-ocr", help="不对扫描页面和图片做 OCR 识别（这类文件报“需要 OCR”）")
MEMORY_LIMIT = typer.Option(3072, "--memory-limit", min=0, help="每个文件可用的内存（MB，工作进程启动后另加；0 为不限）")

REASON_ZH = {
    "limit.time": "超时", "limit.memory": "内存超限", "limit.crashed": "工作进程退出",
    "read.too-large": "文件过大", "read.not-found": "文件不存在", "read.empty": "空文件",
    "read.unsupported-type": "不支持的类型", "read.corrupt": "文件损坏", "report.not-annual-report": "非年度报告",
    "read.needs-ocr": "扫描件未做 OCR",
}


@dataclass(frozen=True)
class BatchOptions:
    workers: int | None
    scheduler: str | None
    limits: "Limits"


def batch_options(workers: Optional[int], scheduler: Optional[str], time_limit: float, page_time: float,
                  memory_limit: int, no_ocr: bool = False) -> BatchOptions:
    from ..limits import Limits

    return BatchOptions(workers, scheduler, Limits(seconds=time_limit, seconds_per_page=page_time,
                                                   memory_mb=memory_limit, ocr=not no_ocr))


@contextmanager
def progress_bar(console: "Console", total: int, label: str = "检查中") -> Iterator[tuple["Progress", "TaskID"]]:
    """A bar with count, rate and time left (hidden when there is one file or no terminal)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("{task.fields[rate]}"), TimeRemainingColumn(), console=console, transient=True,
                  disable=total < 2) as progress:
        task = progress.add_task(label, total=total, rate="")
        yield _RateProgress(progress, task), task


class _RateProgress:
    """Progress whose advance also refreshes the files-per-second field."""

    def __init__(self, progress: "Progress", task: "TaskID") -> None:
        self._p, self._t = progress, task
        self.console = progress.console

    def advance(self, task: "TaskID", n: int = 1) -> None:
        self._p.advance(task, n)
        speed = self._p.tasks[0].speed if self._p.tasks else None
        self._p.update(task, rate=f"{speed:,.1f} 个/秒" if speed else "")


def summary_lines(summary: "Summary") -> list[str]:
    """The reasons files failed, most frequent first (rich markup; codes are gongkai's own)."""
    from rich.markup import escape

    if not summary.by_reason:
        return []
    parts = [f"{escape(REASON_ZH.get(code, code))} [dim]{escape(code)}[/] {n}"
             for code, n in sorted(summary.by_reason.items(), key=lambda kv: (-kv[1], kv[0]))]
    return ["按原因：" + "；".join(parts)]
