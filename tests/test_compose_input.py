"""The year's figures in (compact YAML/JSON, full JSON, Excel template, request register, store) and their
validation: totals computed or checked, breaks refused with the rule's message and cells, blank/0/"/" distinct."""
from __future__ import annotations

import copy
import json
import re
import shutil
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
import yaml

from conftest import SHARED, shared_path
from gongkai.compose.figures import (FiguresError, figures_from_register, last_year_from_store, load_figures,
                                     merge_figures, report_from_compact)
from gongkai.compose.template import GUIDE, META, T3, YEAR_CELL, layout, read_template, write_template
from gongkai.compose.validate import check_figures, complete_totals, sum_of, total_parts
from gongkai.findings import Severity
from gongkai.formats import load_format
from gongkai.model import Cell, Kind
from truth_helpers import report_from_truth

T3_IDENTITY_ROWS = ("new_received", "carried_over", "total", "carried_forward")


def _truth_ids() -> list[str]:
    d = SHARED / "corpus" / "truth"
    return sorted(p.stem for p in d.glob("*.json")) if d.is_dir() else ["absent"]


def _truth(ident: str) -> dict:
    return json.loads(shared_path("corpus", "truth", f"{ident}.json").read_text(encoding="utf-8"))


def _triple(c: Cell) -> tuple:
    return c.kind, c.value, c.text


def _as_truth_records(c: Cell) -> tuple:
    """A cell as the truth files record it: an amount printed with its unit is kept there as printed text,
    while gongkai reads it (from a figures file as from a document) as a number with that unit."""
    if c.kind is Kind.NUMBER and c.unit:
        return Kind.TEXT, None, c.text
    return _triple(c)


def _expected_errors(d: dict) -> set[tuple[str, frozenset]]:
    """The rule findings a truth file's known_check_failures stand for (check_truth.py codes → catalog codes)."""
    spec = load_format(str(d["template"]))
    cols = [c.key for c in spec.table3.columns]
    variant = "single" if "other" in d["table3"] else "split"
    out = set()
    for item in d.get("known_check_failures") or []:
        code, _, arg = item.partition(":")
        if code == "T4_SUM":
            out.add(("t4.total-sum", frozenset(f"t4.{arg}.{c.key}" for c in spec.table4.columns)))
        elif code == "T3_ROW":
            out.add(("t3.row-sum", frozenset(f"t3.{arg}.{c}" for c in cols)))
        elif code == "T3_BAL":
            out.add(("t3.identity", frozenset(f"t3.{r}.{arg}" for r in T3_IDENTITY_ROWS)))
        elif code == "T3_SUM":
            out.add(("t3.total-sum", frozenset([f"t3.total.{arg}"] + [
                f"t3.{r.key}.{arg}" for r in spec.table3.outcome_rows(variant)])))
        # NARR:* is about the narrative, not the figures
    return out


def _errors(verdict) -> set[tuple[str, frozenset]]:
    return {(f.code, frozenset(f.cells)) for f in verdict.findings if f.severity is Severity.ERROR}


# ---- the truth files ------------------------------------------------------------------------------------
@pytest.mark.parametrize("ident", _truth_ids())
def test_compact_equals_truth_and_refuses_exactly_the_known_breaks(ident):
    d = _truth(ident)
    got = report_from_compact(d, origin=f"{ident}.json")
    want = report_from_truth(d)
    assert (got.format, got.table3_variant, got.agency, got.year) == (want.format, want.table3_variant,
                                                                      want.agency, want.year)
    for name in ("table2", "table3", "table4"):
        assert list(getattr(got, name)) == list(getattr(want, name)), name
    assert [(k, _as_truth_records(c)) for k, c in got.cells()] == [(k, _triple(c)) for k, c in want.cells()]
    assert got.to_truth_form()["table2"] == want.to_truth_form()["table2"]

    verdict = check_figures(got)
    expected = _expected_errors(d)
    assert _errors(verdict) == expected
    assert verdict.refused is bool(expected)
    lines = "\n".join(verdict.refusal_lines())
    for code, cells in expected:
        finding = next(f for f in verdict.errors if f.code == code and frozenset(f.cells) == cells)
        assert finding.message in lines and finding.gloss in lines
        assert all(got.spec.cell_words(c, got.table3_variant) in lines for c in cells)
    assert got.findings == []  # checking works on a copy


@pytest.mark.parametrize("ident", _truth_ids())
def test_template_round_trip_of_every_truth_file(ident, tmp_path):
    d = _truth(ident)
    src = report_from_compact(d)
    year = 2020 if src.format == "2019" else 2026
    path = write_template(tmp_path / f"{ident}.xlsx", year, prefill=src)
    back = read_template(path)
    assert (back.format, back.table3_variant, back.year, back.agency) == (src.format, src.table3_variant, year,
                                                                          src.agency)
    for key, cell in back.cells():
        want = src.cell(key)
        if want.kind is Kind.MISSING:  # a row the report does not print comes back as a printed blank row
            assert cell.kind is Kind.BLANK, key
        else:
            assert _triple(cell) == _triple(want), key
        assert cell.source is not None and cell.source.row is not None, key
    # a prefilled total that breaks its sum was kept as given, and reading says so
    changed = {f.cells[0] for f in back.findings if f.code == "compose.template-total-changed"}
    lay = layout(src.format, src.table3_variant)
    broken = {k for k in lay.totals if (c := sum_of([src.cell(p) for p in lay.parts[k]])) is not None
              and _triple(c)[:2] != _triple(src.cell(k))[:2]}
    assert changed == broken
    assert _errors(check_figures(back)) == _errors(check_figures(src))


# ---- the template itself --------------------------------------------------------------------------------
@pytest.mark.parametrize("year,fmt,n_t3_rows", [(2020, "2019", 23), (2026, "2021", 25)])
def test_blank_template_layout_protection_and_read_back(tmp_path, year, fmt, n_t3_rows):
    path = write_template(tmp_path / "t.xlsx", year, agency="某县统计局")
    wb = openpyxl.load_workbook(path)
    lay = layout(fmt, load_format(fmt).table3_variant)
    assert len({s.row for s in lay.inputs.values() if s.sheet == T3} | {s.row for s in lay.totals.values()
                                                                       if s.sheet == T3}) == n_t3_rows
    for ws in wb.worksheets:
        assert ws.protection.sheet, ws.title
    assert wb[META].sheet_state == "veryHidden"
    for key, slot in lay.totals.items():
        cell = wb[slot.sheet].cell(slot.row, slot.col)
        assert cell.value == lay.formula(key) and cell.protection.locked, key
    for key, slot in lay.inputs.items():
        cell = wb[slot.sheet].cell(slot.row, slot.col)
        assert cell.value is None and not cell.protection.locked and cell.fill.fgColor.rgb.endswith("FFF2CC"), key
        validated = [dv for dv in wb[slot.sheet].data_validations.dataValidation if cell.coordinate in dv.sqref]
        assert len(validated) == 1 and validated[0].type == "custom", key
    for name, plan in lay.plans.items():
        for r, c, text in plan.labels:
            assert wb[name].cell(r, c).value == text and wb[name].cell(r, c).protection.locked
    t3 = wb[T3]
    merged = {str(m) for m in t3.merged_cells.ranges}
    assert "A2:C4" in merged and t3["A2"].value == f"（{load_format(fmt).table3.note}）"
    assert "D2:J2" in merged and t3["D2"].value == "申请人情况" and "E3:I3" in merged and "J3:J4" in merged
    outcome_rows = len(load_format(fmt).table3.outcome_rows(lay.variant)) + 1  # and （七）总计
    assert any(m.startswith("A7:A") and int(m.split(":A")[1]) - 7 + 1 == outcome_rows for m in merged)
    assert t3["J5"].value == '=IF(COUNT(D5:I5)=0,"",SUM(D5:I5))'
    assert wb[GUIDE].cell(*YEAR_CELL).value == year and not wb[GUIDE].cell(*YEAR_CELL).protection.locked

    back = read_template(path)
    assert back.agency == "某县统计局" and back.year == year and back.findings == []
    assert all(c.kind is Kind.BLANK for _, c in back.cells())
    assert len(list(back.cells())) == len(load_format(fmt).cell_keys())


def _small(year: int = 2026) -> dict:
    """An invented, consistent compact figure set (totals left for gongkai to compute)."""
    spec = load_format("2021")
    t3 = {r.key: [0] * 6 for r in spec.table3.rows_for("split") if r.key != "total"}
    t3["new_received"] = [5, 2, 0, 0, 1, 0]
    t3["carried_over"] = [1, 0, 0, 0, 0, 0]
    t3["granted"] = [3, 1, 0, 0, 0, 0]
    t3["partial"] = [1, 0, 0, 0, 0, 0]
    t3["unable.not_held"] = [1, 1, 0, 0, 0, 0]
    t3["carried_forward"] = [1, 0, 0, 0, 1, 0]
    return {"agency": "某县统计局", "year": year,
            "table2": {"regulations": {"made": None, "repealed": "/", "in_force": 0},
                       "normative_documents": {"made": 2, "repealed": 1, "in_force": "12"},
                       "licensing": {"decisions": 40}, "penalty": {"decisions": 3}, "coercion": {"decisions": "－"},
                       "fees": {"amount_10k_yuan": 1.5}},
            "table3": t3,
            "table4": {"review": [1, 0, 0, 1], "litigation_direct": [None, None, None, None],
                       "litigation_after_review": [0, 0, 0, 0, 0]}}


def test_overwritten_and_stale_totals_are_reported_not_fixed(tmp_path):
    src = report_from_compact(_small())
    ok = check_figures(src)
    assert not ok.refused
    path = write_template(tmp_path / "t.xlsx", 2026, prefill=ok.report)
    lay = layout("2021", "split")
    slot = lay.totals["t3.new_received.total"]
    wb = openpyxl.load_workbook(path)
    wb[T3].cell(slot.row, slot.col).value = 9            # someone typed over the formula
    wb.save(path)
    back = read_template(path)
    ref = f"表三!J{slot.row}"
    changed = [f for f in back.findings if f.code == "compose.template-total-changed"]
    assert [f.cells for f in changed] == [["t3.new_received.total"]] and ref in changed[0].message
    assert back.cell("t3.new_received.total").value == 9
    verdict = check_figures(back)
    assert verdict.refused
    assert ("t3.row-sum", frozenset(f"t3.new_received.{c.key}" for c in load_format("2021").table3.columns)) \
        in _errors(verdict)
    assert any(ref in line for line in verdict.refusal_lines())

    # the same typed number as the sum: reported, but nothing is broken
    wb = openpyxl.load_workbook(path)
    wb[T3].cell(slot.row, slot.col).value = 8
    wb.save(path)
    again = check_figures(read_template(path))
    assert not again.refused and any(f.code == "compose.template-total-changed" for f in again.findings)


def _set_cached(path: Path, sheet_index: int, ref: str, value: str) -> None:
    """Put a cached value into a formula cell, as Excel does when it saves (openpyxl cannot)."""
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == f"xl/worksheets/sheet{sheet_index}.xml":
                text, n = re.subn(rf'(<c r="{ref}"[^>]*>(?:(?!</c>).)*?</f>)(?:<v>[^<]*</v>|<v\s*/>)',
                                  rf"\g<1><v>{value}</v>", data.decode("utf-8"))
                assert n == 1
                data = text.encode("utf-8")
            zout.writestr(item, data)
    shutil.move(tmp, path)


def test_cached_total_that_disagrees_is_reported(tmp_path):
    path = write_template(tmp_path / "t.xlsx", 2026, prefill=check_figures(report_from_compact(_small())).report)
    slot = layout("2021", "split").totals["t3.total.natural"]
    _set_cached(path, 3, f"D{slot.row}", "4")        # the outcome rows sum to 5
    back = read_template(path)
    cached = [f for f in back.findings if f.code == "compose.template-cached-total"]
    assert [f.cells for f in cached] == [["t3.total.natural"]] and "4" in cached[0].message
    assert back.cell("t3.total.natural").value == 5
    _set_cached(path, 3, f"D{slot.row}", "5")
    assert not any(f.code == "compose.template-cached-total" for f in read_template(path).findings)


def test_garbled_input_is_text_with_a_finding(tmp_path):
    path = write_template(tmp_path / "t.xlsx", 2026)
    slot = layout("2021", "split").inputs["t3.granted.natural"]
    wb = openpyxl.load_workbook(path)
    wb[T3].cell(slot.row, slot.col).value = "3件"
    wb.save(path)
    back = read_template(path)
    assert _triple(back.cell("t3.granted.natural")) == (Kind.TEXT, None, "3件")
    assert [f.code for f in back.findings] == ["compose.template-text"]


def test_template_refuses_other_formats_and_years(tmp_path):
    path = write_template(tmp_path / "t.xlsx", 2026)
    wb = openpyxl.load_workbook(path)
    wb[GUIDE].cell(*YEAR_CELL).value = 2020
    wb.save(path)
    with pytest.raises(FiguresError, match="2019"):
        read_template(path)
    with pytest.raises(FiguresError, match="prefill format"):
        write_template(tmp_path / "u.xlsx", 2020, prefill=report_from_compact(_small()))
    plain = tmp_path / "plain.xlsx"
    openpyxl.Workbook().save(plain)
    with pytest.raises(FiguresError, match="plain.xlsx.*not a gongkai template"):
        load_figures(plain)


# ---- totals and refusal ---------------------------------------------------------------------------------
def test_absent_totals_are_computed_blank_parts_stay_blank():
    report = report_from_compact(_small())
    assert "total" not in report.table3 and report.cell("t3.granted.total").kind is Kind.MISSING
    findings = complete_totals(report)
    assert report.cell("t3.total.natural").value == 5 and report.cell("t3.total.total").value == 7
    assert report.cell("t3.new_received.total").value == 8
    assert report.cell("t4.review.total").value == 2
    assert report.cell("t4.litigation_direct.total").kind is Kind.BLANK  # no number among its parts: no zero
    assert report.cell("t4.litigation_after_review.total").value == 0   # given, not computed
    computed = {f.cells[0] for f in findings if f.code == "compose.total-computed"}
    assert computed == {k for k in total_parts(report.spec, "split") if k != "t4.litigation_after_review.total"}
    assert all(f.severity is Severity.INFO for f in findings)


def test_a_figure_breaking_the_identity_is_refused_with_the_rule_message_and_cells():
    d = _small()
    d["table3"]["carried_forward"][0] = 2       # 5 + 1 ≠ 5 + 2 in 自然人
    verdict = check_figures(report_from_compact(d))
    assert verdict.refused
    identity = [f for f in verdict.errors if f.code == "t3.identity"]
    # 自然人 and, through its computed 总计, the 总计 column
    assert [f.cells for f in identity] == [[f"t3.{r}.{c}" for r in T3_IDENTITY_ROWS] for c in ("natural", "total")]
    assert identity[0].numbers | {"left": 6, "right": 7, "forward": 2} == identity[0].numbers
    assert "自然人" in identity[0].message
    lines = verdict.refusal_lines()
    # what a person reads: the level in Chinese and the cells in the form's words, no internal key
    assert lines[0].startswith("错误：表三「自然人」列") and "表三「四、结转下年度继续办理」自然人" in lines[2]
    assert "t3." not in "\n".join(lines) and "error" not in lines[0]
    # the figure itself was not adjusted
    assert verdict.report.cell("t3.carried_forward.natural").value == 2

    d = _small()
    d["table3"]["granted"] = [3, 1, 0, 0, 0, 0, 5]     # a given total that breaks its row
    d["table4"]["review"] = [1, 0, 0, -1]
    codes = {f.code for f in check_figures(report_from_compact(d)).errors}
    # the wrong 总计 breaks its row and the （七）总计 of the 总计 column (computed across the total row)
    assert codes == {"t3.row-sum", "cell.non-negative-integer", "t3.total-sum"}


def test_structural_refusals():
    d = _small()
    del d["table3"]["granted"]
    v = check_figures(report_from_compact(d))
    assert ("compose.row-missing", frozenset(f"t3.granted.{c.key}" for c in load_format("2021").table3.columns)) \
        in _errors(v)
    assert "t3.total.natural" not in dict(v.report.cells())  # no total over an absent row
    d = _small()
    del d["table2"]["regulations"]
    v = check_figures(report_from_compact(d))
    assert not v.refused and [f.code for f in v.findings if f.code.startswith("compose.t2")] == [
        "compose.t2-row-absent"]
    d = _small()
    d["format"] = "2019"
    d["table2"] = {}
    assert "compose.format-year" in {f.code for f in check_figures(report_from_compact(d)).errors}
    r = report_from_compact(_small())
    r.table3["granted"][0] = Cell(Kind.UNKNOWN, alternatives=[3, 4])
    v = check_figures(r)
    assert {"compose.cell-unknown", "compose.total-not-computed"} <= {f.code for f in v.errors}


# ---- blank, 0 and "/" through YAML and the template ------------------------------------------------------
def test_blank_zero_slash_dash_survive_yaml_and_template(tmp_path):
    f = tmp_path / "figures.yaml"
    f.write_text(yaml.safe_dump(_small(), allow_unicode=True), encoding="utf-8")
    r = load_figures(f)
    assert r.source_kind == "yaml" and r.path == str(f)
    want = {"t2.regulations.made": (Kind.BLANK, None, ""), "t2.regulations.repealed": (Kind.SLASH, None, "/"),
            "t2.regulations.in_force": (Kind.NUMBER, 0, "0"),
            "t2.normative_documents.in_force": (Kind.NUMBER, 12, "12"),
            "t2.coercion.decisions": (Kind.DASH, None, "－"),
            "t2.fees.amount_10k_yuan": (Kind.NUMBER, Decimal("1.5"), "1.5"),
            "t4.litigation_direct.upheld": (Kind.BLANK, None, "")}
    assert {k: _triple(r.cell(k)) for k in want} == want
    v = check_figures(r)
    path = write_template(tmp_path / "t.xlsx", 2026, prefill=v.report)
    back = read_template(path)
    assert {k: _triple(back.cell(k)) for k in want} == want
    assert [(k, _triple(c)) for k, c in back.cells()] == [(k, _triple(c)) for k, c in v.report.cells()]


def test_json_compact_and_full_model(tmp_path):
    d = _small()
    d["table2"]["fees"]["amount_10k_yuan"] = 24252.311082
    f = tmp_path / "f.json"
    f.write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")
    r = load_figures(f)
    assert _triple(r.cell("t2.fees.amount_10k_yuan")) == (Kind.NUMBER, Decimal("24252.311082"), "24252.311082")
    full = tmp_path / "full.json"
    done = check_figures(r).report
    full.write_text(done.to_json(), encoding="utf-8")
    again = load_figures(full)
    assert [(k, _triple(c)) for k, c in again.cells()] == [(k, _triple(c)) for k, c in done.cells()]
    assert len(again.findings) == len(done.findings) > 0
    assert [f.to_dict() for f in check_figures(again).findings] == [f.to_dict() for f in done.findings]
    broken = json.loads(done.to_json())
    broken["table3"]["granted"] = broken["table3"]["granted"][:5]
    full.write_text(json.dumps(broken), encoding="utf-8")
    with pytest.raises(FiguresError, match="full.json.*wrong number of cells"):
        load_figures(full)


@pytest.mark.parametrize("change,message", [
    (lambda d: d["table3"].update({"granted.extra": [0] * 7}), "unknown table3 row"),
    (lambda d: d["table2"]["licensing"].update({"made": 1}), "unknown table2 column"),
    (lambda d: d["table2"]["licensing"].pop("decisions"), "missing table2 column"),
    (lambda d: d["table3"].update({"granted": [1, 2, 3]}), "wrong number of values"),
    (lambda d: d["table4"].update({"review": [1, 0, 0, 0, 0, 0]}), "wrong number of values"),
    (lambda d: d["table4"].update({"appeal": [0] * 5}), "unknown table4 group"),
    (lambda d: d["table3"]["granted"].__setitem__(0, True), "boolean"),
    (lambda d: d.update({"format": "2020"}), "unknown format"),
    (lambda d: d.pop("year"), "year missing"),
    (lambda d: d.update({"tabel3": {}}), "unknown top-level key"),
    (lambda d: d["table3"].update({"other": [0] * 7}), "both 'other' and 'other.*'"),
    (lambda d: d.update({"sections": {"summary": "x"}}), "unknown section"),
])
def test_bad_compact_figures_raise_naming_the_file(tmp_path, change, message):
    d = _small()
    change(d)
    f = tmp_path / "bad.yaml"
    f.write_text(yaml.safe_dump(d, allow_unicode=True), encoding="utf-8")
    with pytest.raises(FiguresError) as e:
        load_figures(f)
    assert message in str(e.value) and str(f) in str(e.value) and e.value.origin == str(f)


def test_unreadable_files_raise(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("table3: [unclosed", encoding="utf-8")
    with pytest.raises(FiguresError, match="malformed YAML"):
        load_figures(bad)
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    with pytest.raises(FiguresError, match="malformed JSON"):
        load_figures(bad)
    with pytest.raises(FiguresError, match="file not found"):
        load_figures(tmp_path / "none.yaml")
    with pytest.raises(FiguresError, match="unsupported file type"):
        load_figures(tmp_path / "figures.csv")
    bad.write_text('{"schema": "other/1"}', encoding="utf-8")
    with pytest.raises(FiguresError, match="unknown schema"):
        load_figures(bad)


def test_format_and_variant_follow_the_year_unless_given(tmp_path):
    assert (lambda r: (r.format, r.table3_variant))(report_from_compact({"year": 2020})) == ("2019", "single")
    assert (lambda r: (r.format, r.table3_variant))(report_from_compact({"year": 2021})) == ("2021", "split")
    single = report_from_compact({"year": 2023, "table3": {"other": [0] * 7}})
    assert (single.format, single.table3_variant) == ("2021", "single")
    r = report_from_compact(_small())
    r.table4["review"][0] = Cell(Kind.UNKNOWN, alternatives=[1, 2])
    with pytest.raises(FiguresError, match="t4.review.upheld"):
        write_template(tmp_path / "t.xlsx", 2026, prefill=r)


def test_sections_and_title_are_taken():
    d = _small() | {"title": "某县统计局2026年政府信息公开工作年度报告", "sections": {"overview": "本年度……"}}
    r = report_from_compact(d)
    assert r.title.startswith("某县统计局") and r.sections == {"overview": "本年度……"}


# ---- the request register -------------------------------------------------------------------------------
AG = "某县统计局"


@pytest.fixture
def register(tmp_path):
    from gongkai.requests import register as R
    from gongkai.store.db import connect
    from gongkai.workdays.store import active_calendar

    eng = connect(f"sqlite:///{tmp_path / 'reg.db'}")
    cal = active_calendar(eng)
    # (applicant type, received, concluded, how) — tallied independently below
    plan = [("natural", date(2025, 12, 22), date(2026, 1, 8), "granted"),
            ("natural", date(2026, 3, 2), date(2026, 3, 20), "granted"),
            ("business", date(2026, 4, 1), date(2026, 4, 15), "partial"),
            ("natural", date(2026, 5, 6), date(2026, 5, 8), "withdraw"),
            ("legal", date(2026, 6, 1), date(2026, 6, 10), "unable.not_held"),
            ("natural", date(2026, 12, 21), None, None),
            ("natural", date(2020, 3, 2), date(2020, 3, 10), "withdraw"),
            ("business", date(2020, 6, 1), date(2020, 6, 9), "granted")]
    for i, (atype, received, done, how) in enumerate(plan):
        v = R.intake(eng, AG, R.RequestIn(channel="当面", content=f"信息{i}", submitted_on=received,
                                          applicant=R.Applicant(atype, f"人{i}", phone="1")), "clerk", cal)
        if how == "withdraw":
            R.act(eng, AG, v.number, "withdraw", actor="clerk", on=done, cal=cal)
        elif how:
            R.act(eng, AG, v.number, "answer", actor="clerk", on=done, payload={"outcome": how}, cal=cal)
    R.register_case(eng, AG, kind="review", filed_date=date(2026, 2, 1), result="upheld",
                    result_date=date(2026, 4, 1))
    R.register_case(eng, AG, kind="litigation", filed_date=date(2026, 3, 1))
    return eng


def test_figures_from_register_2021_format(register):
    r = figures_from_register(register, AG, 2026)
    assert (r.format, r.table3_variant, r.agency, r.year, r.table2) == ("2021", "split", AG, 2026, {})
    row = lambda k: [c.value for c in r.table3[k]]  # noqa: E731
    assert row("new_received") == [3, 1, 0, 0, 1, 0, 5]
    assert row("carried_over") == [1, 0, 0, 0, 0, 0, 1]
    assert row("granted") == [2, 0, 0, 0, 0, 0, 2]
    assert row("partial") == [0, 1, 0, 0, 0, 0, 1]
    assert row("other.other") == [1, 0, 0, 0, 0, 0, 1]
    assert row("unable.not_held") == [0, 0, 0, 0, 1, 0, 1]
    assert row("total") == [3, 1, 0, 0, 1, 0, 5]
    assert row("carried_forward") == [1, 0, 0, 0, 0, 0, 1]
    assert [c.value for c in r.table4["review"]] == [1, 0, 0, 0, 1]
    assert [c.value for c in r.table4["litigation_direct"]] == [0, 0, 0, 1, 1]
    verdict = check_figures(r)
    # the register gives no 表二: refused for that alone, 表三/表四 pass every rule
    assert verdict.refused
    assert {f.code for f in verdict.findings} == {"compose.table2-missing"}


def test_figures_from_register_2019_format_collapses_other(register):
    r = figures_from_register(register, AG, 2020)
    assert (r.format, r.table3_variant) == ("2019", "single")
    assert "other.other" not in r.table3
    assert [c.value for c in r.table3["other"]] == [1, 0, 0, 0, 0, 0, 1]
    assert [c.value for c in r.table3["granted"]] == [0, 1, 0, 0, 0, 0, 1]
    assert {f.code for f in check_figures(r).findings} == {"compose.table2-missing"}  # only 表二 is lacking


def test_merge_takes_whole_tables(register, tmp_path):
    base = report_from_compact(_small())
    base.findings = [check_figures(base).findings[0]]  # a finding about a 表三 total, to be replaced
    assert base.findings[0].cells[0].startswith("t3.")
    reg = figures_from_register(register, AG, 2026)
    merged = merge_figures(base, table3=reg, table4=reg)
    assert merged.table2 == base.table2 and merged.table3 == reg.table3 and merged.table4 == reg.table4
    assert merged.findings == [] and base.table3 != reg.table3
    assert not check_figures(merged).refused
    with pytest.raises(FiguresError, match="year differs"):
        merge_figures(base, table3=figures_from_register(register, AG, 2025))
    with pytest.raises(FiguresError, match="format differs"):
        merge_figures(base, table2=report_from_compact({"year": 2026, "format": "2019", "agency": AG}))
    other = copy.deepcopy(reg)
    other.agency = "另一个局"
    with pytest.raises(FiguresError, match="agency differs"):
        merge_figures(base, table4=other)


# ---- the store ------------------------------------------------------------------------------------------
def test_last_year_from_store(tmp_path):
    from gongkai.store.reports import ReportStore

    store = ReportStore(f"sqlite:///{tmp_path / 'corpus.db'}")
    try:
        def stored(year: int, received: int, digest: str) -> None:
            d = _small(year)
            d["agency"] = "测试县人民政府"
            d["table3"]["new_received"][0] = received
            r = check_figures(report_from_compact(d)).report
            out = store.ingest_report(r, sha256=digest * 64, path=f"{year}-{digest}.yaml")
            assert out.status in ("stored", "new-version")

        stored(2024, 7, "a")
        stored(2025, 5, "b")
        stored(2025, 6, "c")     # a corrected version of the 2025 report
        last = last_year_from_store(store, "测试县人民政府2026年政府信息公开工作年度报告", 2026)
        assert last is not None and last.year == 2025 and last.cell("t3.new_received.natural").value == 6
        assert last_year_from_store(store, "测试县人民政府", 2025).cell("t3.new_received.natural").value == 7
        assert last_year_from_store(store, "测试县人民政府", 2024) is None
        assert last_year_from_store(store, "别的县人民政府", 2026) is None
    finally:
        store.close()
