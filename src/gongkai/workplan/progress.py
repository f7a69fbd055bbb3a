"""How far the plan has got: counts per status, per top-level heading and overall."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .model import Task, TaskStatus, WorkPlan


@dataclass
class Progress:
    label: str
    title: str
    counts: dict[TaskStatus, int] = field(default_factory=lambda: {s: 0 for s in TaskStatus})
    overdue: int = 0

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def percent_done(self) -> float | None:
        """Share of completed tasks among those not cancelled: a cancelled task is no longer owed."""
        owed = self.total - self.counts[TaskStatus.CANCELLED]
        if owed == 0:
            return None
        return 100.0 * self.counts[TaskStatus.DONE] / owed

    def count(self, task: Task, today: date) -> None:
        self.counts[task.status] += 1
        if is_overdue(task, today):
            self.overdue += 1


@dataclass
class PlanProgress:
    groups: list[Progress]
    overall: Progress


def is_overdue(task: Task, today: date) -> bool:
    open_states = (TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS)
    return task.due is not None and task.due < today and task.status in open_states


def summarize(plan: WorkPlan, today: date) -> PlanProgress:
    overall = Progress(label="", title="合计")
    groups = []
    for label, title, tasks in plan.groups():
        group = Progress(label=label, title=title)
        for task in tasks:
            group.count(task, today)
            overall.count(task, today)
        groups.append(group)
    return PlanProgress(groups=groups, overall=overall)


def format_percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}%"
