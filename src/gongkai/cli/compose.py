"""`gongkai compose template | build | diff`: an office's own annual report from its figures.

A thin adapter over gongkai.compose: the template writer, the composition (validate → prose →
documents → read back) and the diff against last year do the work; this module prints.
"""
from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Optional

import typer
from .output import ReadableConsole as Console  # tables wrap, never cut with "…"
from rich.table import Table

from .show import cells, esc

app = typer.Typer(help="编制本机关年度报告：数据模板、生成 DOCX/HTML/Markdown/PDF、与上年对比。", no_args_is_help=True)

DB_HELP = "请求登记库（SQLite 文件或 URL，同 gongkai requests --db）"
STORE_HELP = "年报库（同 gongkai ingest --db），用于取上年报告"


def _fail(message: str) -> typer.Exit:
    Console(stderr=True, soft_wrap=True).print(f"错误：{message}", highlight=False, markup=False, style="bold red")
    return typer.Exit(2)


@app.command("template")
def template(
    year: int = typer.Option(..., "--year", help="报告年度（2019–2020 用 2019 试行格式，2021 年起用 2021 格式）"),
    agency: Optional[str] = typer.Option(None, "--agency", help="机关名称"),
    prefill: Optional[Path] = typer.Option(None, "--prefill", help="预填数据：数据文件或已发布的报告"),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="模板文件（.xlsx）"),
) -> None:
    """写出 Excel 数据模板：每表一页，版式同官方表格，输入单元格可编辑，合计为公式。"""
    from ..compose.build import load_report
    from ..compose.figures import FiguresError
    from ..compose.template import write_template

    try:
        pre = load_report(prefill) if prefill else None
        path = write_template(output or Path(f"{agency or ''}{year}年政府信息公开年报数据.xlsx"), year,
                              agency=agency, prefill=pre)
    except (FiguresError, ValueError, OSError) as e:
        raise _fail(str(e)) from e
    Console().print(f"[green]已写出模板[/] {esc(path)}：填写 表二/表三/表四 的白底单元格后运行 "
                    f"[bold]gongkai compose build {esc(path)}[/]")


@app.command("build")
def build(
    figures: Optional[Path] = typer.Argument(None, help="数据：Excel 模板、YAML/JSON，或已发布的报告"),
    register: Optional[str] = typer.Option(None, "--register", help=DB_HELP + "：表三、表四从登记的申请和案件统计"),
    agency: Optional[str] = typer.Option(None, "--agency", help="机关名称（从登记库取数时）"),
    year: Optional[int] = typer.Option(None, "--year", help="报告年度（从登记库取数时）"),
    text: Optional[Path] = typer.Option(None, "--text", help="本机关撰写的文字：YAML（章节: 文字）或带官方标题的文本/Markdown"),
    last_year: Optional[Path] = typer.Option(None, "--last-year", help="上年报告（任意格式）"),
    store: Optional[str] = typer.Option(None, "--store", help=STORE_HELP),
    workplan: Optional[Path] = typer.Option(None, "--workplan", help="工作要点跟踪文件（gongkai workplan 的 JSON），用于起草第六部分"),
    subject: str = typer.Option("本机关", "--subject", help="报告主体的自称，如“我局”"),
    fee_count: Optional[int] = typer.Option(None, "--fee-count", help="本年收取信息处理费的件数"),
    fee_amount: Optional[str] = typer.Option(None, "--fee-amount", help="本年收取信息处理费的金额（元）"),
    out: Path = typer.Option(Path("年报输出"), "--out", help="输出文件夹"),
    formats: str = typer.Option("docx,html,md,pdf", "--formats", help="输出格式，逗号分隔"),
    as_json: bool = typer.Option(False, "--json", help="以 JSON 输出结果"),
) -> None:
    """由数据生成年度报告：校验数据（勾稽关系不符即拒绝）、生成文字、输出文档并回读核对。"""
    from ..compose.build import (compose, gather_figures, last_year_report, load_office_text, register_fees,
                                 verify_outputs, workplan_draft, write_outputs)
    from ..compose.figures import FiguresError
    from ..compose.prose import FeeFigures
    from ..workplan import WorkPlanError

    console = Console(soft_wrap=True)  # long cell lists and paths stay on one line (greppable)
    try:
        report = gather_figures(figures, register=register, agency=agency, year=year)
        office = None
        if text is not None:  # the file's sections, over those the figures file carries
            office = {k: v for k, v in report.sections.items() if v.strip()}
            office.update(load_office_text(text, report))
        previous = last_year_report(report, path=last_year, store=store)
        draft = workplan_draft(workplan, report.year, subject) if workplan else None
        fees = None
        if fee_count is not None or fee_amount is not None:
            fees = FeeFigures(fee_count or 0, Decimal(fee_amount or "0"))
        elif register is not None and report.agency and report.year:
            fees = register_fees(register, report.agency, report.year)
    except (FiguresError, WorkPlanError, ValueError, OSError) as e:
        raise _fail(str(e)) from e

    comp = compose(report, last_year=previous, office_text=office, workplan_draft=draft, fees=fees)
    if not comp.refused:
        try:
            write_outputs(comp, out, [f.strip() for f in formats.split(",") if f.strip()])
        except ValueError as e:
            raise _fail(str(e)) from e
        verify_outputs(comp)
    if as_json:
        typer.echo(json.dumps(comp.to_dict(), ensure_ascii=False, indent=1, default=str))
    else:
        _print_composition(console, comp)
    raise typer.Exit(0 if comp.ok else 1)


def _print_composition(console: Console, comp) -> None:
    rep = comp.report
    console.print(f"[bold]{esc(rep.agency or '（未填机关）')} {rep.year or ''} 年度报告[/]（{rep.spec.name}）")
    if comp.refused:
        console.print("[bold red]✗ 数据未通过校验，未生成报告 (figures refused):[/]")
        for line in comp.verdict.refusal_lines():
            console.print("  " + line, highlight=False, markup=False)
    for line in comp.verdict.warning_lines():
        console.print("  " + line, highlight=False, markup=False, style="yellow")
    if comp.refused:
        return
    for fmt, path in comp.outputs.items():
        rt = next((r for r in comp.roundtrips if r.format == fmt), None)
        if rt is None or rt.ok:
            console.print(f"[green]✓[/] {esc(path)}  回读核对一致 (read back: same cells, no error)")
        else:
            why = rt.problem or "; ".join(rt.differences[:5] + [e.message for e in rt.errors[:3]])
            console.print(f"✗ {path}  回读不一致 (read back differs): {why}", highlight=False, markup=False,
                          style="bold red")
    for fmt, err in comp.output_errors.items():
        console.print(f"✗ {fmt}: {err}", highlight=False, markup=False, style="bold red")
    for d in comp.disagreements:
        console.print(f"✗ 生成文字与表格不符 [{d.code}] {d.message}", highlight=False, markup=False, style="bold red")
    if comp.text and comp.text.prompts:
        console.print("[bold]尚需本机关补充 (to write):[/]")
        for p in comp.text.prompts:
            console.print(f"  • {p.message}", highlight=False, markup=False)
    if comp.diff is not None:
        _print_diff(console, comp.diff, limit=10)


def _print_diff(console: Console, diff, limit: int | None = None) -> None:
    prev = diff.previous
    console.print(f"[bold]与上年报告对比[/]（{esc(prev.get('agency') or '')} {esc(prev.get('year') or '')}）："
                  f"{len(diff.changed)} 个单元格有变化，{diff.unchanged} 个未变"
                  + ("；两年格式不同，仅比较共有单元格" if diff.formats_differ else ""))
    if diff.changed:
        t = Table("单元格", "上年", "本年", "变化")
        t.columns[0].overflow = "fold"
        for c in diff.changed[:limit]:
            t.add_row(*cells(diff.cell_words(c.key), _cell(c.previous), _cell(c.current),
                             "" if c.delta is None else f"{c.delta:+}"))
        console.print(t)
        if limit and len(diff.changed) > limit:
            console.print(f"  另有 {len(diff.changed) - limit} 个单元格有变化（gongkai compose diff 或 --json 查看全部）")
    for f in diff.findings:
        console.print(f"  {f.severity.zh}：{f.message}", highlight=False, markup=False,
                      style="yellow" if f.severity.value == "warning" else None)
    if diff.reuse:
        t = Table("部分", "沿用上年句子（%）", "8字片段重合（%）")
        t.columns[0].overflow = "fold"
        for key, r in diff.reuse.items():
            d = r.to_dict()
            t.add_row(*cells(diff.section_words(key), _pct(d.get("reuse_percent")), _pct(d.get("ngram_containment"))))
        console.print(t)
        if diff.overall_reuse_percent is not None:
            console.print(f"全文沿用上年文字 {diff.overall_reuse_percent}%")


def _pct(v) -> str:
    return "—" if v is None else f"{v}"


def _cell(cell) -> str:
    if cell.kind.value == "number":
        return cell.text or str(cell.value)
    return cell.text or {"blank": "（空）", "missing": "（未列）"}.get(cell.kind.value, cell.kind.value)


@app.command("diff")
def diff(
    current: Optional[Path] = typer.Argument(None, help="本年报告或数据文件（省略时从 --store 按 --agency、--year 取）"),
    previous: Optional[Path] = typer.Argument(None, help="上年报告或数据文件（省略时从 --store 取）"),
    store: Optional[str] = typer.Option(None, "--store", help=STORE_HELP),
    agency: Optional[str] = typer.Option(None, "--agency", help="机关名称（从年报库取本年报告时）"),
    year: Optional[int] = typer.Option(None, "--year", help="报告年度（从年报库取本年报告时）"),
    as_json: bool = typer.Option(False, "--json", help="以 JSON 输出"),
) -> None:
    """与同一机关上年报告对比：变化的单元格、各部分沿用上年文字的比例。"""
    from ..compose.build import last_year_report, load_report, report_from_store
    from ..compose.diff import diff_reports
    from ..compose.figures import FiguresError

    try:
        if current is not None:
            cur = load_report(current)
        elif store and agency and year:
            cur = report_from_store(store, agency, year)
            if cur is None:
                raise FiguresError(f"年报库中没有 {agency} {year} 年的报告 (not in the store)")
        else:
            raise FiguresError("请给出本年报告文件，或用 --store、--agency、--year 指明年报库中的报告 (no current report)")
        prev = last_year_report(cur, path=previous, store=store)
    except (FiguresError, OSError) as e:
        raise _fail(str(e)) from e
    if prev is None:
        raise _fail("未找到上年报告：请给出文件，或用 --store 指明年报库 (no previous report)")
    d = diff_reports(cur, prev)
    if as_json:
        typer.echo(json.dumps(d.to_dict(), ensure_ascii=False, indent=1, default=str))
    else:
        _print_diff(Console(soft_wrap=True), d)
