"""The composer end to end: figures → validated → prose → DOCX/HTML/Markdown(/PDF) → read back equal.

The truth files of ../shared/corpus are the figures: each composes into documents that gongkai's own
readers give back cell for cell, with prose its own prose checks agree with — or, where the printed
figures break an identity (known_check_failures), the composition is refused with the rule's findings.
"""
from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from gongkai.cli import app
from gongkai.compose.build import (compare_cells, compose, gather_figures, load_office_text, verify_outputs,
                                   write_outputs)
from gongkai.compose.figures import FiguresError, report_from_compact
from gongkai.compose.template import layout
from gongkai.model import Cell, Kind

from truth_helpers import truth_dir

OFFICE = {"problems": "一是政策解读形式不够丰富。二是基层公开标准化有待加强。",
          "other_matters": "本年度未收取信息处理费。本机关认真贯彻落实年度政务公开工作要点。"}
TABLE_FAILURES = ("T3_", "T4_")


def _truths() -> list[Path]:
    return sorted(truth_dir().glob("*.json"))


def _table_failures(d: dict) -> list[str]:
    return [k for k in d.get("known_check_failures") or [] if k.startswith(TABLE_FAILURES)]


def test_every_truth_file_composes_and_reads_back_or_is_refused(tmp_path):
    composed = refused = 0
    for path in _truths():
        d = json.loads(path.read_text(encoding="utf-8"))
        comp = compose(report_from_compact(d, origin=path.name), office_text=OFFICE)
        if _table_failures(d):
            assert comp.refused, path.name
            codes = {f.code for f in comp.verdict.errors}
            assert codes and codes <= {"t3.identity", "t3.row-sum", "t3.total-sum", "t4.total-sum"}, (path.name, codes)
            assert all(f.cells for f in comp.verdict.errors)
            assert comp.verdict.refusal_lines()
            with pytest.raises(ValueError):
                write_outputs(comp, tmp_path, ("docx",))
            refused += 1
            continue
        assert not comp.refused, (path.name, comp.verdict.refusal_lines())
        assert comp.disagreements == [], (path.name, comp.disagreements)
        write_outputs(comp, tmp_path / path.stem, ("docx", "html", "md"))
        for rt in verify_outputs(comp):
            assert rt.ok, (path.name, rt.format, rt.differences, [e.code for e in rt.errors], rt.problem)
        composed += 1
    assert refused == 2 and composed == len(_truths()) - 2


@pytest.mark.skipif(shutil.which("soffice") is None and shutil.which("libreoffice") is None,
                    reason="LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui")
def test_pdf_reads_back_for_both_formats(tmp_path):
    for ident in ("seed-002", "seed-004"):  # 2019 trial format and 2021 format
        d = json.loads((truth_dir() / f"{ident}.json").read_text(encoding="utf-8"))
        comp = compose(report_from_compact(d), office_text=OFFICE)
        write_outputs(comp, tmp_path, ("pdf",), stem=ident)
        assert comp.output_errors == {}
        [rt] = verify_outputs(comp)
        assert rt.ok, (ident, rt.differences, rt.errors, rt.problem)


def test_compare_cells_names_the_cell_that_differs():
    d = json.loads((truth_dir() / "seed-004.json").read_text(encoding="utf-8"))
    a, b = report_from_compact(d), report_from_compact(d)
    b.table3["granted"][0] = Cell(Kind.NUMBER, 999, "999")
    b.table3["partial"][1] = Cell.blank()
    diffs = compare_cells(a, b)
    assert [x.split(":")[0] for x in diffs] == ["t3.granted.natural", "t3.partial.business"]


# ---- office text ----------------------------------------------------------------------------------
def _small() -> dict:
    t3 = {k: [0] * 7 for k in ("new_received", "carried_over", "granted", "partial", "carried_forward")}
    t3["new_received"] = [3, 1, 0, 0, 0, 0, 4]
    t3["granted"] = [2, 1, 0, 0, 0, 0, 3]
    t3["carried_forward"] = [1, 0, 0, 0, 0, 0, 1]
    from gongkai.formats import load_format

    for r in load_format("2021").table3.rows_for("split"):
        t3.setdefault(r.key, [0] * 7)
    t3["total"] = [2, 1, 0, 0, 0, 0, 3]
    return {"agency": "某县审计局", "year": 2025,
            "table2": {"regulations": {"made": 0, "repealed": 0, "in_force": 0},
                       "normative_documents": {"made": 1, "repealed": 0, "in_force": 9},
                       "licensing": {"decisions": 0}, "penalty": {"decisions": 2}, "coercion": {"decisions": 0},
                       "fees": {"amount_10k_yuan": 0}},
            "table3": t3,
            "table4": {"review": [0, 0, 0, 0, 0], "litigation_direct": [0, 0, 0, 0, 0],
                       "litigation_after_review": [0, 0, 0, 0, 0]}}


def test_office_text_from_yaml_and_from_headed_markdown(tmp_path):
    report = report_from_compact(_small())
    y = tmp_path / "text.yaml"
    y.write_text("五: 解读不够。\nother_matters: 本年度未收取信息处理费。\n", encoding="utf-8")
    assert load_office_text(y, report) == {"problems": "解读不够。", "other_matters": "本年度未收取信息处理费。"}
    m = tmp_path / "text.md"
    m.write_text("一、总体情况\n坚持公开为常态。\n\n五、存在的主要问题及改进情况\n一是解读不够。\n"
                 "六、其他需要报告的事项\n无。\n", encoding="utf-8")
    assert load_office_text(m, report) == {"overview": "坚持公开为常态。", "problems": "一是解读不够。",
                                           "other_matters": "无。"}
    bad = tmp_path / "bad.yaml"
    bad.write_text("七: x\n", encoding="utf-8")
    with pytest.raises(FiguresError, match="未知的章节"):
        load_office_text(bad, report)


def test_no_figures_is_a_clear_error():
    with pytest.raises(FiguresError, match="未提供数据"):
        gather_figures(None)


# ---- the command line -----------------------------------------------------------------------------
runner = CliRunner()


def _fill(path: Path, values: dict[str, object]) -> None:
    """Type values into the template's input cells, as an office would in Excel."""
    lay = layout("2021", "split")
    wb = openpyxl.load_workbook(path)
    for key, v in values.items():
        slot = lay.slot(key)
        wb[slot.sheet].cell(row=slot.row, column=slot.col).value = v
    wb.save(path)


def _template_values() -> dict[str, object]:
    d = _small()
    from gongkai.formats import load_format

    spec = load_format("2021")
    out: dict[str, object] = {}
    for row, cols in d["table2"].items():
        for col, v in cols.items():
            out[f"t2.{row}.{col}"] = v
    cols3 = [c.key for c in spec.table3.columns][:6]
    for row, vs in d["table3"].items():
        if row != "total":
            out.update({f"t3.{row}.{c}": v for c, v in zip(cols3, vs)})
    cols4 = [c.key for c in spec.table4.columns][:4]
    for row, vs in d["table4"].items():
        out.update({f"t4.{row}.{c}": v for c, v in zip(cols4, vs)})
    return out


def test_cli_template_build_and_refusal(tmp_path):
    t = tmp_path / "figures.xlsx"
    r = runner.invoke(app, ["compose", "template", "--year", "2025", "--agency", "某县审计局", "-o", str(t)])
    assert r.exit_code == 0, r.output
    _fill(t, _template_values())
    text = tmp_path / "text.yaml"
    text.write_text("problems: 一是解读不够。\nother_matters: 本年度未收取信息处理费。本局贯彻落实年度工作要点。\n",
                    encoding="utf-8")
    out = tmp_path / "out"
    r = runner.invoke(app, ["compose", "build", str(t), "--text", str(text), "--out", str(out),
                            "--formats", "docx,html,md", "--json"])
    assert r.exit_code == 0, r.output
    res = json.loads(r.output)
    assert res["ok"] and not res["refused"]
    assert sorted(Path(p).suffix for p in res["outputs"].values()) == [".docx", ".html", ".md"]
    assert all(rt["ok"] for rt in res["roundtrips"])
    md = next(out.glob("*.md")).read_text(encoding="utf-8")
    assert "本年度新收政府信息公开申请4件" in md and "予以公开3件，占100.0%" in md and "一是解读不够。" in md

    # a slip that breaks 第一项+第二项=第三项+第四项 in the natural-person column is refused, cells named
    _fill(t, {"t3.new_received.natural": 5})
    r = runner.invoke(app, ["compose", "build", str(t), "--out", str(tmp_path / "out2"), "--formats", "md"])
    assert r.exit_code == 1
    assert "错误：" in r.output and "表三!" in r.output and "t3.identity" not in r.output
    assert not (tmp_path / "out2").exists() or not any((tmp_path / "out2").iterdir())


def test_cli_diff_against_last_year(tmp_path):
    cur = tmp_path / "2025.yaml"
    prev = tmp_path / "2024.yaml"
    d = _small()
    import yaml

    cur.write_text(yaml.safe_dump(d, allow_unicode=True), encoding="utf-8")
    d["year"] = 2024
    d["table2"]["penalty"]["decisions"] = 5
    d["table2"]["fees"]["amount_10k_yuan"] = None
    prev.write_text(yaml.safe_dump(d, allow_unicode=True), encoding="utf-8")
    r = runner.invoke(app, ["compose", "diff", str(cur), str(prev), "--json"])
    assert r.exit_code == 0, r.output
    res = json.loads(r.output)
    changed = {c["key"]: c for c in res["changed"]}
    assert set(changed) == {"t2.penalty.decisions", "t2.fees.amount_10k_yuan"}
    assert changed["t2.penalty.decisions"]["delta"] == -3
    assert changed["t2.fees.amount_10k_yuan"]["delta"] is None  # blank → 0 is a change of kind, not a delta


def test_cli_build_from_register_with_fees(tmp_path):
    from gongkai.requests import register as R
    from gongkai.store.db import connect
    from gongkai.workdays.store import active_calendar

    db = tmp_path / "reg.db"
    eng = connect(f"sqlite:///{db}")
    cal = active_calendar(eng)
    ag = "某县审计局"
    for i, (received, done, how) in enumerate([(date(2026, 3, 2), date(2026, 3, 20), "granted"),
                                              (date(2026, 4, 1), date(2026, 4, 20), "partial")]):
        v = R.intake(eng, ag, R.RequestIn(channel="当面", content=f"信息{i}", submitted_on=received,
                                          applicant=R.Applicant("natural", f"人{i}", phone="1")), "clerk", cal)
        if i == 1:
            v = R.act(eng, ag, v.number, "fee_notice", actor="a", on=date(2026, 4, 3),
                      payload={"method": "per_page", "pages": 40}, cal=cal)
            R.act(eng, ag, v.number, "fee_paid", actor="a", on=date(2026, 4, 8), cal=cal)
        R.act(eng, ag, v.number, "answer", actor="clerk", on=done, payload={"outcome": how}, cal=cal)
    out = tmp_path / "out"
    # the register alone has no 表二: refused with a message saying where to give it
    r = runner.invoke(app, ["compose", "build", "--register", f"sqlite:///{db}", "--agency", ag, "--year", "2026",
                            "--out", str(out), "--formats", "md"])
    assert r.exit_code == 1 and "没有提供表二" in r.output and "compose." not in r.output
    # 表二 from a figures file, 表三/表四 and the fees from the register
    import yaml

    t2 = tmp_path / "t2.yaml"
    d = _small()
    t2.write_text(yaml.safe_dump({"agency": ag, "year": 2026, "table2": d["table2"]}, allow_unicode=True),
                  encoding="utf-8")
    r = runner.invoke(app, ["compose", "build", str(t2), "--register", f"sqlite:///{db}", "--out", str(out),
                            "--formats", "md", "--json"])
    res = json.loads(r.output)
    assert not res["refused"], res["findings"]
    md = next(out.glob("*.md")).read_text(encoding="utf-8")
    assert "本年度新收政府信息公开申请2件" in md
    assert "收取信息处理费1件" in md
    assert all(rt["ok"] for rt in res["roundtrips"])


def test_cli_diff_of_ingested_reports_from_the_store(tmp_path):
    # two years of the same agency ingested from the corpus (2021 and 2022 reports of one bureau)
    from gongkai.store.reports import ReportStore

    raw = truth_dir().parent / "raw"
    db = f"sqlite:///{tmp_path / 'corpus.db'}"
    files = [raw / "007.txt", raw / "008.txt"]
    with ReportStore(db) as store:
        outcomes = list(store.ingest_files(files))
    assert [o.status for o in outcomes] == ["stored", "stored"]
    latest = max(outcomes, key=lambda o: o.year)   # outcomes come as the workers finish, not in file order
    agency, year = latest.agency, latest.year
    r = runner.invoke(app, ["compose", "diff", "--store", db, "--agency", agency, "--year", str(year), "--json"])
    assert r.exit_code == 0, r.output
    res = json.loads(r.output)
    assert res["previous"]["year"] == year - 1 and res["current"]["year"] == year
    assert res["changed"] and all(set(c) >= {"key", "previous", "current"} for c in res["changed"])
    assert set(res["reuse"]) == {"overview", "proactive", "requests", "review_litigation", "problems", "other_matters"}
    r = runner.invoke(app, ["compose", "diff", "--store", db, "--agency", agency, "--year", str(year - 1)])
    assert r.exit_code == 2 and "未找到上年报告" in r.output


# ---- the JSON API (same functions, in process) ----------------------------------------------------
def test_api_composes_and_refuses(tmp_path):
    from api_helpers import make_api

    api = make_api(f"sqlite:///{tmp_path / 'api.db'}")
    client = api.client
    client.headers.update(api.headers("handler"))
    d = _small()
    r = client.post("/compose", json=d)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["ok"] and "本年度新收政府信息公开申请4件" in body["report"]["sections"]["overview"]
    r = client.post("/compose/document?format=md", json=d)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/markdown")
    assert "| 一、本年新收政府信息公开申请数量 | 3 | 1 |" in r.content.decode("utf-8")
    d["table3"]["new_received"][0] = 9  # breaks the identity in the natural-person column
    r = client.post("/compose", json=d)
    assert r.status_code == 422 and "t3.identity" in {f["code"] for f in r.json()["findings"]}
    assert client.post("/compose", json={"year": "x"}).status_code == 422


def test_cli_build_drafts_section_six_from_the_tracked_work_plan(tmp_path):
    from conftest import FIXTURES

    plan = tmp_path / "workplan.json"
    r = runner.invoke(app, ["workplan", "import", str(FIXTURES / "workplan" / "district_notice.txt"),
                            "--plan", str(plan)])
    assert r.exit_code == 0, r.output
    import yaml

    figures = tmp_path / "f.yaml"
    figures.write_text(yaml.safe_dump(_small() | {"year": 2024}, allow_unicode=True), encoding="utf-8")  # the plan's
    out = tmp_path / "out"
    r = runner.invoke(app, ["compose", "build", str(figures), "--workplan", str(plan), "--fee-count", "0",
                            "--fee-amount", "0", "--out", str(out), "--formats", "md", "--json"])
    res = json.loads(r.output)
    six = res["report"]["sections"]["other_matters"]
    stored = json.loads(plan.read_text(encoding="utf-8"))
    assert str(len(stored["tasks"])) + "项" in six            # the draft counts the plan's tasks
    assert "未收取信息处理费" in six                           # the fee sentence from --fee-count/--fee-amount
    assert not any(p["code"].startswith("compose.six") or "工作要点" in p["message"] for p in res["prompts"])
    assert all(rt["ok"] for rt in res["roundtrips"])


def test_a_work_plan_of_another_year_does_not_draft_section_six_and_the_draft_is_dated_at_year_end(tmp_path):
    """A 2023 plan drafted the 2026 report's 六 without a word, dated 截至<today>: now refused, and a plan of the
    report year is dated 31 December of that year."""
    from conftest import FIXTURES
    import yaml

    plan = tmp_path / "workplan.json"
    r = runner.invoke(app, ["workplan", "import", str(FIXTURES / "workplan" / "district_notice.txt"),
                            "--plan", str(plan)])
    assert r.exit_code == 0, r.output
    figures = tmp_path / "f.yaml"
    figures.write_text(yaml.safe_dump(_small() | {"year": 2026}, allow_unicode=True), encoding="utf-8")
    r = runner.invoke(app, ["compose", "build", str(figures), "--workplan", str(plan), "--out", str(tmp_path / "o"),
                            "--formats", "md"])
    assert r.exit_code == 2 and "2024年度" in r.output and "2026年度" in r.output, r.output
    assert not (tmp_path / "o").exists()
    figures.write_text(yaml.safe_dump(_small() | {"year": 2024}, allow_unicode=True), encoding="utf-8")
    r = runner.invoke(app, ["compose", "build", str(figures), "--workplan", str(plan), "--out", str(tmp_path / "o"),
                            "--formats", "md", "--json"])
    six = json.loads(r.output)["report"]["sections"]["other_matters"]
    assert "截至2024年12月31日" in six
    r = runner.invoke(app, ["workplan", "draft-section6", "--plan", str(plan)])
    assert "截至2024年12月31日" in r.output
    r = runner.invoke(app, ["workplan", "draft-section6", "--plan", str(plan), "--as-of", "2026-12-01"])
    assert r.exit_code != 0 and "不在该年度内" in r.output and "截至2026" not in r.output


def test_compose_with_last_year_runs_the_same_cross_year_checks_as_report(tmp_path):
    """compose build --last-year passed 上年结转 3 against last year's 结转下年度 2 in silence, while `gongkai report`
    flagged cross-year.carry-over for the same pair: both now run crossyear.consecutive_years."""
    import yaml

    from gongkai.corpus.compare import Placed
    from gongkai.corpus.crossyear import check_corpus

    this = _small()
    this["table3"]["carried_over"] = [3, 0, 0, 0, 0, 0, 3]
    this["table3"]["new_received"] = [0, 1, 0, 0, 0, 0, 1]
    last = _small() | {"year": 2024}
    last["table3"]["carried_forward"] = [2, 0, 0, 0, 0, 0, 2]
    last["table3"]["new_received"] = [4, 1, 0, 0, 0, 0, 5]
    cur, prev = report_from_compact(this), report_from_compact(last)
    comp = compose(cur, last_year=prev)
    assert not comp.refused, comp.verdict.refusal_lines()
    got = [(f.code, f.cells) for f in comp.verdict.findings if f.code.startswith("cross-year")]
    corpus = [(cf.finding.code, cf.finding.cells) for cf in check_corpus(
        [Placed("某县审计局", 2024, prev), Placed("某县审计局", 2025, cur)])]
    assert ("cross-year.carry-over", ["t3.carried_over.natural"]) in got and sorted(got) == sorted(corpus)
    # on the terminal, in Chinese
    (tmp_path / "f.yaml").write_text(yaml.safe_dump(this, allow_unicode=True), encoding="utf-8")
    (tmp_path / "l.yaml").write_text(yaml.safe_dump(last, allow_unicode=True), encoding="utf-8")
    r = runner.invoke(app, ["compose", "build", str(tmp_path / "f.yaml"), "--last-year", str(tmp_path / "l.yaml"),
                            "--out", str(tmp_path / "o"), "--formats", "md"], env={"COLUMNS": "80"})
    assert "警告：2025年表三“上年结转”（自然人）为3" in r.output, r.output
    r = runner.invoke(app, ["compose", "diff", str(tmp_path / "f.yaml"), str(tmp_path / "l.yaml")],
                      env={"COLUMNS": "80"})
    assert "警告：2025年表三“上年结转”（自然人）为3" in r.output, r.output
    # a "last year" that is not the year before is said, not compared
    comp = compose(cur, last_year=report_from_compact(last | {"year": 2022}))
    assert [f.code for f in comp.verdict.findings if f.code.startswith("cross-year")] == ["cross-year.not-consecutive"]
