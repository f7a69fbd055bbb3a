"""`gongkai workplan ...` commands: a thin adapter over `gongkai.workplan`."""
from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Optional

import typer
from .output import ReadableConsole as Console  # tables wrap, never cut with "…"
from rich.table import Table

from ..workplan import (
    DEFAULT_PLAN_FILE,
    JsonWorkPlanRepository,
    TaskStatus,
    TaskUpdate,
    WorkPlan,
    WorkPlanError,
    apply_update,
    draft_section6,
    report_date,
    check_as_of,
    import_workplan,
    parse_date,
    parse_status,
    summarize,
)
from ..workplan.patterns import CN_NUMERAL
from ..workplan.progress import PlanProgress, format_percent, is_overdue
from .show import cells, esc

app = typer.Typer(help="工作要点：导入通知、跟踪任务、起草年度报告第六部分。", no_args_is_help=True)

PlanOption = Annotated[Path, typer.Option("--plan", help="工作要点数据文件（JSON）")]


def _fail(exc: WorkPlanError) -> typer.Exit:
    Console(stderr=True).print(f"[bold red]错误：[/]{esc(exc)}", highlight=False)
    return typer.Exit(1)


def _date_option(text: str | None) -> date | None:
    return parse_date(text) if text is not None else None


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="工作要点通知（.txt、.docx 或带文字层的 .pdf）")],
    plan: PlanOption = Path(DEFAULT_PLAN_FILE),
    force: Annotated[bool, typer.Option("--force", help="覆盖已有的工作要点文件（其中的跟踪记录将丢失）")] = False,
) -> None:
    """读入工作要点通知，按标题编号拆分为任务并保存。"""
    repo = JsonWorkPlanRepository(plan)
    try:
        if repo.exists() and not force:
            raise WorkPlanError(f"“{plan}”已存在，其中可能有跟踪记录：如确需重新导入，请加 --force")
        if not file.exists():
            raise WorkPlanError(f"找不到文件“{file}”")
        workplan = import_workplan(file)
        repo.save(workplan)
    except WorkPlanError as exc:
        raise _fail(exc) from exc
    console = Console()
    console.print(_tasks_table(workplan, date.today(), detail=False))
    console.print(f"已导入 {len(workplan.tasks)} 项任务，保存到 {esc(plan)}", highlight=False)


@app.command("status")
def status(
    plan: PlanOption = Path(DEFAULT_PLAN_FILE),
    today: Annotated[Optional[str], typer.Option("--today", help="按此日期判断是否逾期（默认今天）")] = None,
) -> None:
    """显示各项任务及各部分、总体的完成进度。"""
    try:
        workplan = JsonWorkPlanRepository(plan).load()
        day = _date_option(today) or date.today()
    except WorkPlanError as exc:
        raise _fail(exc) from exc
    console = Console()
    console.print(_tasks_table(workplan, day, detail=True))
    console.print(_progress_table(summarize(workplan, day)))


@app.command("update")
def update(
    task: Annotated[str, typer.Argument(help="任务编号（如 二（一））或序号")],
    plan: PlanOption = Path(DEFAULT_PLAN_FILE),
    owner: Annotated[Optional[str], typer.Option("--owner", help="负责人")] = None,
    status_: Annotated[
        Optional[str], typer.Option("--status", help="状态：" + "、".join(s.value for s in TaskStatus))
    ] = None,
    due: Annotated[Optional[str], typer.Option("--due", help="完成时限，如 2023-12-31")] = None,
    clear_due: Annotated[bool, typer.Option("--clear-due", help="清除完成时限")] = False,
    notes: Annotated[Optional[str], typer.Option("--notes", help="进展备注（替换原有备注）")] = None,
    evidence: Annotated[
        Optional[list[str]], typer.Option("--evidence", help="佐证材料链接或路径（可重复）")
    ] = None,
    clear_evidence: Annotated[bool, typer.Option("--clear-evidence", help="先清除已有佐证材料")] = False,
) -> None:
    """修改任务的负责人、状态、完成时限、备注和佐证材料。"""
    repo = JsonWorkPlanRepository(plan)
    try:
        workplan = repo.load()
        changes = TaskUpdate(
            owner=owner,
            status=parse_status(status_) if status_ is not None else None,
            due=_date_option(due),
            clear_due=clear_due,
            notes=notes,
            add_evidence=list(evidence or []),
            clear_evidence=clear_evidence,
        )
        changed = apply_update(workplan, task, changes)
        repo.save(workplan)
    except WorkPlanError as exc:
        raise _fail(exc) from exc
    Console().print(
        f"已更新 {esc(changed.path)} {esc(changed.title)}：状态 {changed.status.value}"
        f"，负责人 {esc(changed.owner or '未指定')}，完成时限 {changed.due or '未定'}"
        f"，佐证材料 {len(changed.evidence)} 项",
        highlight=False,
    )


@app.command("draft-section6")
def draft_section6_command(
    plan: PlanOption = Path(DEFAULT_PLAN_FILE),
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="写入此文件（默认输出到屏幕）")] = None,
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="“截至”日期（默认工作要点年度的12月31日）")] = None,
    subject: Annotated[str, typer.Option("--subject", help="报告主体的自称，如“我局”")] = "本机关",
) -> None:
    """根据任务进展起草“六、其他需要报告的事项（贯彻落实年度工作要点情况）”。"""
    try:
        workplan = JsonWorkPlanRepository(plan).load()
        day = _date_option(as_of) or report_date(workplan)
        check_as_of(workplan, day)
        text = draft_section6(workplan, as_of=day, subject=subject)
    except WorkPlanError as exc:
        raise _fail(exc) from exc
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        Console().print(f"已写入 {esc(output)}", highlight=False)


def _tasks_table(workplan: WorkPlan, today: date, detail: bool) -> Table:
    table = Table(title=esc(workplan.title), show_lines=False)
    for name in ("序号", "编号", "任务", "责任部门"):
        table.add_column(name, overflow="fold")
    if detail:
        for name in ("负责人", "状态", "完成时限", "佐证"):
            table.add_column(name, overflow="fold")
    for n, task in enumerate(workplan.tasks, start=1):
        row = cells(n, task.path, task.title, "、".join(task.departments) or "—")
        if detail:
            due = task.due.isoformat() if task.due else "—"
            if is_overdue(task, today):
                due = f"[red]{due} 逾期[/]"
            row += [esc(task.owner or "—"), task.status.value, due, str(len(task.evidence))]
        table.add_row(*row)
    return table


def _progress_table(progress: PlanProgress) -> Table:
    table = Table(title="完成进度（完成率不计已取消任务）")
    table.add_column("部分")
    table.add_column("任务数", justify="right")
    for status in TaskStatus:
        table.add_column(status.value, justify="right")
    table.add_column("逾期", justify="right")
    table.add_column("完成率", justify="right")
    for group in [*progress.groups, progress.overall]:
        name = esc(_heading(group.label, group.title))
        table.add_row(
            name,
            str(group.total),
            *(str(group.counts[s]) for s in TaskStatus),
            str(group.overdue),
            format_percent(group.percent_done),
            end_section=group is progress.groups[-1],
        )
    return table


def _heading(label: str, title: str) -> str:
    if not label:
        return title
    # "二" reads as "二、…" as in the notice; labels that carry their own punctuation ("（一）", "1.") do not.
    return f"{label}、{title}" if label[-1] in CN_NUMERAL else f"{label}{title}"
