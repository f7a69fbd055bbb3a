"""`gongkai workplan ...` end to end through the CLI, with the plan file in a temporary folder."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import FIXTURES, shared_path
from gongkai.cli import app

runner = CliRunner()
DISTRICT = FIXTURES / "workplan" / "district_notice.txt"


def run(*args: str):
    # Wide terminal so rich does not fold the table cells the assertions look for.
    return runner.invoke(app, ["workplan", *args], env={"COLUMNS": "250"})


def test_import_seed_notice_saves_ten_tasks(tmp_path: Path):
    plan = tmp_path / "workplan.json"
    result = run("import", str(shared_path("seeds", "003_7d0f2a5cbc92dc5a.txt")), "--plan", str(plan))
    assert result.exit_code == 0, result.output
    assert "已导入 10 项任务" in result.output
    stored = json.loads(plan.read_text(encoding="utf-8"))
    assert [t["path"] for t in stored["tasks"]][:3] == ["二（一）", "二（二）", "二（三）"]
    assert len(stored["tasks"]) == 10


def test_import_defaults_to_workplan_json_in_working_directory(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("import", str(DISTRICT))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "workplan.json").exists()


def test_import_of_an_annual_report_fails_with_a_message(tmp_path: Path):
    plan = tmp_path / "workplan.json"
    result = run("import", str(shared_path("seeds", "000_6cdf66a710b6816f.txt")), "--plan", str(plan))
    assert result.exit_code == 1
    assert "不是工作要点" in result.output
    assert not plan.exists()


def test_import_does_not_overwrite_tracking_without_force(tmp_path: Path):
    plan = tmp_path / "workplan.json"
    assert run("import", str(DISTRICT), "--plan", str(plan)).exit_code == 0
    assert run("update", "二1", "--status", "已完成", "--plan", str(plan)).exit_code == 0
    again = run("import", str(DISTRICT), "--plan", str(plan))
    assert again.exit_code == 1 and "--force" in again.output
    assert json.loads(plan.read_text(encoding="utf-8"))["tasks"][0]["status"] == "已完成"
    assert run("import", str(DISTRICT), "--plan", str(plan), "--force").exit_code == 0
    assert json.loads(plan.read_text(encoding="utf-8"))["tasks"][0]["status"] == "未开始"


def test_import_of_a_missing_file_fails(tmp_path: Path):
    result = run("import", str(tmp_path / "nope.txt"), "--plan", str(tmp_path / "p.json"))
    assert result.exit_code == 1 and "找不到文件" in result.output


@pytest.fixture
def imported(tmp_path: Path) -> Path:
    plan = tmp_path / "workplan.json"
    assert run("import", str(DISTRICT), "--plan", str(plan)).exit_code == 0
    return plan


def test_update_sets_fields_and_status_shows_progress(imported: Path):
    result = run(
        "update", "二1", "--plan", str(imported), "--owner", "王敏", "--status", "done", "--due", "2024年6月30日",
        "--notes", "专栏已上线", "--evidence", "https://example.gov.cn/zc", "--evidence", "截图.png",
    )
    assert result.exit_code == 0, result.output
    assert run("update", "三1", "--plan", str(imported), "--status", "进行中", "--due", "2024-05-01").exit_code == 0
    task = json.loads(imported.read_text(encoding="utf-8"))["tasks"][0]
    assert (task["owner"], task["status"], task["due"], task["notes"]) == ("王敏", "已完成", "2024-06-30", "专栏已上线")
    assert task["evidence"] == ["https://example.gov.cn/zc", "截图.png"]

    status = run("status", "--plan", str(imported), "--today", "2024-07-01")
    assert status.exit_code == 0, status.output
    assert "王敏" in status.output
    assert "2024-05-01 逾期" in status.output
    assert "二、围绕优化营商环境加强信息公开" in status.output
    lines = status.output.splitlines()
    group_two = next(line for line in lines if "二、围绕优化营商环境加强信息公开" in line)
    assert "50.0%" in group_two
    total = next(line for line in lines if "合计" in line)
    assert "20.0%" in total


def test_update_of_unknown_task_or_bad_value_fails(imported: Path):
    unknown = run("update", "九（九）", "--plan", str(imported), "--status", "已完成")
    assert unknown.exit_code == 1 and "没有编号为" in unknown.output
    bad = run("update", "二1", "--plan", str(imported), "--due", "月底")
    assert bad.exit_code == 1 and "无法识别的日期" in bad.output
    nothing = run("update", "二1", "--plan", str(imported))
    assert nothing.exit_code == 1 and "没有要修改的内容" in nothing.output


def test_status_without_a_plan_says_to_import(tmp_path: Path):
    result = run("status", "--plan", str(tmp_path / "none.json"))
    assert result.exit_code == 1 and "gongkai workplan import" in result.output


def test_draft_section6_to_screen_and_to_file(imported: Path, tmp_path: Path):
    assert run("update", "三1", "--plan", str(imported), "--status", "已完成").exit_code == 0
    shown = run("draft-section6", "--plan", str(imported), "--as-of", "2024-12-31", "--subject", "我区")
    assert shown.exit_code == 0, shown.output
    assert shown.output.startswith("六、其他需要报告的事项（贯彻落实年度工作要点情况）\n")
    assert "已完成1项：“规范依申请公开办理”（责任部门：区司法局（区政务公开办））。" in shown.output
    assert "截至2024年12月31日，已完成1项，正在推进0项，尚未启动4项，完成率20.0%。" in shown.output

    out = tmp_path / "section6.txt"
    written = run("draft-section6", "--plan", str(imported), "--as-of", "2024-12-31", "--subject", "我区", "-o", str(out))
    assert written.exit_code == 0
    assert out.read_text(encoding="utf-8") == shown.output
