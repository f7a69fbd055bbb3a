"""Every `gongkai` command, run over a store of the whole corpus, ends without a traceback.

Regression for "gongkai export --format xlsx → ValueError: not enough values to unpack in cell_words":
findings that name a whole row (``t3.granted``, ``t3.other``) or a whole table (``t4.all``) crashed the
export. The commands are enumerated from the typer app, so a command added later is run too (with
``--help`` and without arguments when no scenario below names it; never with real side effects).
"""
from __future__ import annotations

import traceback
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from conftest import REPO, shared_path
from gongkai.cli import app

runner = CliRunner()

# Scenarios per command path: argument lists with placeholders filled in by the fixture below.
# {db}: the corpus store; {req}: a request register holding request {number}; {tmp}: a scratch folder.
SCENARIOS: dict[str, list[list[str]]] = {
    "check": [["{corpus}", "{seeds}", "-q"], ["{corpus}", "--format", "xlsx", "-o", "{tmp}/c", "-q"],
              ["{corpus}", "--format", "csv", "-o", "{tmp}/c", "-q"], ["{seeds}", "--json", "{tmp}/c.json"]],
    "ingest": [["{corpus}", "{seeds}", "--db", "{db}"]],
    "report": [["--db", "{db}"], ["--db", "{db}", "--year", "2024"], ["--db", "{db}", "--agency", "{agency}"]],
    "export": [["--db", "{db}", "--format", f, "-o", "{tmp}/e." + f, *extra]
               for f in ("xlsx", "csv", "parquet") for extra in ([], ["--year", "2024"], ["--agency", "{agency}"])],
    "agencies list": [["--db", "{db}"]],
    "search": [["行政复议", "--db", "{db}"], ["\" OR [/x] --", "--db", "{db}"]],
    "agencies link": [["{agency}", "不存在的上级局", "--db", "{db}"], ["不存在的局", "{agency}", "--db", "{db}"]],
    "agencies unlink": [["不存在的局", "--db", "{db}"], ["{agency}", "--db", "{db}"]],
    "agencies apply": [["{tmp}/links.yaml", "--db", "{db}"]],
    "compose template": [["--year", "2025", "-o", "{tmp}/t.xlsx"], ["--year", "2025", "--prefill", "{seed}", "-o",
                                                                     "{tmp}/t2.xlsx"]],
    "compose build": [["{example}", "--out", "{tmp}/out", "--formats", "md,html"],
                      ["{example}", "--store", "{db}", "--out", "{tmp}/out2", "--formats", "md"],
                      ["{seed}", "--out", "{tmp}/out3", "--formats", "md", "--json"]],
    "compose diff": [["--store", "{db}", "--agency", "{agency}", "--year", "2025"], ["{seed}", "--store", "{db}"]],
    "workplan import": [["{plan_notice}", "--plan", "{tmp}/plan.json"]],
    "workplan status": [["--plan", "{tmp}/plan.json"]],
    "workplan update": [["1", "--status", "进行中", "--plan", "{tmp}/plan.json"]],
    "workplan draft-section6": [["--plan", "{tmp}/plan.json", "--as-of", "2025-12-31"]],
    "requests intake": [["--db", "{req}", "--channel", "网络", "--applicant-type", "自然人", "--name", "李四",
                         "--content", "某信息", "--confirmed-on", "2025-03-04", "--phone", "1"]],
    "requests show": [["{number}", "--db", "{req}"], ["2025-9999", "--db", "{req}"]],
    "requests history": [["{number}", "--db", "{req}"]],
    "requests due": [["{number}", "--db", "{req}"]],
    "requests list due": [["--db", "{req}"]],
    "requests list overdue": [["--db", "{req}"]],
    "requests list paused": [["--db", "{req}"]],
    "requests export": [["due", "--out", "{tmp}/due.xlsx", "--db", "{req}"]],
    "requests letter": [["{number}", "receipt", "--db", "{req}", "--out", "{tmp}/l.docx"]],
    "requests letters": [["{number}", "--db", "{req}"]],
    "requests year-end table3": [["2025", "--db", "{req}"]],
    "requests year-end table4": [["2025", "--db", "{req}"]],
    "requests year-end candidates": [["2025", "--db", "{req}"]],
    "requests calendar show": [["2025", "--db", "{req}"]],
    "requests answer": [["{number}", "--on", "2025-03-10", "--db", "{req}"]],
}


def commands() -> list[tuple[str, object]]:
    out = []

    def walk(cmd, path):
        subs = getattr(cmd, "commands", None)
        if subs is None:
            out.append((" ".join(path), cmd))
        else:
            for name, sub in subs.items():
                walk(sub, path + [name])

    walk(typer.main.get_command(app), [])
    return out


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> dict[str, str]:
    corpus, seeds = shared_path("corpus", "raw"), shared_path("seeds")
    tmp = tmp_path_factory.mktemp("every")
    db = f"sqlite:///{tmp / 'corpus.db'}"
    req = f"sqlite:///{tmp / 'req.db'}"
    (tmp / "links.yaml").write_text("links:\n  示例甲局: 示例乙局\n", encoding="utf-8")
    w = {"corpus": str(corpus), "seeds": str(seeds), "tmp": str(tmp), "db": db, "req": req,
         "seed": str(seeds / "001_054de3fe172792eb.txt"), "plan_notice": str(seeds / "003_7d0f2a5cbc92dc5a.txt"),
         "example": str(REPO / "examples" / "compose" / "示例市交通运输局-2025.yaml")}
    r = runner.invoke(app, ["ingest", str(corpus), str(seeds), "--db", db])
    assert r.exception is None or isinstance(r.exception, SystemExit), r.output
    from gongkai.store.reports import ReportStore

    with ReportStore(db) as store:
        w["agency"] = next(a.name for a in store.agencies() if a.n_reports)
    r = runner.invoke(app, ["requests", "intake", "--db", req, "--channel", "网络", "--applicant-type", "自然人",
                            "--name", "张三", "--content", "某信息", "--confirmed-on", "2025-03-03", "--phone", "1"])
    assert r.exit_code == 0, r.output
    w["number"] = "2025-0001"
    return w


def _crashed(result) -> str | None:
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        return "".join(traceback.format_exception(result.exception))
    if "Traceback (most recent call last)" in result.output:
        return result.output
    return None


def test_agencies_link_and_unlink_answer_in_words(world):
    r = runner.invoke(app, ["agencies", "link", "不存在的局", world["agency"], "--db", world["db"]])
    assert r.exit_code == 2 and "未找到机关 不存在的局" in r.output
    r = runner.invoke(app, ["agencies", "unlink", "不存在的局", "--db", world["db"]])
    assert r.exit_code == 2 and "未找到机关" in r.output
    r = runner.invoke(app, ["agencies", "unlink", world["agency"], "--db", world["db"]], env={"COLUMNS": "200"})
    assert r.exit_code == 0 and "无需解除" in r.output, r.output
    r = runner.invoke(app, ["agencies", "list", "--db", world["db"]])
    assert "不存在的局" not in r.output


@pytest.mark.parametrize("path,cmd", commands(), ids=[p for p, _ in commands()])
def test_every_cli_command_ends_without_a_traceback(world, path: str, cmd, monkeypatch):
    monkeypatch.chdir(world["tmp"])
    words = path.split()
    runs = [["--help"]]
    if path in SCENARIOS:
        runs += SCENARIOS[path]
    elif not any(p.required for p in cmd.params) and path not in {"serve"}:
        runs.append([])  # nothing required: the bare command must answer (a usage line, a list, an error)
    for args in runs:
        argv = words + [a.format(**world) for a in args]
        result = runner.invoke(app, argv, env={"COLUMNS": "80", "GONGKAI_DB": world["db"]})
        crash = _crashed(result)
        assert crash is None, f"gongkai {' '.join(argv)} ended in a traceback:\n{crash}"
        # at 80 columns (and piped, where rich assumes 80) nothing a person reads is cut with "…"
        cut = [line for line in result.output.splitlines() if "…" in line]
        assert not cut, f"gongkai {' '.join(argv)} cut its output at 80 columns: {cut[:3]}"


def test_every_command_with_required_arguments_has_a_scenario():
    """A command that needs arguments is only exercised past --help when a scenario names it here."""
    skipped = {"requests register", "requests import", "requests calendar load", "requests case add", "requests case update",
               "requests request-correction", "requests receive-correction", "requests correction-lapsed",
               "requests consult", "requests consult-done", "requests extend", "requests fee-notice",
               "requests fee-paid", "requests fee-lapsed", "requests deliver", "requests close", "requests archive",
               "requests withdraw", "requests reopen"}  # the register helper's workflow tests cover these
    missing = [p for p, c in commands() if any(q.required for q in c.params) and p not in SCENARIOS
               and p not in skipped and not p.startswith(("users", "serve"))]
    assert not missing, f"commands with no scenario in SCENARIOS: {missing}"
