"""工作要点 tracking: import a work-plan notice into tasks, track them, draft section 六 from them."""
from __future__ import annotations

from .draft import SECTION_HEADING, check_as_of, draft_for_report, draft_section6, report_date
from .errors import (
    InvalidValueError,
    NotAWorkPlanError,
    PlanStorageError,
    PlanYearError,
    TaskNotFoundError,
    UnsupportedFileError,
    WorkPlanError,
)
from .model import Task, TaskStatus, WorkPlan
from .parse import import_workplan, parse_paragraphs
from .progress import PlanProgress, Progress, summarize
from .storage import DEFAULT_PLAN_FILE, JsonWorkPlanRepository, WorkPlanRepository
from .tracking import TaskUpdate, apply_update, find_task, parse_date, parse_status

__all__ = [
    "DEFAULT_PLAN_FILE",
    "InvalidValueError",
    "JsonWorkPlanRepository",
    "NotAWorkPlanError",
    "PlanProgress",
    "PlanStorageError",
    "PlanYearError",
    "Progress",
    "SECTION_HEADING",
    "Task",
    "TaskNotFoundError",
    "TaskStatus",
    "TaskUpdate",
    "UnsupportedFileError",
    "WorkPlan",
    "WorkPlanError",
    "WorkPlanRepository",
    "apply_update",
    "check_as_of",
    "draft_for_report",
    "draft_section6",
    "report_date",
    "find_task",
    "import_workplan",
    "parse_date",
    "parse_paragraphs",
    "parse_status",
    "summarize",
]
