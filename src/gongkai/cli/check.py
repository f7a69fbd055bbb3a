"""`gongkai check`: parse and validate reports, print a summary, write JSON/CSV/Excel."""
from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from ..check import CheckResult, check_path, iter_report_files, ocr_summary
from ..export import write_csv, write_json, write_xlsx
from ..findings import Severity


class OutFormat(str, Enum):
    csv = "csv"
    xlsx = "xlsx"


SEV_STYLE = {"error": "bold red", "warning": "yellow", "info": "dim"}
SEV_ZH = {"error": "错误", "warning": "警告", "info": "提示"}


def _print_result(console: Console, r: CheckResult, show_info: bool) -> None:
    if r.status == "error":
        console.print(f"[bold red]✗ {r.path}[/]: 无法读取 — {r.error}")
        if r.error_code == "read.needs-ocr":
            console.print("  （扫描件或图片：去掉 --no-ocr 即可用 OCR 识别）")
        return
    if r.status == "not-report":
        console.print(f"[yellow]– {r.path}[/]: 不是政府信息公开工作年度报告 (not an annual report) — {r.error}")
        return
    if r.ocr:
        console.print(f"  [cyan]OCR[/] {ocr_summary(r.ocr)}")
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
    console.print(f"{mark} [bold]{r.path}[/]  {rep.agency or '?'} {rep.year or '?'}年  格式 {rep.format}"
                  f"  新收 {v('new_received')} · 上年结转 {v('carried_over')} · 办结 {v('total')} · 结转 {v('carried_forward')}"
                  f"  — 错误 {n_err} · 警告 {n_warn}")
    shown = [f for f in r.findings if show_info or f.severity is not Severity.INFO]
    if shown:
        table = Table(show_header=True, header_style="bold", box=None, padding=(0, 1))
        table.add_column("级别")
        table.add_column("代码")
        table.add_column("说明")
        for f in sorted(shown, key=lambda f: f.severity.rank):
            table.add_row(f"[{SEV_STYLE[f.severity.value]}]{SEV_ZH[f.severity.value]}[/]", f.code, f.message)
        console.print(table)


def ocr_progress(progress: Progress, name: str):
    """A progress callback showing the pages of one file as OCR reads them."""
    state: dict = {}

    def update(done: int, total: int) -> None:
        if "task" not in state:
            state["task"] = progress.add_task(f"OCR 识别 {name}", total=total)
        progress.update(state["task"], completed=done, total=total, visible=done < total)

    return update


def register(app: typer.Typer) -> None:
    @app.command("check")
    def check(
        paths: list[Path] = typer.Argument(..., help="报告文件或文件夹 (report files or folders)"),
        json_out: Optional[str] = typer.Option(None, "--json", help="写出模型与问题的 JSON 文件（- 为标准输出）"),
        out_format: Optional[OutFormat] = typer.Option(None, "--format", help="写出全部单元格与问题的表格: csv|xlsx"),
        output: Path = typer.Option(Path("gongkai-check"), "--output", "-o", help="--format 的输出文件（不含扩展名）"),
        show_info: bool = typer.Option(False, "--info", help="也显示提示级别的问题（如数字拆分的依据）"),
        quiet: bool = typer.Option(False, "--quiet", "-q", help="只显示汇总"),
        no_ocr: bool = typer.Option(False, "--no-ocr", help="不对扫描页面和图片做 OCR 识别（这类文件报“需要 OCR”）"),
    ) -> None:
        """Parse and validate annual reports; exit 1 when any report has errors or cannot be read."""
        console = Console(stderr=json_out == "-")
        files = iter_report_files(paths)
        if not files:
            console.print("[red]没有找到可检查的文件 (no files to check)[/]")
            raise typer.Exit(2)
        results: list[CheckResult] = []
        with Progress(console=console, transient=True) as progress:
            task = progress.add_task("检查中", total=len(files), visible=len(files) > 1)
            for f in files:
                r = check_path(f, ocr=not no_ocr, progress=ocr_progress(progress, f.name))
                results.append(r)
                if not quiet:
                    _print_result(progress.console, r, show_info)
                progress.advance(task)
        ok = [r for r in results if r.status == "ok"]
        n_err = sum(len(r.errors) for r in ok)
        failed = [r for r in results if r.status == "error"]
        not_rep = [r for r in results if r.status == "not-report"]
        console.print(f"\n共 {len(results)} 个文件：报告 {len(ok)}，其中有错误 {sum(1 for r in ok if r.errors)}；"
                      f"非年度报告 {len(not_rep)}；无法读取 {len(failed)}；错误合计 {n_err}")
        if json_out:
            write_json(results, json_out)
        if out_format is not None:
            out = output.with_suffix("." + out_format.value)
            written = write_csv(results, out) if out_format is OutFormat.csv else write_xlsx(results, out)
            console.print("写出：" + "，".join(str(p) for p in written))
        raise typer.Exit(1 if (n_err or failed) else 0)
