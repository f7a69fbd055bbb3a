"""Indicators, rankings, trends, and the CSV / Excel / Parquet exports (also through the CLI)."""
from __future__ import annotations

import csv

import pytest
from typer.testing import CliRunner

from gongkai.corpus.compare import COLUMNS, Placed, compare, indicators
from gongkai.corpus.export import export, load_corpus
from gongkai.model import Cell
from gongkai.store.reports import ReportStore
from truth_helpers import backends, fresh_url, sha, truth_report

PT = "平潭综合实验区管委会"
IDS = ("007", "008", "010", "014", "020", "022", "030")


def placed(ident: str, parent: str | None = None) -> Placed:
    r, _ = truth_report(ident)
    return Placed(r.agency, r.year, r, parent)


def test_indicators_of_pingtan_2021():
    i = indicators(placed("007"))
    assert (i.received, i.carried_over, i.answered, i.granted, i.partial) == (70, 0, 69, 30, 5)
    assert i.disclosure_rate == pytest.approx(35 / 69)
    assert i.unable == 25 and i.unable_share == pytest.approx(25 / 69)
    assert i.carried_forward == 1
    assert (i.reviews, i.reviews_corrected, i.review_correction_rate) == (3, 0, 0.0)   # 1 维持, 2 其他
    assert (i.lawsuits, i.lawsuit_correction_rate) == (12, 0.0)


def test_blank_counts_stay_unknown_not_zero():
    p = placed("007")
    p.report.table3["total"] = [Cell.blank() for _ in range(7)]
    p.report.table3["unable.not_held"] = [Cell.blank() for _ in range(7)]
    p.report.table3["unable.need_creation"] = [Cell.blank() for _ in range(7)]
    p.report.table3["unable.unclear"] = [Cell.blank() for _ in range(7)]
    i = indicators(p)
    assert i.answered is None and i.disclosure_rate is None and i.unable is None and i.unable_share is None


def test_rankings_within_parent_and_trend():
    rows = {(r.agency, r.year): r for r in compare([placed("007"), placed("008")]
                                                   + [placed(i, PT) for i in ("014", "020", "022", "030")])}
    ranks = {a: (r.received, r.received_rank, r.peers) for (a, y), r in rows.items() if y == 2024}
    assert ranks == {"平潭综合实验区公安局": (8, 1, 4), "平潭综合实验区市场监督管理局": (4, 2, 4),
                     "平潭综合实验区财政金融局": (2, 3, 4), "平潭综合实验区旅游与文化体育局": (1, 4, 4)}
    assert rows[(PT, 2021)].received_rank is None            # no parent: not ranked
    assert rows[(PT, 2022)].received_prev == 70
    assert rows[(PT, 2022)].received_change == pytest.approx(74 / 70 - 1)


@pytest.fixture(params=backends())
def db(request, tmp_path):
    url, drop = fresh_url(request.param, tmp_path)
    with ReportStore(url) as s:
        for i in IDS:
            r, raw = truth_report(i)
            s.ingest_report(r, sha256=sha(raw), path=f"{i}.json")
        r, raw = truth_report("008")
        r.table3["carried_over"][6] = Cell.blank()          # v2 of 2022 leaves 上年结转 blank: a cross-year break
        s.ingest_report(r, sha256=sha(raw + b"v2"), path="008-v2.json")
    yield url
    drop()


def test_csv_one_row_per_report_with_indicator_columns(db, tmp_path):
    with ReportStore(db) as s:
        path = export(load_corpus(s), tmp_path / "out.csv")
    with path.open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == [k for k, _ in COLUMNS]
    assert len(rows) == len(IDS)                           # latest version only
    r22 = next(r for r in rows if r["year"] == "2022" and r["agency"] == PT)
    assert r22["version"] == "2" and r22["received"] == "74" and r22["carried_over"] == ""  # blank, not 0
    assert float(r22["disclosure_rate"]) == pytest.approx(30 / 75)


def test_xlsx_for_an_office(db, tmp_path):
    from openpyxl import load_workbook

    with ReportStore(db) as s:
        path = export(load_corpus(s), tmp_path / "out.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames == ["指标", "表二（2021格式）", "表三", "表四", "问题清单", "趋势"]
    assert [c.value for c in wb["指标"][1]][:6] == ["机关", "上级机关", "年度", "版本", "格式", "本年新收申请"]
    t3 = [[c.value for c in row] for row in wb["表三"].iter_rows(values_only=False)]
    assert t3[0][:5] == ["机关", "年度", "版本", "项目", "自然人"]
    granted21 = next(r for r in t3 if r[0] == PT and r[1] == 2021 and r[3] == "（一）予以公开")
    assert granted21[4:] == [27, 0, 0, 2, 0, 1, 30]
    findings = [[c.value for c in row] for row in wb["问题清单"].iter_rows()]
    carry = [r for r in findings if r[4] == "cross-year.carry-over"]
    assert len(carry) == 1 and carry[0][:4] == [PT, 2022, "跨报告比对", "警告"]
    assert carry[0][7] == "表三「二、上年结转政府信息公开申请数量」总计；2021年报告 表三「四、结转下年度继续办理」总计"
    trend = {r[0].value: [c.value for c in r[1:]] for r in wb["趋势"].iter_rows(min_row=2)}
    assert [c.value for c in wb["趋势"][1]] == ["机关（本年新收申请）", "2021年", "2022年", "2024年"]
    assert trend[PT] == [70, 74, 218]


def test_parquet(db, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet", reason="pyarrow not installed: parquet export unavailable")
    with ReportStore(db) as s:
        path = export(load_corpus(s), tmp_path / "out.parquet")
    t = pq.read_table(path)
    assert t.column_names == [k for k, _ in COLUMNS] and t.num_rows == len(IDS)
    d = {(a, y): r for a, y, r in zip(t["agency"].to_pylist(), t["year"].to_pylist(), t["received"].to_pylist())}
    assert d[(PT, 2024)] == 218


def test_cli_export_report_and_agencies(db, tmp_path):
    from gongkai.cli import app

    runner = CliRunner(env={"COLUMNS": "300"})   # wide enough that rich does not wrap codes
    run = runner.invoke
    res = run(app, ["export", "--db", db, "--format", "csv", "--headers", "zh", "--out", str(tmp_path / "x.csv")])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "x.csv").read_text(encoding="utf-8-sig").splitlines()[0].startswith("机关,上级机关,年度")
    res = run(app, ["report", "--db", db, "--year", "2022"])
    # the carry-over break, in words and with its level in Chinese; the code stays in --json / the spreadsheets
    assert res.exit_code == 0 and "与2021年报告“结转下年度继续办理”" in res.output and "警告" in res.output
    assert "cross-year.carry-over" not in res.output
    res = run(app, ["agencies", "link", "平潭综合实验区财政金融局", "平潭综合实验区公安局", "--db", db])
    assert res.exit_code == 0, res.output
    with ReportStore(db) as s:
        assert {a.name: a.parent for a in s.agencies()}["平潭综合实验区财政金融局"] == "平潭综合实验区公安局"
    assert run(app, ["export", "--db", db, "--format", "doc"]).exit_code != 0


def test_cli_ingest_real_files(tmp_path):
    pytest.importorskip("gongkai.check")
    from conftest import shared_path

    from gongkai.cli import app

    raw = shared_path("corpus", "raw")
    db = f"sqlite:///{tmp_path / 'g.db'}"
    files = [str(raw / "007.txt"), str(raw / "008.txt"), str(tmp_path / "missing.pdf")]
    res = CliRunner().invoke(app, ["ingest", *files, "--db", db, "--details"])
    assert res.exit_code == 1                                          # one error, the batch went on
    assert res.output.count("已入库") == 3 and "missing.pdf" in res.output   # 2 lines + summary
    res = CliRunner().invoke(app, ["ingest", str(raw / "007.txt"), "--db", db])
    assert res.exit_code == 0 and "未变" in res.output
    with ReportStore(db) as s:
        assert [(v.agency, v.year) for v in s.versions()] == [(PT, 2021), (PT, 2022)]


def test_export_xlsx_widths_from_content_table2_in_form_order_parquet_counts_integers(db, tmp_path):
    """Export for offices: column widths follow the content (wide CJK counted double), 表二's columns in the
    form's order (not sorted by label), and parquet counts as integers."""
    from openpyxl import load_workbook

    from gongkai.corpus.compare import RATES
    from gongkai.formats import load_format

    with ReportStore(db) as s:
        corpus = load_corpus(s)
    wb = load_workbook(export(corpus, tmp_path / "out.xlsx"))
    t2 = wb["表二（2021格式）"]
    form = list(dict.fromkeys(c.label for r in load_format("2021").table2 for c in r.columns))
    assert [c.value for c in t2[1]][4:] == form
    ind = wb["指标"]
    widths = {c.value: ind.column_dimensions[c.column_letter].width for c in ind[1]}
    assert widths["机关"] >= 2 * len(PT)              # a CJK name is two columns a character
    assert widths["年度"] < widths["机关"]
    pq = pytest.importorskip("pyarrow.parquet", reason="pyarrow not installed")
    import pyarrow as pa

    t = pq.read_table(export(corpus, tmp_path / "out.parquet"))
    for key in ("received", "carried_over", "answered", "granted", "unable", "reviews", "lawsuits", "carried_forward"):
        assert pa.types.is_integer(t.schema.field(key).type), key
    assert all(pa.types.is_floating(t.schema.field(k).type) for k in RATES)
    assert None in t["carried_over"].to_pylist()      # a blank stays null, not 0
