"""`gongkai ingest | report | export | agencies`: the report corpus on the command line.

A thin adapter: the store (gongkai.store.reports), the indicators (gongkai.compare), the cross-report
checks (gongkai.crossyear) and the writers (gongkai.export_corpus) do the work.
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

DB_HELP = "数据库：SQLite 文件路径或 URL（默认 gongkai.db，或环境变量 GONGKAI_DB）；postgresql://… 用 PostgreSQL"
STATUS = {  # outcome -> (shown word, style)
    "stored": ("stored", "green"),
    "new-version": ("new version", "cyan"),
    "unchanged": ("unchanged", "dim"),
    "not-report": ("not a report", "yellow"),
    "error": ("error", "red"),
}


def _store(db: Optional[str], agencies: Optional[Path] = None):
    from ..agencies import AgencyRules
    from ..store.reports import ReportStore

    return ReportStore(db, rules=AgencyRules.load(agencies) if agencies else None)


def register(app: typer.Typer) -> None:
    @app.command("ingest")
    def ingest(
        paths: list[str] = typer.Argument(..., help="报告文件或文件夹"),
        db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
        agencies: Optional[Path] = typer.Option(None, "--agencies", help="机关名称/隶属关系文件（YAML，格式同 agencies.yaml）"),
    ) -> None:
        """Check reports and store them: one transaction per report; a batch goes on after errors."""
        from ..check import iter_report_files

        console = Console()
        files = iter_report_files(paths)  # a path that does not exist is passed on: check says so per file
        totals: dict[str, int] = {}
        with _store(db, agencies) as store, Progress(
            TextColumn("[progress.description]{task.description}"), BarColumn(), MofNCompleteColumn(),
            TimeRemainingColumn(), console=console, transient=True,
        ) as progress:
            task = progress.add_task("ingest", total=len(files))
            for outcome in store.ingest_files(files):
                word, style = STATUS[outcome.status]
                what = f"{outcome.agency} {outcome.year}" if outcome.agency else ""
                if outcome.version and outcome.status != "unchanged":
                    what += f" v{outcome.version}"
                tail = f" — {outcome.reason}" if outcome.reason else ""
                progress.console.print(f"[{style}]{word:<13}[/]{outcome.path}  {what}{tail}")
                if outcome.ocr:
                    from ..check import ocr_summary

                    progress.console.print(f"{'':13}OCR {ocr_summary(outcome.ocr)}")
                totals[outcome.status] = totals.get(outcome.status, 0) + 1
                progress.advance(task)
        console.print(", ".join(f"{n} {STATUS[k][0]}" for k, n in totals.items()) or "no files")
        if totals.get("error"):
            raise typer.Exit(1)

    @app.command("report")
    def report(
        db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
        agency: Optional[str] = typer.Option(None, "--agency", help="只看一个机关"),
        year: Optional[int] = typer.Option(None, "--year", help="只看一个年度"),
        findings: bool = typer.Option(True, "--findings/--no-findings", help="列出跨报告比对的问题"),
    ) -> None:
        """Key indicators of the stored reports, with cross-year and parent/child findings."""
        from ..export_corpus import load_corpus, rich_table

        console = Console()
        with _store(db) as store:
            corpus = load_corpus(store, agency=agency, year=year)
        console.print(rich_table(corpus.rows))
        if findings and corpus.cross:
            t = Table(title="跨报告比对 (across reports)")
            for h in ("机关", "年度", "级别", "代码", "说明"):
                t.add_column(h, overflow="fold")
            for cf in corpus.cross:
                f = cf.finding
                t.add_row(cf.agency, str(cf.year), f.severity.value, f.code, f"{f.message}\n[dim]{f.gloss}[/]")
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
        from ..export_corpus import FORMATS, export as write, load_corpus

        if fmt not in FORMATS:
            raise typer.BadParameter(f"--format must be one of {', '.join(FORMATS)}")
        with _store(db) as store:
            corpus = load_corpus(store, agency=agency, year=year)
        path = write(corpus, out or Path(f"gongkai-export.{fmt}"), fmt, headers=headers)
        Console().print(f"{len(corpus.rows)} reports → {path}")

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
            t.add_row(a.name, a.parent or "", basis.get(a.parent_basis, a.parent_basis), str(a.n_reports))
        Console().print(t)

    @agencies_app.command("link")
    def agencies_link(child: str, parent: str, db: Optional[str] = typer.Option(None, "--db", help=DB_HELP)) -> None:
        """Put CHILD under PARENT by hand (kept over what names imply)."""
        with _store(db) as store:
            try:
                c, p = store.link(child, parent)
            except ValueError as e:
                raise typer.BadParameter(str(e))
        Console().print(f"{c} → {p}")

    @agencies_app.command("unlink")
    def agencies_unlink(child: str, db: Optional[str] = typer.Option(None, "--db", help=DB_HELP)) -> None:
        """Drop a manual link: CHILD goes back to the parent its name implies."""
        with _store(db) as store:
            try:
                store.unlink(child)
            except KeyError as e:
                raise typer.BadParameter(str(e.args[0]))

    @agencies_app.command("apply")
    def agencies_apply(file: Path, db: Optional[str] = typer.Option(None, "--db", help=DB_HELP)) -> None:
        """Apply the links of an agency file (YAML: links: {child: parent})."""
        from ..agencies import AgencyRules

        with _store(db, file) as store:
            done = store.apply_links(AgencyRules.load(file))
        for c, p in done:
            Console().print(f"{c} → {p}")
