"""Text gongkai writes into CSV and Excel is never evaluated as a formula.

A file name beginning with ``=`` became formula cells in ``gongkai check --format xlsx`` (and raw in
CSV). Every CSV/XLSX gongkai writes — check export, corpus export, the register's due lists, the
composer's template — keeps such text as text.
"""
from __future__ import annotations

import copy
import csv
import shutil
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from gongkai.check import check_path
from gongkai.cli import app
from gongkai.spreadsheet import csv_value, is_formula_like

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "示例市交通运输局-2024.txt"
FORMULAS = ['=HYPERLINK("http://evil","x")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)", "\t=1+1", "\r=1+1"]


@pytest.mark.parametrize("text", FORMULAS)
def test_formula_like_text_is_recognised(text: str):
    assert is_formula_like(text) and csv_value(text) == "'" + text


@pytest.mark.parametrize("text", ["-", "-5", "+3.5", "12%", "示例", "a=b", "", "—"])
def test_plain_values_are_left_alone(text: str):
    assert not is_formula_like(text) and csv_value(text) == text


def _no_formulas(path: Path) -> list:
    """All string cell values of every sheet; fails on any formula cell."""
    values = []
    for ws in load_workbook(path).worksheets:
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", (ws.title, c.coordinate, c.value)
                if isinstance(c.value, str):
                    values.append(c.value)
    return values


def test_check_export_of_a_file_named_like_a_formula(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    name = '=HYPERLINK("evil.example","点击").txt'
    shutil.copy(EXAMPLE, tmp_path / name)
    runner = CliRunner()
    r = runner.invoke(app, ["check", name, "--format", "xlsx", "-o", "out"])
    assert r.exit_code == 0, r.output
    values = _no_formulas(tmp_path / "out.xlsx")
    assert values.count(name) > 100  # one row per cell, each naming the file exactly
    r = runner.invoke(app, ["check", name, "--format", "csv", "-o", "out"])
    assert r.exit_code == 0, r.output
    for f in ("out.csv", "out.findings.csv"):
        rows = list(csv.reader((tmp_path / f).open(encoding="utf-8-sig")))
        firsts = {row[0] for row in rows[1:]}
        assert firsts == {"'" + name}, f


def test_corpus_export_with_a_formula_agency_name(tmp_path: Path):
    from gongkai.corpus.export import export, load_corpus
    from gongkai.store.reports import ReportStore

    report = copy.deepcopy(check_path(EXAMPLE).report)
    report.agency, report.title = "=1+2局", None
    with ReportStore(f"sqlite:///{tmp_path / 's.db'}") as store:
        assert store.ingest_report(report, sha256="d" * 64, path="@x.txt").status == "stored"
        corpus = load_corpus(store)
    export(corpus, tmp_path / "c.xlsx", "xlsx")
    assert "=1+2局" in _no_formulas(tmp_path / "c.xlsx")
    export(corpus, tmp_path / "c.csv", "csv")
    text = (tmp_path / "c.csv").read_text(encoding="utf-8-sig")
    assert "'=1+2局" in text and "'@x.txt" in text and "\n=1" not in text and ",=" not in text


def test_register_due_list_export(tmp_path: Path):
    from gongkai.requests.duelists import DueItem, export_xlsx

    item = DueItem("2026-0001", "=HYPERLINK(\"x\")", "registered", date(2026, 3, 1), None, 3, "+cmd")
    p = tmp_path / "due.xlsx"
    p.write_bytes(export_xlsx([item], "到期"))
    values = _no_formulas(p)
    assert "=HYPERLINK(\"x\")" in values and "+cmd" in values


def test_compose_template_with_a_formula_agency(tmp_path: Path):
    from gongkai.compose.template import read_template, write_template

    p = write_template(tmp_path / "t.xlsx", 2025, agency="=WEBSERVICE(\"http://evil\")")
    guide = load_workbook(p).worksheets
    agency_cells = [c for ws in guide for row in ws.iter_rows() for c in row if c.value == "=WEBSERVICE(\"http://evil\")"]
    assert agency_cells and all(c.data_type == "s" for c in agency_cells)
    assert read_template(p).agency == "=WEBSERVICE(\"http://evil\")"
