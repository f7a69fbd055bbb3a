"""`gongkai check`: parse and validate reports on every core, a progress bar, a summary, JSON/CSV/Excel.

Only typer and rich are imported with this module; the checking itself runs in worker processes
(gongkai.batch), which import the readers and matchers.
"""
from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Optional

import typer

from .batchopts import (MEMORY_LIMIT, NO_OCR, PAGE_TIME, SCHEDULER, TIME_LIMIT, WORKERS, batch_options, progress_bar,
                        summary_lines)

if TYPE_CHECKING:  # pragma: no cover
    from rich.console import Console

    from ..check import CheckResult


class OutFormat(str, Enum):
    csv = "csv"
    xlsx = "xlsx"


SEV_STYLE = {"error": "bold red", "warning": "yellow", "info": "dim"}


def _print_problem(console: "Console", r: "CheckResult") -> bool:
    """One line for a file that could not be read or is not a report; False for a report."""
    from rich.markup import escape

    if r.status == "error":
        console.print(f"[bold red]✗ {escape(r.path)}[/]: 无法读取 — {escape(r.error or '')} [dim]({escape(r.error_code or '')})[/]")
        if r.error_code == "read.needs-ocr":
            console.print("  （扫描件或图片：去掉 --no-ocr 即可用 OCR 识别）")
        return True
    if r.status == "not-report":
        console.print(f"[yellow]– {escape(r.path)}[/]: 不是政府信息公开工作年度报告 (not an annual report) — "
                      f"{escape(r.error or '')}")
        return True
    return False


def _print_ocr(console: "Console", r: "CheckResult") -> None:
    """Which pages OCR read for a file and how long it took (said for every file that needed it)."""
    if r.ocr:
        from rich.markup import escape

        from ..check import ocr_summary

        console.print(f"  [cyan]OCR[/] {escape(r.path)}：{escape(ocr_summary(r.ocr))}")


DETAIL_FILES = 10   # up to this many files, every report's findings are listed unless --brief


def _print_line(console: "Console", r: "CheckResult") -> None:
    """One line for a report: mark, file, agency, year, key totals, counts of errors and warnings."""
    from rich.markup import escape

    rep = r.report
    n_err, n_warn = len(r.errors), len(r.warnings)
    mark = "[bold red]✗[/]" if n_err else ("[yellow]![/]" if n_warn else "[green]✓[/]")
    t3 = rep.table3

    def v(key: str) -> str:
        cells = t3.get(key)
        if not cells:
            return "—"
        c = cells[6]
        return str(c.value) if c.is_number else ("空白" if c.kind.value == "blank" else c.kind.value)
    console.print(f"{mark} [bold]{escape(r.path)}[/]  {escape(rep.agency or '?')} {rep.year or '?'}年  格式 {rep.format}"
                  f"  新收 {escape(v('new_received'))} · 上年结转 {escape(v('carried_over'))} · 办结 {escape(v('total'))} · "
                  f"结转 {escape(v('carried_forward'))}"
                  f"  — 错误 {n_err} · 警告 {n_warn}")


def _print_result(console: "Console", r: "CheckResult", show_info: bool) -> None:
    from rich.markup import escape
    from rich.table import Table

    from ..findings import Severity

    if _print_problem(console, r):
        return
    _print_ocr(console, r)
    _print_line(console, r)
    shown = [f for f in r.findings if show_info or f.severity is not Severity.INFO]
    if shown:
        table = Table(show_header=True, header_style="bold", box=None, padding=(0, 1))
        table.add_column("级别")
        table.add_column("说明")  # the finding's code is for --json and the spreadsheets, not the screen
        for f in sorted(shown, key=lambda f: f.severity.rank):
            table.add_row(f"[{SEV_STYLE[f.severity.value]}]{f.severity.zh}[/]", escape(f.message))
        console.print(table)


def register(app: typer.Typer) -> None:
    @app.command("check")
    def check(
        paths: list[Path] = typer.Argument(..., help="报告文件或文件夹 (report files or folders)"),
        json_out: Optional[str] = typer.Option(None, "--json", help="写出模型与问题的 JSON 文件（- 为标准输出）"),
        out_format: Optional[OutFormat] = typer.Option(None, "--format", help="写出全部单元格与问题的表格: csv|xlsx"),
        output: Path = typer.Option(Path("gongkai-check"), "--output", "-o", help="--format 的输出文件（不含扩展名）"),
        show_info: bool = typer.Option(False, "--info", help="也显示提示级别的问题（如数字拆分的依据）"),
        quiet: bool = typer.Option(False, "--quiet", "-q", help="只显示汇总"),
        details: Optional[bool] = typer.Option(None, "--details/--brief", "-v",
                                               help="逐个报告列出问题（默认：不超过 10 个文件时列出；更多时只列出有错误的报告、进度与汇总）"),
        workers: Optional[int] = WORKERS,
        scheduler: Optional[str] = SCHEDULER,
        time_limit: float = TIME_LIMIT,
        page_time: float = PAGE_TIME,
        memory_limit: int = MEMORY_LIMIT,
        no_ocr: bool = NO_OCR,
    ) -> None:
        """Parse and validate annual reports; exit 1 when any report has errors or cannot be read."""
        opts = batch_options(workers, scheduler, time_limit, page_time, memory_limit, no_ocr)
        from ..batch import Summary, check_files
        from .output import ReadableConsole as Console  # tables wrap, never cut with "…"
        from rich.markup import escape

        from ..discover import discover

        console = Console(stderr=json_out == "-")
        found = discover(paths)
        files = found.files
        for skip in found.skipped:  # what a folder holds that is not read is said, never skipped in silence
            console.print(f"[dim]– 跳过 {escape(str(skip.path))}[/]：{escape(skip.reason)}")
        if not files:
            console.print("[red]没有找到可检查的文件 (no files to check)[/]")
            raise typer.Exit(2)
        writers = []
        if json_out:
            from ..export import JsonWriter

            writers.append(JsonWriter(json_out, single=len(files) == 1))
        if out_format is not None:
            from ..export import CsvWriter, XlsxWriter

            out = output.with_suffix("." + out_format.value)
            writers.append(CsvWriter(out) if out_format is OutFormat.csv else XlsxWriter(out))
        if details is None:
            details = len(files) <= DETAIL_FILES
        summary = Summary()
        with_errors = n_err = 0
        try:
            with progress_bar(console, len(files)) as (progress, task):
                for r in check_files(files, workers=opts.workers, limits=opts.limits, scheduler=opts.scheduler,
                                     ordered=True):
                    summary.add(r.status, r.error_code)
                    if r.status == "ok" and r.errors:
                        with_errors += 1
                        n_err += len(r.errors)
                    for w in writers:
                        w.add(r)
                    if quiet:
                        pass
                    elif details:
                        _print_result(progress.console, r, show_info)
                    elif not _print_problem(progress.console, r):
                        if r.errors:
                            _print_line(progress.console, r)
                        _print_ocr(progress.console, r)
                    progress.advance(task)
        finally:
            written = [p for w in writers for p in (w.close() or [])]
        s = summary.by_status
        console.print(f"\n共 {summary.total} 个文件：报告 {s.get('ok', 0)}，其中有错误 {with_errors}；"
                      f"非年度报告 {s.get('not-report', 0)}；无法读取 {s.get('error', 0)}；错误合计 {n_err}"
                      + (f"；跳过 {len(found.skipped)} 个不读取的文件" if found.skipped else ""))
        for line in summary_lines(summary):
            console.print(line)
        if written:
            console.print("写出：" + "，".join(escape(str(p)) for p in written))
        raise typer.Exit(1 if (n_err or s.get("error")) else 0)
