"""The work plan and its tasks, with the tracking fields an office fills in over the year."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import Enum


class TaskStatus(str, Enum):
    """Declared task states; the value is the label offices read and type."""

    NOT_STARTED = "未开始"
    IN_PROGRESS = "进行中"
    DONE = "已完成"
    CANCELLED = "已取消"


# English spellings accepted wherever a person types a status (scripts, non-Chinese keyboards).
STATUS_ALIASES: dict[str, TaskStatus] = {
    "not_started": TaskStatus.NOT_STARTED,
    "todo": TaskStatus.NOT_STARTED,
    "in_progress": TaskStatus.IN_PROGRESS,
    "doing": TaskStatus.IN_PROGRESS,
    "done": TaskStatus.DONE,
    "completed": TaskStatus.DONE,
    "cancelled": TaskStatus.CANCELLED,
    "canceled": TaskStatus.CANCELLED,
}


@dataclass
class Task:
    """One task of the notice, addressed by its heading path such as "二（一）"."""

    path: str
    labels: list[str]
    section_titles: list[str]  # titles of the enclosing headings, outermost first
    title: str
    body: str
    departments: list[str]  # every department named for the task, in the notice's order
    lead_departments: list[str]  # those that lead (before "；" or labelled 牵头/责任)
    owner: str | None = None
    status: TaskStatus = TaskStatus.NOT_STARTED
    due: date | None = None
    notes: str | None = None
    evidence: list[str] = field(default_factory=list)

    @property
    def supporting_departments(self) -> list[str]:
        return [d for d in self.departments if d not in self.lead_departments]

    @property
    def group_label(self) -> str:
        return self.labels[0]

    @property
    def group_title(self) -> str:
        # A top-level section that is itself a task (e.g. "五、加强政务公开工作保障") has no enclosing title.
        return self.section_titles[0] if self.section_titles else self.title


@dataclass
class WorkPlan:
    """A 工作要点 notice read into tasks."""

    title: str
    year: int | None
    doc_number: str | None
    source: str
    tasks: list[Task]

    def groups(self) -> list[tuple[str, str, list[Task]]]:
        """Tasks grouped by top-level heading, in the notice's order: (label, title, tasks)."""
        out: list[tuple[str, str, list[Task]]] = []
        for task in self.tasks:
            if out and out[-1][0] == task.group_label:
                out[-1][2].append(task)
            else:
                out.append((task.group_label, task.group_title, [task]))
        return out
