"""`gongkai check` / `ingest` accept a filled Excel template, so a supervisor can collect offices' submissions.

The template is read by the composer's own template reader (one mechanism): its findings and the rule
engine's come out as for any report."""
from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook, load_workbook
from typer.testing import CliRunner

from conftest import REPO
from gongkai.check import check_path, iter_report_files
from gongkai.cli import app
from gongkai.compose.figures import load_figures
from gongkai.compose.template import layout, write_template

EXAMPLE = REPO / "examples" / "compose" / "示例市交通运输局-2025.yaml"


def _filled(tmp_path: Path) -> Path:
    return write_template(tmp_path / "sub.xlsx", 2025, agency="示例市交通运输局", prefill=load_figures(EXAMPLE))


def test_check_accepts_a_filled_template_and_runs_the_rules(tmp_path: Path):
    path = _filled(tmp_path)
    r = check_path(path)
    assert r.status == "ok" and r.report.agency == "示例市交通运输局" and r.report.year == 2025
    assert not r.errors
    # an office types a wrong figure: the same rules as for a published report catch it
    lay = layout("2021", r.report.table3_variant)
    slot = lay.inputs["t3.granted.natural"]
    wb = load_workbook(path)
    wb[slot.sheet].cell(slot.row, slot.col).value = 999
    wb.save(path)
    r2 = check_path(path)
    assert r2.status == "ok" and {"t3.identity"} & {f.code for f in r2.errors}


def test_an_xlsx_that_is_not_a_template_is_not_a_report(tmp_path: Path):
    other = tmp_path / "other.xlsx"
    Workbook().save(other)
    r = check_path(other)
    assert r.status == "not-report" and "填报模板" in r.error


def test_check_and_ingest_take_templates_from_a_folder(tmp_path: Path):
    path = _filled(tmp_path)
    assert path in iter_report_files([tmp_path])
    runner = CliRunner()
    res = runner.invoke(app, ["check", str(tmp_path)])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["ingest", str(tmp_path), "--db", f"sqlite:///{tmp_path / 'g.db'}", "--details"])
    assert res.exit_code == 0 and "示例市交通运输局 2025" in res.output, res.output


def test_an_xlsx_that_unpacks_too_large_is_refused_before_reading(tmp_path: Path, monkeypatch):
    import gongkai.check as C

    path = _filled(tmp_path)
    monkeypatch.setattr(C, "TEMPLATE_MAX_UNPACKED", 1000)
    r = check_path(path)
    assert r.status == "error" and r.error_code == "read.too-large" and "过大" in r.error


def test_compose_shows_every_warning_naming_a_cell_on_the_terminal(tmp_path: Path):
    """compose.template-text and compose.template-total-changed were only in --json; with a refusal they are
    often its cause."""
    path = _filled(tmp_path)
    lay = layout("2021", "split")
    wb = load_workbook(path)
    text_slot, total_slot = lay.inputs["t3.granted.business"], lay.totals["t3.new_received.total"]
    wb[text_slot.sheet].cell(text_slot.row, text_slot.col).value = "约3"
    wb[total_slot.sheet].cell(total_slot.row, total_slot.col).value = 999
    wb.save(path)
    r = CliRunner().invoke(app, ["compose", "build", str(path), "--out", str(tmp_path / "o"), "--formats", "md"],
                           env={"COLUMNS": "80"})
    flat = "".join(r.output.split())
    text_ref = f"表三!{'ABCDEFGHIJ'[text_slot.col - 1]}{text_slot.row}"
    total_ref = f"表三!{'ABCDEFGHIJ'[total_slot.col - 1]}{total_slot.row}"
    assert "警告：" in r.output and "约3" in flat and text_ref in flat and total_ref in flat, r.output
    assert "compose.template" not in r.output
