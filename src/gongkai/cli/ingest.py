"""`gongkai ingest | report | export | agencies`: the report corpus on the command line.

A thin adapter: the store (gongkai.store.reports), the indicators (gongkai.corpus.compare), the cross-report
checks (gongkai.corpus.crossyear) and the writers (gongkai.corpus.export) do the work.
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.table import Table

from .show import cells, esc

from .batchopts import (MEMORY_LIMIT, NO_OCR, PAGE_TIME, SCHEDULER, TIME_LIMIT, WORKERS, batch_options, progress_bar,
                        summary_lines)
from .output import ReadableConsole as Console  # tables wrap, never cut with "…"

DB_HELP = "数据库：SQLite 文件路径或 URL（默认 gongkai.db，或环境变量 GONGKAI_DB）；postgresql://用户@主机/数据库 用 PostgreSQL"
STATUS = {  # outcome -> (shown word, style)
    "stored": ("已入库", "green"),
    "new-version": ("新版本", "cyan"),
    "unchanged": ("未变", "dim"),
    "not-report": ("非年度报告", "yellow"),
    "error": ("错误", "red"),
}


def _store(db: Optional[str], agencies: Optional[Path] = None):
    from ..corpus.agencies import AgencyRules
    from ..store.reports import ReportStore

    return ReportStore(db, rules=AgencyRules.load(agencies) if agencies else None)


def register(app: typer.Typer) -> None:
    @app.command("ingest")
    def ingest(
        paths: list[str] = typer.Argument(..., help="报告文件或文件夹"),
        db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
        agencies: Optional[Path] = typer.Option(None, "--agencies", help="机关名称/隶属关系文件（YAML，格式同 agencies.yaml）"),
        details: bool = typer.Option(False, "--details", "-v", help="逐个文件列出结果（默认只列出出错的文件）"),
        workers: Optional[int] = WORKERS,
        scheduler: Optional[str] = SCHEDULER,
        time_limit: float = TIME_LIMIT,
        page_time: float = PAGE_TIME,
        memory_limit: int = MEMORY_LIMIT,
        commit_every: int = typer.Option(50, "--commit-every", min=1,
                                          help="每个数据库事务至多写入的报告数（各工作进程每次至多 8 份）"),
        no_ocr: bool = NO_OCR,
    ) -> None:
        """Check reports on every core and store them; files already stored (same content) are skipped;
        several reports per transaction, none half-stored; a batch goes on after errors."""
        from rich.markup import escape

        from ..batch import Summary
        from ..discover import discover

        opts = batch_options(workers, scheduler, time_limit, page_time, memory_limit, no_ocr)
        console = Console()
        found = discover(paths)  # a path that does not exist is passed on: check says so per file
        files = found.files
        for skip in found.skipped:  # what a folder holds that is not read is said, never skipped in silence
            console.print(f"[dim]– 跳过 {escape(str(skip.path))}[/]：{escape(skip.reason)}")
        summary = Summary()
        with _store(db, agencies) as store, progress_bar(console, len(files), "入库") as (progress, task):
            try:
                outcomes = store.ingest_files(files, workers=opts.workers, limits=opts.limits,
                                              scheduler=opts.scheduler, commit_every=commit_every)
                for outcome in outcomes:
                    code = outcome.reason.split(":", 1)[0] if outcome.status == "error" and outcome.reason else None
                    summary.add(outcome.status, code)
                    if details or outcome.status in ("error", "not-report"):
                        word, style = STATUS[outcome.status]
                        what = f"{outcome.agency} {outcome.year}" if outcome.agency else ""
                        if outcome.version and outcome.status != "unchanged":
                            what += f" v{outcome.version}"
                        tail = f" — {outcome.reason}" if outcome.reason else ""
                        progress.console.print(f"[{style}]{word:<6}[/]{escape(outcome.path)}  {escape(what)}"
                                               f"{escape(tail)}")
                    if outcome.ocr:   # which pages OCR read and how long: said for every scan
                        from ..check import ocr_summary

                        progress.console.print(f"  [cyan]OCR[/] {escape(outcome.path)}：{escape(ocr_summary(outcome.ocr))}")
                    progress.advance(task)
            except ValueError as e:   # e.g. a cluster run on a SQLite file
                console.print(f"[red]{escape(str(e))}[/]")
                raise typer.Exit(2)
        totals = summary.by_status
        console.print("，".join(f"{STATUS[k][0]} {n}" for k, n in totals.items()) or "没有文件",
                      *([f"；跳过 {len(found.skipped)} 个不读取的文件"] if found.skipped else []), sep="")
        for line in summary_lines(summary):
            console.print(line)
        if totals.get("error"):
            raise typer.Exit(1)

    @app.command("report")
    def report(
        db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
        agency: Optional[str] = typer.Option(None, "--agency", help="只看一个机关"),
        year: Optional[int] = typer.Option(None, "--year", help="只看一个年度"),
        findings: bool = typer.Option(True, "--findings/--no-findings", help="列出跨报告比对的问题"),
        limit: int = typer.Option(50, "--limit", min=1, help="每页报告数"),
        page: int = typer.Option(1, "--page", min=1, help="页码"),
    ) -> None:
        """Key indicators of the stored reports, a page at a time, with cross-year and parent/child findings."""
        from rich.markup import escape

        from ..corpus.export import load_page, rich_table

        console = Console()
        with _store(db) as store:
            corpus = load_page(store, agency=agency, year=year, limit=limit, offset=(page - 1) * limit,
                               cross=findings)
        console.print(rich_table(corpus.rows, width=console.width))
        pages = max(1, -(-corpus.total // limit))
        console.print(f"第 {page}/{pages} 页，共 {corpus.total} 份报告" + ("（--page 翻页）" if pages > 1 else ""))
        if findings and corpus.cross:
            t = Table(title="跨报告比对 (across reports)")
            for h in ("机关", "年度", "级别", "说明"):
                t.add_column(h, overflow="fold")
            for cf in corpus.cross:
                f = cf.finding
                t.add_row(escape(cf.agency), str(cf.year), f.severity.zh, f"{escape(f.message)}\n[dim]{escape(f.gloss)}[/]")
            console.print(t)

    @app.command("export")
    def export(
        fmt: str = typer.Option("xlsx", "--format", "-f", help="csv | xlsx | parquet"),
        out: Optional[Path] = typer.Option(None, "--out", "-o", help="输出文件（默认 gongkai-export.<format>）"),
        db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
        agency: Optional[str] = typer.Option(None, "--agency"),
        year: Optional[int] = typer.Option(None, "--year"),
        headers: str = typer.Option("en", "--headers", help="csv/parquet column names: en | zh"),
    ) -> None:
        """One row per report with key indicators; xlsx adds one sheet per table and a findings sheet."""
        from ..corpus.export import FORMATS, export as write, load_corpus, load_rows

        if fmt not in FORMATS:
            raise typer.BadParameter(f"--format must be one of {', '.join(FORMATS)}")
        with _store(db) as store:
            # CSV and Parquet hold the indicator rows only (SQL); the workbook also holds every cell and finding
            corpus = (load_corpus if fmt == "xlsx" else load_rows)(store, agency=agency, year=year)
        path = write(corpus, out or Path(f"gongkai-export.{fmt}"), fmt, headers=headers)
        Console().print(f"{len(corpus.rows)} 份报告 → {path}", markup=False)

    agencies_app = typer.Typer(help="机关：名称与隶属关系 (agencies and their parents)", no_args_is_help=True)
    app.add_typer(agencies_app, name="agencies")

    @agencies_app.command("list")
    def agencies_list(db: Optional[str] = typer.Option(None, "--db", help=DB_HELP)) -> None:
        """Stored agencies with their parents (how each link was made) and report counts."""
        with _store(db) as store:
            rows = store.agencies()
        t = Table("机关", "上级机关", "依据", "报告数")
        basis = {"name": "名称推断", "manual": "人工指定", None: ""}
        for a in rows:
            t.add_row(*cells(a.name, a.parent or "", basis.get(a.parent_basis, a.parent_basis), a.n_reports))
        Console().print(t)

    @agencies_app.command("link")
    def agencies_link(child: str, parent: str, db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
                      create: bool = typer.Option(False, "--create", help="机关尚未入库时新建（默认拒绝，以免错字成为新机关）"),
                      ) -> None:
        """Put CHILD under PARENT by hand (kept over what names imply)."""
        with _store(db) as store:
            try:
                c, p = store.link(child, parent, create=create)
            except ValueError as e:
                raise typer.BadParameter(str(e))
            except KeyError as e:
                raise typer.BadParameter(str(e.args[0]))
        Console().print(f"{c} → {p}（人工指定）", markup=False)

    @agencies_app.command("unlink")
    def agencies_unlink(child: str, db: Optional[str] = typer.Option(None, "--db", help=DB_HELP)) -> None:
        """Drop a manual link: CHILD goes back to the parent its name implies."""
        with _store(db) as store:
            try:
                name, had, now = store.unlink(child)
            except KeyError as e:
                raise typer.BadParameter(str(e.args[0]))
        now_words = f"现按名称推断隶属 {now}" if now else "现无上级机关"
        Console().print(f"{name}：已解除人工指定的上级，{now_words}" if had
                        else f"{name}：没有人工指定的上级，无需解除（{now_words}）", markup=False)

    @agencies_app.command("apply")
    def agencies_apply(file: Path, db: Optional[str] = typer.Option(None, "--db", help=DB_HELP)) -> None:
        """Apply the links of an agency file (YAML: links: {child: parent})."""
        from ..corpus.agencies import AgencyRules

        with _store(db, file) as store:
            done = store.apply_links(AgencyRules.load(file))
        for c, p in done:
            Console().print(f"{esc(c)} → {esc(p)}")
