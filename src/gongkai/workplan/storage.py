"""Where a work plan lives between commands.

`WorkPlanRepository` is the whole contract the CLI and the composer rely on; `JsonWorkPlanRepository`
keeps one plan in a JSON file. A database-backed repository (the SQL store) can implement the same
three methods and be passed in instead, without the callers changing.
"""
from __future__ import annotations

import json
import os
import tempfile
from datetime import date
from pathlib import Path
from typing import Any, Protocol

from .errors import PlanStorageError
from .model import Task, TaskStatus, WorkPlan

SCHEMA = "gongkai.workplan/1"
DEFAULT_PLAN_FILE = "workplan.json"


class WorkPlanRepository(Protocol):
    def exists(self) -> bool: ...

    def load(self) -> WorkPlan: ...

    def save(self, plan: WorkPlan) -> None: ...


class JsonWorkPlanRepository:
    """One plan in one UTF-8 JSON file, readable and diffable by people."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def exists(self) -> bool:
        return self.path.exists()

    def load(self) -> WorkPlan:
        if not self.path.exists():
            raise PlanStorageError(f"找不到工作要点文件“{self.path}”：请先运行 gongkai workplan import 导入通知")
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise PlanStorageError(f"无法读取工作要点文件“{self.path}”：{exc}") from exc
        return plan_from_dict(data, where=str(self.path))

    def save(self, plan: WorkPlan) -> None:
        text = json.dumps(plan_to_dict(plan), ensure_ascii=False, indent=2) + "\n"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # Write beside the target and rename, so an interrupted save never leaves half a plan.
        fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def plan_to_dict(plan: WorkPlan) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "title": plan.title,
        "year": plan.year,
        "doc_number": plan.doc_number,
        "source": plan.source,
        "tasks": [_task_to_dict(t) for t in plan.tasks],
    }


def _task_to_dict(task: Task) -> dict[str, Any]:
    return {
        "path": task.path,
        "labels": task.labels,
        "section_titles": task.section_titles,
        "title": task.title,
        "body": task.body,
        "departments": task.departments,
        "lead_departments": task.lead_departments,
        "owner": task.owner,
        "status": task.status.value,
        "due": task.due.isoformat() if task.due else None,
        "notes": task.notes,
        "evidence": task.evidence,
    }


def plan_from_dict(data: Any, where: str = "工作要点数据") -> WorkPlan:
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        found = data.get("schema") if isinstance(data, dict) else type(data).__name__
        raise PlanStorageError(f"“{where}”不是本工具的工作要点文件（schema 应为 {SCHEMA}，实为 {found}）")
    try:
        return WorkPlan(
            title=data["title"],
            year=data["year"],
            doc_number=data["doc_number"],
            source=data["source"],
            tasks=[_task_from_dict(t) for t in data["tasks"]],
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise PlanStorageError(f"工作要点文件“{where}”内容不完整或有误：{exc!r}") from exc


def _task_from_dict(data: dict[str, Any]) -> Task:
    return Task(
        path=data["path"],
        labels=list(data["labels"]),
        section_titles=list(data["section_titles"]),
        title=data["title"],
        body=data["body"],
        departments=list(data["departments"]),
        lead_departments=list(data["lead_departments"]),
        owner=data["owner"],
        status=TaskStatus(data["status"]),
        due=date.fromisoformat(data["due"]) if data["due"] else None,
        notes=data["notes"],
        evidence=list(data["evidence"]),
    )
