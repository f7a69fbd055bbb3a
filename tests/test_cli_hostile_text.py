"""User text in the terminal is text: file names, agency names, request fields and document text that
look like rich markup (``[/x]``, ``[bold]``, ``[link=…]``) are printed as they are, never parsed.

A file named ``[/x].txt`` used to raise MarkupError mid-batch: a traceback, none of the good files
reported, no JSON written.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from gongkai.cli import app

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "示例市交通运输局-2024.txt"
HOSTILE = ["[/x]", "[bold]粗体[/bold]", "[link=file:///etc/passwd]链接[/link]", "[red", "尾\\"]
runner = CliRunner()


def invoke(*args: str, env: dict | None = None):
    result = runner.invoke(app, list(args), env={"COLUMNS": "400", **(env or {})})
    # A command may end with its exit code; anything else (MarkupError, …) is a crash.
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    return result


def _hostile_copies(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i, name in enumerate(HOSTILE):
        p = folder / f"{name.replace('/', '／') if i else '[／x]'}{i}.txt"
        shutil.copy(EXAMPLE, p)
        out.append(p)
    return out


def test_check_batch_with_markup_file_names_reports_every_file(tmp_path: Path):
    files = _hostile_copies(tmp_path / "in")
    # A folder name with markup too: the '/' of [/x] can only be in a folder's name.
    weird = tmp_path / "[" / "x]"
    weird.mkdir(parents=True)
    shutil.copy(EXAMPLE, weird / "[bold].txt")
    junk = tmp_path / "in" / "[" / "link]无效.txt"  # the path reads …/[/link]无效.txt
    junk.parent.mkdir()
    junk.write_bytes(b"")
    out = tmp_path / "out.json"
    r = invoke("check", str(tmp_path / "in"), str(weird / "[bold].txt"), "--json", str(out), "--details")
    assert r.exit_code == 1  # the empty file cannot be read
    for p in files + [weird / "[bold].txt"]:
        assert p.name in r.output, p.name
    assert "[/link]无效.txt" in r.output and "空文件" in r.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert sum(d["status"] == "ok" for d in data) == len(files) + 1
    assert "示例市交通运输局" in r.output


def test_check_prints_document_text_literally(tmp_path: Path, monkeypatch):
    # Whatever a document makes of its agency name and its findings' quoted text is printed as it is.
    import gongkai.check as check_module
    from gongkai.check import check_path
    from gongkai.findings import Finding, Severity

    def hostile(path, **options):
        r = check_path(path, **options)
        r.report.agency = "示例市[bold]交通[/bold]运输局"
        r.findings.append(Finding("t3.identity", Severity.ERROR, "原文「[/x][link=x]」", "gloss [red]", []))
        return r

    # the workers are forked from this process, so they run the patched check_path
    monkeypatch.setattr(check_module, "check_path", hostile)
    r = invoke("check", str(EXAMPLE), "--details", "-j", "1")
    assert r.exit_code == 1
    assert "示例市[bold]交通[/bold]运输局" in r.output and "原文「[/x][link=x]」" in r.output


def test_ingest_report_and_agencies_with_markup_names(tmp_path: Path):
    files = _hostile_copies(tmp_path / "in")
    db = f"sqlite:///{tmp_path / 'c.db'}"
    r = invoke("ingest", str(tmp_path / "in"), "--db", db, "--details")
    assert r.exit_code == 0
    for p in files:
        assert p.name in r.output
    r = invoke("agencies", "link", "[/x]子机关", "[bold]上级[/bold]", "--db", db, "--create")
    assert "[/x]子机关 → [bold]上级[/bold]" in r.output
    r = invoke("agencies", "list", "--db", db)
    assert "[/x]子机关" in r.output and "[bold]上级[/bold]" in r.output
    r = invoke("report", "--db", db)
    assert r.exit_code == 0 and "示例市交通运输局" in r.output


def test_requests_commands_with_markup_fields(tmp_path: Path):
    env = {"GONGKAI_DB": f"sqlite:///{tmp_path / 'r.db'}", "GONGKAI_AGENCY": "[/x]某区政府办"}
    r = invoke("requests", "intake", "--channel", "网络", "--applicant-type", "自然人", "--name", "[/x]王五",
               "--content", "[link=http://evil]某路段[/link]批复", "--address", "[bold]",
               "--confirmed-on", "2026-02-10", "--actor", "[/x]经办人", env=env)
    assert r.exit_code == 0, r.output
    number = next(w for w in r.output.split() if w.startswith("2026-")).split("，")[0].split("（")[0]
    r = invoke("requests", "show", number, env=env)
    assert "[/x]王五" in r.output and "[link=http://evil]某路段[/link]批复" in r.output
    r = invoke("requests", "history", number, env=env)
    assert r.exit_code == 0 and "[/x]经办人" in r.output
    r = invoke("requests", "list", "due", "--within", "30", "--today", "2026-02-11", env=env)
    assert r.exit_code == 0 and number in r.output
    r = invoke("requests", "extend", number, "--on", "2026-02-12", "--set", "reason=[/x]", env=env)
    assert "Traceback" not in r.output


def test_workplan_with_markup_task_text(tmp_path: Path):
    from conftest import FIXTURES

    text = (FIXTURES / "workplan" / "district_notice.txt").read_text(encoding="utf-8")
    notice = tmp_path / "[" / "x]notice.txt"  # the path reads …/[/x]notice.txt
    notice.parent.mkdir()
    notice.write_text(text.replace("东湖区", "[/x]东湖区"), encoding="utf-8")
    plan = tmp_path / "[bold]plan.json"
    r = invoke("workplan", "import", str(notice), "--plan", str(plan))
    assert r.exit_code == 0 and "[/x]东湖区" in r.output and "[bold]plan.json" in r.output
    r = invoke("workplan", "status", "--plan", str(plan))
    assert r.exit_code == 0 and "[/x]东湖区" in r.output
    r = invoke("workplan", "update", "1", "--owner", "[/x]张三", "--plan", str(plan))
    assert r.exit_code == 0 and "[/x]张三" in r.output
    r = invoke("workplan", "import", str(tmp_path / "[" / "x]missing.txt"), "--plan", str(tmp_path / "p2.json"))
    assert r.exit_code == 1 and "[/x]missing.txt" in r.output


def test_compose_build_with_markup_agency(tmp_path: Path):
    src = REPO / "examples" / "compose" / "示例市交通运输局-2025.yaml"
    figures = tmp_path / "f.yaml"
    figures.write_text(src.read_text(encoding="utf-8").replace("agency: 示例市交通运输局", "agency: '[/x]示例局'"),
                       encoding="utf-8")
    r = invoke("compose", "build", str(figures), "--out", str(tmp_path / "[bold]out"), "--formats", "md")
    assert "[/x]示例局" in r.output
    assert "[bold]out" in r.output
