"""Tracking tasks: updates, the JSON repository, progress figures and the section-六 draft."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from conftest import FIXTURES
from gongkai.workplan import (
    SECTION_HEADING,
    InvalidValueError,
    JsonWorkPlanRepository,
    PlanStorageError,
    TaskNotFoundError,
    TaskStatus,
    TaskUpdate,
    WorkPlan,
    WorkPlanRepository,
    apply_update,
    draft_section6,
    find_task,
    import_workplan,
    parse_date,
    parse_paragraphs,
    parse_status,
    summarize,
)

DISTRICT = FIXTURES / "workplan" / "district_notice.txt"


@pytest.fixture
def plan() -> WorkPlan:
    return import_workplan(DISTRICT)


def test_new_tasks_start_untracked(plan):
    task = plan.tasks[0]
    assert (task.owner, task.status, task.due, task.notes, task.evidence) == (None, TaskStatus.NOT_STARTED, None, None, [])


def test_update_sets_every_tracking_field(plan):
    task = apply_update(
        plan,
        "二1",
        TaskUpdate(
            owner="王敏",
            status=TaskStatus.IN_PROGRESS,
            due=date(2024, 6, 30),
            notes="专栏已上线测试版",
            add_evidence=["https://example.gov.cn/zc", "https://example.gov.cn/zc"],
        ),
    )
    assert task is plan.tasks[0]
    assert (task.owner, task.status, task.due, task.notes) == ("王敏", TaskStatus.IN_PROGRESS, date(2024, 6, 30), "专栏已上线测试版")
    assert task.evidence == ["https://example.gov.cn/zc"]


def test_update_clears_due_date_and_evidence(plan):
    apply_update(plan, "四", TaskUpdate(due=date(2024, 3, 1), add_evidence=["a.pdf"]))
    task = apply_update(plan, "四", TaskUpdate(clear_due=True, clear_evidence=True, add_evidence=["b.pdf"]))
    assert task.due is None
    assert task.evidence == ["b.pdf"]


def test_tasks_are_found_by_path_spelling_or_position(plan):
    assert find_task(plan, "二、1.") is plan.tasks[0]
    assert find_task(plan, "三2") is plan.tasks[3]
    assert find_task(plan, "5") is plan.tasks[4]


def test_seed_style_paths_accept_ascii_brackets():
    plan = parse_paragraphs(["某局2024年工作要点", "二、公开", "（一）甲。（责任部门：办公室）"], source="x.txt")
    assert find_task(plan, "二(一)").path == "二（一）"


def test_unknown_task_lists_the_known_ones(plan):
    with pytest.raises(TaskNotFoundError, match="二1.、二2."):
        find_task(plan, "九（九）")


def test_empty_or_contradictory_update_is_refused(plan):
    with pytest.raises(InvalidValueError, match="没有要修改的内容"):
        apply_update(plan, "二1", TaskUpdate())
    with pytest.raises(InvalidValueError, match="不能同时"):
        apply_update(plan, "二1", TaskUpdate(due=date(2024, 1, 1), clear_due=True))


@pytest.mark.parametrize(
    "text, status",
    [("已完成", TaskStatus.DONE), (" 进行中 ", TaskStatus.IN_PROGRESS), ("cancelled", TaskStatus.CANCELLED), ("TODO", TaskStatus.NOT_STARTED)],
)
def test_status_is_read_from_chinese_label_or_english_alias(text, status):
    assert parse_status(text) is status


def test_unknown_status_names_the_allowed_ones():
    with pytest.raises(InvalidValueError, match="未开始、进行中、已完成、已取消"):
        parse_status("差不多了")


@pytest.mark.parametrize("text", ["2024-06-30", "2024/6/30", "2024年6月30日", "20240630", "2024.06.30"])
def test_due_dates_in_office_spellings(text):
    assert parse_date(text) == date(2024, 6, 30)


@pytest.mark.parametrize("text", ["六月底", "2024-02-30"])
def test_bad_due_dates_are_refused(text):
    with pytest.raises(InvalidValueError):
        parse_date(text)


def test_json_repository_round_trips_a_tracked_plan(plan, tmp_path: Path):
    apply_update(plan, "三1", TaskUpdate(owner="李强", status=TaskStatus.DONE, due=date(2024, 6, 30), notes="台账已建立", add_evidence=["台账.xlsx"]))
    repo: WorkPlanRepository = JsonWorkPlanRepository(tmp_path / "sub" / "workplan.json")
    assert not repo.exists()
    repo.save(plan)
    assert repo.exists()
    assert repo.load() == plan
    stored = json.loads((tmp_path / "sub" / "workplan.json").read_text(encoding="utf-8"))
    assert stored["schema"] == "gongkai.workplan/1"
    assert stored["tasks"][2]["status"] == "已完成"
    assert stored["tasks"][2]["due"] == "2024-06-30"
    assert not list((tmp_path / "sub").glob(".workplan.json.*")), "temporary file left behind"


def test_missing_plan_file_says_to_import_first(tmp_path: Path):
    with pytest.raises(PlanStorageError, match="gongkai workplan import"):
        JsonWorkPlanRepository(tmp_path / "workplan.json").load()


@pytest.mark.parametrize("content", ['{"schema": "other/1"}', "[1, 2]", "{not json"])
def test_foreign_or_damaged_plan_file_is_refused(tmp_path: Path, content: str):
    path = tmp_path / "workplan.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(PlanStorageError):
        JsonWorkPlanRepository(path).load()


def test_unknown_status_in_file_is_refused(plan, tmp_path: Path):
    path = tmp_path / "workplan.json"
    JsonWorkPlanRepository(path).save(plan)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["tasks"][0]["status"] = "差不多"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(PlanStorageError, match="内容不完整或有误"):
        JsonWorkPlanRepository(path).load()


def test_progress_per_heading_and_overall_excludes_cancelled(plan):
    apply_update(plan, "二1", TaskUpdate(status=TaskStatus.DONE))
    apply_update(plan, "二2", TaskUpdate(status=TaskStatus.CANCELLED))
    apply_update(plan, "三1", TaskUpdate(status=TaskStatus.IN_PROGRESS, due=date(2024, 6, 30)))
    apply_update(plan, "三2", TaskUpdate(status=TaskStatus.DONE, due=date(2024, 1, 1)))
    progress = summarize(plan, today=date(2024, 7, 1))
    by_label = {g.label: g for g in progress.groups}
    assert list(by_label) == ["二", "三", "四"]
    assert by_label["二"].percent_done == 100.0  # one done, one cancelled
    assert by_label["三"].percent_done == 50.0
    assert by_label["三"].overdue == 1  # the done task past its date is not overdue
    assert by_label["四"].percent_done == 0.0
    assert progress.overall.total == 5
    assert progress.overall.counts[TaskStatus.DONE] == 2
    assert progress.overall.percent_done == 50.0


def test_progress_of_a_group_with_only_cancelled_tasks_has_no_percent(plan):
    apply_update(plan, "四", TaskUpdate(status=TaskStatus.CANCELLED))
    assert summarize(plan, date(2024, 1, 1)).groups[-1].percent_done is None


def test_draft_names_done_and_pending_tasks_with_their_departments(plan):
    apply_update(plan, "二1", TaskUpdate(status=TaskStatus.DONE, notes="专栏发布政策86件。"))
    apply_update(plan, "二2", TaskUpdate(status=TaskStatus.IN_PROGRESS, due=date(2025, 3, 31)))
    apply_update(plan, "三2", TaskUpdate(status=TaskStatus.DONE))
    text = draft_section6(plan, as_of=date(2024, 12, 31), subject="我区")
    paragraphs = text.strip().split("\n\n")
    assert paragraphs[0] == SECTION_HEADING
    assert paragraphs[1] == (
        "我区对照《东湖区2024年政务公开工作要点》（东府办发〔2024〕12号）部署的5项重点任务，逐项明确责任部门，推进落实。"
        "截至2024年12月31日，已完成2项，正在推进1项，尚未启动2项，完成率40.0%。"
    )
    assert paragraphs[2] == (
        "（一）围绕优化营商环境加强信息公开。"
        "已完成1项：“推进涉企政策集中公开”（区发展改革委牵头，区市场监管局、区财政局配合），专栏发布政策86件。"
        "正在推进1项：“做好政策解读”（区政府办公室牵头，各街道、区政府各部门配合，计划于2025年3月31日前完成）。"
    )
    assert paragraphs[3] == (
        "（二）夯实政务公开基础。"
        "已完成1项：“加强政府网站管理”。"
        "尚未启动1项：“规范依申请公开办理”（责任部门：区司法局（区政务公开办））。"
    )
    assert paragraphs[4] == "（三）强化组织保障。尚未启动1项：“强化组织保障”。"
    assert paragraphs[5] == "下一步，我区将督促责任部门加快推进尚未完成的3项任务，确保年度工作要点全面落实。"


def test_draft_of_a_finished_plan_has_no_next_steps_and_reports_cancellations(plan):
    for task in plan.tasks:
        apply_update(plan, task.path, TaskUpdate(status=TaskStatus.DONE))
    apply_update(plan, "四", TaskUpdate(status=TaskStatus.CANCELLED, notes="并入全区培训计划"))
    text = draft_section6(plan, as_of=date(2024, 12, 31))
    assert "下一步" not in text
    assert "已完成4项，正在推进0项，尚未启动0项，因故取消1项，完成率100.0%" in text
    assert "因故取消1项：“强化组织保障”，并入全区培训计划。" in text


def test_draft_marks_pending_tasks_past_their_date(plan):
    apply_update(plan, "三1", TaskUpdate(status=TaskStatus.IN_PROGRESS, due=date(2024, 6, 30)))
    text = draft_section6(plan, as_of=date(2024, 12, 31))
    assert "“规范依申请公开办理”（责任部门：区司法局（区政务公开办），已超过原定完成时限2024年6月30日）" in text
