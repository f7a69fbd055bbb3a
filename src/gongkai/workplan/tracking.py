"""Changing a task's tracking fields: owner, status, due date, notes, evidence links."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from .errors import InvalidValueError, TaskNotFoundError
from .model import STATUS_ALIASES, Task, TaskStatus, WorkPlan

_DATE = re.compile(r"^\s*(\d{4})\s*(?:[-/.年])\s*(\d{1,2})\s*(?:[-/.月])\s*(\d{1,2})\s*日?\s*$")
_COMPACT_DATE = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})\s*$")


@dataclass
class TaskUpdate:
    """What to change; a field left as None is left alone."""

    owner: str | None = None
    status: TaskStatus | None = None
    due: date | None = None
    clear_due: bool = False
    notes: str | None = None
    add_evidence: list[str] = field(default_factory=list)
    clear_evidence: bool = False

    def is_empty(self) -> bool:
        return (
            self.owner is None and self.status is None and self.due is None and not self.clear_due
            and self.notes is None and not self.add_evidence and not self.clear_evidence
        )


def parse_status(text: str) -> TaskStatus:
    value = text.strip()
    for status in TaskStatus:
        if value == status.value:
            return status
    alias = STATUS_ALIASES.get(value.lower())
    if alias is None:
        allowed = "、".join(s.value for s in TaskStatus)
        raise InvalidValueError(f"无法识别的状态“{text}”：可选 {allowed}")
    return alias


def parse_date(text: str) -> date:
    m = _DATE.match(text) or _COMPACT_DATE.match(text)
    if m is None:
        raise InvalidValueError(f"无法识别的日期“{text}”：请写作 2023-12-31 或 2023年12月31日")
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError as exc:
        raise InvalidValueError(f"日期“{text}”不存在：{exc}") from exc


def find_task(plan: WorkPlan, key: str) -> Task:
    """A task by heading path ("二（一）", ASCII brackets accepted) or by its 1-based position."""
    wanted = _normalise_path(key)
    for task in plan.tasks:
        if _normalise_path(task.path) == wanted:
            return task
    if wanted.isdigit() and 1 <= int(wanted) <= len(plan.tasks):
        return plan.tasks[int(wanted) - 1]
    known = "、".join(t.path for t in plan.tasks)
    raise TaskNotFoundError(f"没有编号为“{key}”的任务：现有任务 {known}（也可用序号 1–{len(plan.tasks)}）")


def apply_update(plan: WorkPlan, key: str, update: TaskUpdate) -> Task:
    if update.is_empty():
        raise InvalidValueError("没有要修改的内容：请至少指定负责人、状态、完成时限、备注或佐证材料之一")
    if update.due is not None and update.clear_due:
        raise InvalidValueError("不能同时设置和清除完成时限")
    task = find_task(plan, key)
    if update.owner is not None:
        task.owner = update.owner.strip() or None
    if update.status is not None:
        task.status = update.status
    if update.due is not None:
        task.due = update.due
    if update.clear_due:
        task.due = None
    if update.notes is not None:
        task.notes = update.notes.strip() or None
    if update.clear_evidence:
        task.evidence = []
    for link in update.add_evidence:
        link = link.strip()
        if link and link not in task.evidence:
            task.evidence.append(link)
    return task


def _normalise_path(text: str) -> str:
    # People type "二(一)", "二1" or "二、1." for the same heading; only numbers and brackets matter.
    return re.sub(r"[\s.．、]+", "", text).replace("(", "（").replace(")", "）")
