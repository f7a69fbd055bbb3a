"""Draft of 六、其他需要报告的事项（贯彻落实年度工作要点情况）, written from the tracked tasks.

The draft is the office's starting text, not a finished section: it states what the tasks' statuses
say and nothing more, so every claim in it can be traced to a task the office has marked.
"""
from __future__ import annotations

from datetime import date

from .errors import PlanYearError
from .model import Task, TaskStatus, WorkPlan
from .progress import format_percent, is_overdue, summarize

SECTION_HEADING = "六、其他需要报告的事项（贯彻落实年度工作要点情况）"
CN_ORDINALS = "一二三四五六七八九十"

# Order in which each heading's tasks are reported, and the phrase that introduces each state.
STATUS_PHRASES: tuple[tuple[TaskStatus, str], ...] = (
    (TaskStatus.DONE, "已完成"),
    (TaskStatus.IN_PROGRESS, "正在推进"),
    (TaskStatus.NOT_STARTED, "尚未启动"),
    (TaskStatus.CANCELLED, "因故取消"),
)


def draft_section6(plan: WorkPlan, as_of: date, subject: str = "本机关") -> str:
    """Chinese prose, one paragraph for the overview and one per top-level heading, blank-line separated."""
    paragraphs = [SECTION_HEADING, _overview(plan, as_of, subject)]
    for n, (_, title, tasks) in enumerate(plan.groups()):
        paragraphs.append(f"（{_ordinal(n)}）{title.rstrip('。')}。" + "".join(_status_sentences(tasks, as_of)))
    pending = [t for t in plan.tasks if t.status in (TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS)]
    if pending:
        paragraphs.append(
            f"下一步，{subject}将督促责任部门加快推进尚未完成的{len(pending)}项任务，确保年度工作要点全面落实。"
        )
    return "\n\n".join(paragraphs) + "\n"


def report_date(plan: WorkPlan, today: date | None = None) -> date:
    """The "截至" date of a draft when none is given: 31 December of the plan's year (the report covers the
    year), or today for a plan whose year is unknown."""
    return date(plan.year, 12, 31) if plan.year else (today or date.today())


def check_as_of(plan: WorkPlan, as_of: date) -> None:
    """A draft of the plan's year is dated within that year: "截至2026年…" under a 2024 plan reports on the wrong
    year (``PlanYearError``)."""
    if plan.year is not None and as_of.year != plan.year:
        raise PlanYearError(f"工作要点为{plan.year}年度，“截至”日期{_cn_date(as_of)}不在该年度内；第六部分应按"
                            f"{plan.year}年12月31日的进展起草 (the as-of date is outside the plan's year)")


def draft_for_report(plan: WorkPlan, report_year: int, subject: str = "本机关") -> str:
    """Section 六 of the report for ``report_year``: only from that year's plan (a 2023 plan says nothing about
    how 2026's work points were carried out), and dated at the end of the report year, the period the report
    covers, whatever day it is drafted."""
    if plan.year is None:
        raise PlanYearError(f"工作要点《{plan.title}》未写明年度，无法确认是{report_year}年的工作要点；"
                            f"请在工作要点文件中补充年度 (the plan's year is unknown)")
    if plan.year != report_year:
        raise PlanYearError(f"工作要点《{plan.title}》为{plan.year}年度，报告为{report_year}年度：第六部分应对照"
                            f"{report_year}年工作要点起草 (the plan is for {plan.year}, the report for {report_year})")
    return draft_section6(plan, as_of=date(report_year, 12, 31), subject=subject)


def _overview(plan: WorkPlan, as_of: date, subject: str) -> str:
    overall = summarize(plan, as_of).overall
    source = f"《{plan.title}》" + (f"（{plan.doc_number}）" if plan.doc_number else "")
    counts = [
        f"{phrase}{overall.counts[status]}项"
        for status, phrase in STATUS_PHRASES
        if overall.counts[status] or status is not TaskStatus.CANCELLED
    ]
    return (
        f"{subject}对照{source}部署的{overall.total}项重点任务，逐项明确责任部门，推进落实。"
        f"截至{_cn_date(as_of)}，{'，'.join(counts)}，完成率{format_percent(overall.percent_done)}。"
    )


def _status_sentences(tasks: list[Task], as_of: date) -> list[str]:
    sentences = []
    for status, phrase in STATUS_PHRASES:
        chosen = [t for t in tasks if t.status is status]
        if chosen:
            items = "；".join(_item(t, as_of) for t in chosen)
            sentences.append(f"{phrase}{len(chosen)}项：{items}。")
    return sentences


def _item(task: Task, as_of: date) -> str:
    details = [_departments_phrase(task)] if task.departments else []
    if task.due is not None and task.status in (TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS):
        if is_overdue(task, as_of):
            details.append(f"已超过原定完成时限{_cn_date(task.due)}")
        else:
            details.append(f"计划于{_cn_date(task.due)}前完成")
    text = f"“{task.title}”" + (f"（{'，'.join(details)}）" if details else "")
    if task.notes:
        text += "，" + task.notes.strip().rstrip("。；;")
    return text


def _departments_phrase(task: Task) -> str:
    supporting = task.supporting_departments
    if task.lead_departments and supporting:
        return f"{'、'.join(task.lead_departments)}牵头，{'、'.join(supporting)}配合"
    return "责任部门：" + "、".join(task.departments)


def _ordinal(n: int) -> str:
    if n < 10:
        return CN_ORDINALS[n]
    tens, ones = divmod(n + 1, 10)
    return ("" if tens == 1 else CN_ORDINALS[tens - 1]) + "十" + (CN_ORDINALS[ones - 1] if ones else "")


def _cn_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"
