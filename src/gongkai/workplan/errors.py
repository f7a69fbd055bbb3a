"""Errors of the work-plan area; messages are Chinese because a disclosure officer reads them."""
from __future__ import annotations


class WorkPlanError(Exception):
    """Base of every error this package raises on purpose."""


class UnsupportedFileError(WorkPlanError):
    pass


class NotAWorkPlanError(WorkPlanError):
    pass


class PlanStorageError(WorkPlanError):
    pass


class TaskNotFoundError(WorkPlanError):
    pass


class InvalidValueError(WorkPlanError):
    pass


class PlanYearError(WorkPlanError):
    """The work plan is for another year than the report whose section 六 it would draft."""
