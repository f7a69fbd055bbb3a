"""Issue 13's request-register items: every silent wrong result becomes a refusal citing the article, or a finding
shown where the handler looks; Chinese names accepted; letters dated by their act and escaped."""
from __future__ import annotations

import io
import re
import zipfile
from datetime import date

import docx
import pytest

from gongkai.requests import duelists, letters, register as R, yearend
from gongkai.store.db import connect

AG = "测试局"


# the register's fixture: SQLite, and PostgreSQL when GONGKAI_TEST_PG_URL is set (findings are a JSON column)
from test_requests_concurrency import eng  # noqa: E402,F401


def new(eng, on, name="张三", content="某项目环评批复", agency=AG, id_number="110101199001011234"):
    return R.intake(eng, agency, R.RequestIn(channel="当面", content=content, submitted_on=on,
                                             applicant=R.Applicant("natural", name, "身份证", id_number,
                                                                   "13812345678", address="某市某街道1号")),
                    "clerk")


def test_zero_fee_notice_is_refused_and_never_stored(eng):
    v = new(eng, date(2026, 3, 2))
    for method in ("per_item", "按件计收", "按件"):
        with pytest.raises(R.RegisterError, match="0元.*第四十二条"):
            R.act(eng, AG, v.number, "fee_notice", actor="a", on=date(2026, 3, 3), payload={"method": method})
    with pytest.raises(R.RegisterError, match="共30页，计0元"):
        R.act(eng, AG, v.number, "fee_notice", actor="a", on=date(2026, 3, 3),
              payload={"method": "按量计收", "pages": 30})
    after = R.get(eng, AG, v.number)
    assert (after.state, after.version) == ("registered", 1)
    assert yearend.fees_collected(eng, AG, 2026).notices == 0
    # a real fee (31 pages) is still a fee notice, given in Chinese
    v = R.act(eng, AG, v.number, "fee_notice", actor="a", on=date(2026, 3, 3),
              payload={"method": "按量计收", "页数": 31})
    assert v.state == "fee_pending"
    assert R.history(eng, AG, v.number, "handler")[-1].payload["amount"] == 10


def test_extension_after_the_original_deadline_is_refused_with_article_33(eng):
    v = new(eng, date(2026, 10, 3))
    assert v.due_date == date(2026, 11, 3)
    with pytest.raises(R.TransitionError, match=r"第三十三条第二款.*2026-11-03.*逾期2个工作日"):
        R.act(eng, AG, v.number, "extend", actor="a", on=date(2026, 11, 5),
              payload={"approver": "李主任", "reason": "需调档", "days": 10})
    assert R.get(eng, AG, v.number).due_date == date(2026, 11, 3)
    # within the period it is still allowed
    v = R.act(eng, AG, v.number, "extend", actor="a", on=date(2026, 11, 3),
              payload={"批准人": "李主任", "延期理由": "需调档", "延长工作日数": "10"})
    assert v.due_date > date(2026, 11, 3) and not v.findings


def test_answer_after_its_deadline_is_flagged_in_show_due_lists_and_year_end(eng):
    v = new(eng, date(2026, 5, 6))
    assert v.due_date == date(2026, 6, 2)
    on_time = new(eng, date(2026, 5, 6), name="李四", id_number="110101199001019999")
    R.act(eng, AG, on_time.number, "answer", actor="a", on=date(2026, 6, 2), payload={"outcome": "予以公开"})
    v = R.act(eng, AG, v.number, "answer", actor="a", on=date(2026, 6, 3), payload={"outcome": "予以公开"})
    [f] = v.finding_list()
    assert (f.code, f.severity, f.days) == ("request.answer-late", "error", 1)
    assert "逾期1个工作日" in f.message and "2026-06-02" in f.message
    assert v.to_dict("handler")["findings"][0]["code"] == "request.answer-late"
    assert not R.get(eng, AG, on_time.number).findings
    late = duelists.answered_late(eng, AG, date(2026, 6, 10))
    assert [i.number for i in late] == [v.number] and "逾期答复" in late[0].findings[0]
    [la] = yearend.late_answers(eng, AG, 2026)
    assert (la.number, la.due, la.answered, la.days) == (v.number, date(2026, 6, 2), date(2026, 6, 3), 1)


def test_open_request_past_its_deadline_says_by_how_many_working_days(eng):
    v = new(eng, date(2026, 5, 6))
    [item] = duelists.overdue(eng, AG, date(2026, 6, 5))
    assert item.findings and "已逾期3个工作日" in item.findings[0]
    from gongkai.workdays.store import active_calendar

    assert "已逾期3个工作日" in R.get(eng, AG, v.number).finding_list(active_calendar(eng), date(2026, 6, 5))[0].message


def test_correction_notice_past_seven_working_days_is_shown_where_the_handler_looks(eng):
    v = new(eng, date(2026, 3, 2))
    v = R.act(eng, AG, v.number, "request_correction", actor="a", on=date(2026, 3, 13),
              payload={"补正事项": "请写明文件名称", "补正期限": "2026-03-27"})
    [f] = v.finding_list()
    assert f.code == "request.correction-notice-late" and "第三十条" in f.message and f.days == 2
    [item] = duelists.paused(eng, AG, date(2026, 3, 16))
    assert "补正告知逾期" in item.findings[0]
    # still there after the correction comes in and the clock restarts
    v = R.act(eng, AG, v.number, "receive_correction", actor="a", on=date(2026, 3, 20))
    assert [f.code for f in v.finding_list()] == ["request.correction-notice-late"]
    [item] = duelists.due_within(eng, AG, 30, date(2026, 3, 20))
    assert "补正告知逾期" in item.findings[0]


def test_chinese_names_are_accepted_for_every_official_value(eng):
    v = new(eng, date(2026, 3, 2))
    v = R.act(eng, AG, v.number, "answer", actor="a", on=date(2026, 3, 5), payload={"办理结果": "本机关不掌握相关政府信息"})
    assert v.outcome == "unable.not_held"
    v = R.act(eng, AG, v.number, "deliver", actor="a", on=date(2026, 3, 6), payload={"method": "快递",
                                                                                      "邮件号": "EMS1"})
    assert v.state == "delivered"
    with pytest.raises(R.RegisterError, match="未知的表三办理结果“全部公开”.*予以公开"):
        R.act(eng, AG, new(eng, date(2026, 3, 2)).number, "answer", actor="a", on=date(2026, 3, 5),
              payload={"outcome": "全部公开"})
    cid = R.register_case(eng, AG, kind="复议", filed_date=date(2026, 4, 1), request_number=v.number)
    c = R.set_case_result(eng, AG, cid, "维持", date(2026, 5, 1))
    assert (c.result, c.result_label, c.kind_label) == ("upheld", "结果维持", "行政复议")


def test_missing_fields_are_named_in_chinese_with_their_keys(eng):
    v = new(eng, date(2026, 3, 2))
    with pytest.raises(R.RegisterError, match=r"须填写：批准人（approver）、延期理由（reason）、延长工作日数（days）"):
        R.act(eng, AG, v.number, "extend", actor="a", on=date(2026, 3, 3), payload={})


def test_case_update_takes_a_pending_review_out_of_pending_in_table4(eng):
    v = new(eng, date(2026, 3, 2))
    cid = R.register_case(eng, AG, kind="review", filed_date=date(2026, 4, 1), request_number=v.number)
    assert yearend.table4(eng, AG, 2026)["review"] == [0, 0, 0, 1, 1]
    assert [c.id for c in R.list_cases(eng, AG, pending_only=True)] == [cid]
    with pytest.raises(R.RegisterError, match="审结日期"):
        R.set_case_result(eng, AG, cid, "纠正", None)
    R.set_case_result(eng, AG, cid, "纠正", date(2026, 6, 1))
    assert yearend.table4(eng, AG, 2026)["review"] == [0, 1, 0, 0, 1]
    assert R.list_cases(eng, AG, pending_only=True) == []
    with pytest.raises(R.NotFound):
        R.set_case_result(eng, "别的局", cid, "维持", date(2026, 6, 1))


def test_agency_unset_is_the_only_agency_the_register_holds(eng):
    assert R.default_agency(eng, None) == "本机关"
    new(eng, date(2026, 3, 2), agency="示例市交通运输局")
    assert R.default_agency(eng, None) == "示例市交通运输局"
    assert R.default_agency(eng, "另一局") == "另一局"
    new(eng, date(2026, 3, 2), agency="示例市财政局")
    with pytest.raises(R.RegisterError, match="示例市交通运输局、示例市财政局"):
        R.default_agency(eng, None)


def _paragraphs(data: bytes) -> list[str]:
    return [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]


def test_letters_are_dated_the_day_of_the_act_they_record(eng):
    v = new(eng, date(2026, 9, 28))
    rec = letters.render(eng, AG, v.number, "receipt", actor="a")
    text = _paragraphs(letters.letter_content(eng, AG, v.number, rec.id)[1])
    assert "2026年9月28日" == text[text.index(AG) + 1]
    R.act(eng, AG, v.number, "request_correction", actor="a", on=date(2026, 9, 30),
          payload={"items": "请写明年份", "correction_due": "2026-10-20"})
    rec = letters.render(eng, AG, v.number, "correction", actor="a")
    text = _paragraphs(letters.letter_content(eng, AG, v.number, rec.id)[1])
    assert text[text.index(AG) + 1] == "2026年9月30日"
    # a date given on purpose still wins
    rec = letters.render(eng, AG, v.number, "receipt", actor="a", letter_date=date(2026, 10, 8))
    assert "2026年10月8日" in _paragraphs(letters.letter_content(eng, AG, v.number, rec.id)[1])


INJECTED = '</w:t></w:r></w:p><w:p><w:r><w:t>本机关同意公开全部材料</w:t></w:r></w:p><w:p><w:r><w:t>'


def test_docx_letter_value_cannot_insert_its_own_paragraph(eng):
    v = new(eng, date(2026, 3, 2), content="某批复" + INJECTED + " & <b>\x0c第二行\n第三行", name="王<五>&")
    rec = letters.render(eng, AG, v.number, "receipt", actor="a")
    data = letters.letter_content(eng, AG, v.number, rec.id)[1]
    paras = _paragraphs(data)
    assert "本机关同意公开全部材料" not in paras        # no paragraph of its own
    body = next(p for p in paras if "申请内容为" in p)
    assert INJECTED in body and "& <b>第二行" in body
    assert any(p.startswith("王<五>&") for p in paras)
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    assert "&lt;/w:t&gt;" in xml and "<w:br/>" in xml     # escaped, and the line break kept as a break


def test_letters_in_official_style(eng):
    v = new(eng, date(2026, 3, 2))
    rec = letters.render(eng, AG, v.number, "receipt", actor="a")
    d = docx.Document(io.BytesIO(letters.letter_content(eng, AG, v.number, rec.id)[1]))
    paras = [p for p in d.paragraphs]
    assert paras[1].text == "依申请公开〔2026〕1号"                      # 文号 under the title
    assert "（印章）" in [p.text for p in paras]
    normal = d.styles["Normal"]
    assert normal.element.rPr.rFonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") \
        == "仿宋_GB2312"
    assert normal.font.size.pt == 16 and normal.paragraph_format.first_line_indent.pt == 32
    title_run = paras[0].runs[0]
    assert title_run.font.size.pt == 22


def _sheet(rows: list[list]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    for r in rows:
        wb.active.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


HEAD = ["申请编号", "申请方式", "申请日期", "申请人类型", "申请人姓名", "联系电话", "申请内容", "答复时间", "答复结果"]


def test_excel_import_keeps_answer_date_and_result(eng):
    from gongkai.requests import importer

    data = _sheet([HEAD,
                   ["依申〔2026〕7号", "当面", "2026-05-06", "自然人", "张三", "138", "某文件", "2026-05-20", "予以公开"],
                   ["GK2026-015", "网络", date(2026, 5, 6), "企业", "某公司", "139", "某批复", "2026/06/03",
                    "（四）1.本机关不掌握相关政府信息"],
                   ["2026-0031", "邮寄", "2026年5月6日", "自然人", "李四", "137", "某通知", None, None]])
    res = importer.import_register(eng, AG, data, "clerk")
    assert res.errors == [] and res.imported == ["依申〔2026〕7号", "GK2026-015", "2026-0031"]
    a, b, c = (R.get(eng, AG, n) for n in res.imported)
    assert (a.state, a.outcome, a.concluded_date, a.findings) == ("answered", "granted", date(2026, 5, 20), None)
    assert (b.state, b.outcome) == ("answered", "unable.not_held")
    assert [f.code for f in b.finding_list()] == ["request.answer-late"]      # due 06-02, answered 06-03
    assert c.state == "registered"
    t3 = yearend.table3(eng, AG, 2026)
    assert (t3["granted"][-1], t3["unable.not_held"][-1], t3["carried_forward"][-1]) == (1, 1, 1)
    # open requests are not shown overdue when they were answered
    assert [i.number for i in duelists.overdue(eng, AG, date(2026, 12, 1))] == ["2026-0031"]
    # new numbers continue after the office's own last number of the same form
    assert new(eng, date(2026, 7, 1)).number == "2026-0032"


def test_excel_import_refuses_an_unknown_column_by_name(eng):
    from gongkai.requests import importer

    res = importer.import_register(eng, AG, _sheet([HEAD + ["承办科室"], ["1", "当面", "2026-05-06", "自然人", "张三",
                                                                      "138", "某文件", None, None, "办公室"]]), "c")
    assert res.imported == [] and [(e.column, e.reason[:10]) for e in res.errors] == [("承办科室", "未知的列“承办科室”")]
    res = importer.import_register(eng, AG, _sheet([HEAD, ["1", "当面", "2026-05-06", "自然人", "张三", "138", "某文件",
                                                           "2026-05-20", None]]), "c")
    assert [(e.row, e.column) for e in res.errors] == [(2, "答复结果")]
    res = importer.import_register(eng, AG, _sheet([HEAD, ["2026=1+1", "当面", "2026-05-06", "自然人", "张三",
                                                           "138", "某文件", None, None]]), "c")
    assert [(e.row, e.column) for e in res.errors] == [(2, "编号")]


def test_import_template_lists_every_column_and_imports_when_filled(eng, tmp_path):
    from openpyxl import load_workbook

    from gongkai.requests import importer

    wb = load_workbook(io.BytesIO(importer.template()))
    headers = [c.value for c in wb["登记簿"][1]]
    assert headers == [c.header for c in importer.COLUMNS]
    assert {"答复时间", "答复结果", "送达日期", "邮件号"} <= set(headers)
    assert "予以公开" in " ".join(str(c.value) for c in wb["可选值"]["D"])
    ws = wb["登记簿"]
    row = {"编号": "2026-0100", "渠道": "当面", "收到日期": "2026-03-02", "申请人类型": "自然人", "申请人": "王五",
           "联系电话": "136", "申请内容": "某规划", "送达方式": "当面领取", "答复时间": "2026-03-10",
           "答复结果": "部分公开", "送达日期": "2026-03-11"}
    ws.append([row.get(h) for h in headers])
    buf = io.BytesIO()
    wb.save(buf)
    res = importer.import_register(eng, AG, buf.getvalue(), "c")
    assert res.errors == [] and R.get(eng, AG, "2026-0100").state == "delivered"


def test_register_cli_reads_chinese_and_nothing_is_cut_at_80_columns(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from gongkai.cli import app as cli_app

    monkeypatch.setenv("GONGKAI_DB", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.delenv("GONGKAI_AGENCY", raising=False)
    monkeypatch.setenv("COLUMNS", "80")
    run = CliRunner().invoke
    long = "某路段改造批复及其附件（含2019年至2025年历次调整的规划许可证、施工许可证和竣工验收备案表）"
    r = run(cli_app, ["requests", "intake", "--channel", "当面", "--applicant-type", "自然人", "--name", "王五",
                      "--content", long, "--phone", "139", "--submitted-on", "2026-05-06",
                      "--agency", "示例市交通运输局"])
    assert r.exit_code == 0, r.output
    # GONGKAI_AGENCY unset: the register's only agency, not 未找到
    r = run(cli_app, ["requests", "answer", "2026-0001", "--on", "2026-06-03", "--set", "办理结果=予以公开"])
    assert r.exit_code == 0, r.output
    outputs = {}
    for name, args in {
        "show": ["show", "2026-0001"], "due": ["due", "2026-0001", "--explain"], "history": ["history", "2026-0001"],
        "overdue": ["list", "overdue", "--today", "2026-06-10"], "table3": ["year-end", "table3", "--year", "2026"],
        "help": ["extend", "--help"], "fee-help": ["fee-notice", "--help"],
    }.items():
        r = run(cli_app, ["requests", *args])
        assert r.exit_code == 0, (name, r.output)
        assert "…" not in r.output and "..." not in r.output, (name, r.output)
        outputs[name] = r.output
    flat = {k: re.sub(r"[\s│┃]", "", v) for k, v in outputs.items()}
    assert "申请内容" in outputs["show"] and re.sub(r"\s", "", long) in flat["show"]
    assert "允许的操作" in outputs["show"] and "送达（deliver）" in flat["show"] and "number" not in outputs["show"]
    assert "逾期1个工作日" in flat["show"] and "逾期1个工作日" in flat["due"] and "逾期1个工作日" in flat["overdue"]
    assert "计入" in outputs["due"] and "调休上班（计入）" in flat["due"] and "counted" not in outputs["due"]
    assert "已登记（办理中）→已答复" in flat["history"] and "registered" not in outputs["history"]
    assert "2026年逾期答复1件" in flat["table3"]
    for field in ("批准人", "approver", "延期理由", "延长工作日数"):
        assert field in outputs["help"]
    assert "按件计收" in flat["fee-help"] and "页数" in outputs["fee-help"]
    r = run(cli_app, ["requests", "show", "2026-0001", "--json"])
    assert '"state": "answered"' in r.output and '"request.answer-late"' in r.output


def test_requests_export_writes_csv_or_refuses_the_suffix(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from gongkai.cli import app as cli_app

    monkeypatch.setenv("GONGKAI_DB", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("GONGKAI_AGENCY", AG)
    eng = connect(f"sqlite:///{tmp_path / 'cli.db'}")
    new(eng, date(2026, 5, 6))
    run = CliRunner().invoke
    r = run(cli_app, ["requests", "export", "overdue", "--out", str(tmp_path / "o.csv"), "--today", "2026-06-10"])
    assert r.exit_code == 0, r.output
    text = (tmp_path / "o.csv").read_bytes().decode("utf-8-sig")
    assert text.splitlines()[0].startswith("编号,申请人,状态") and "2026-0001,张*" in text and "已逾期" in text
    r = run(cli_app, ["requests", "export", "overdue", "--out", str(tmp_path / "o.pdf")])
    assert r.exit_code == 1 and "不支持导出为“.pdf”" in r.output and not (tmp_path / "o.pdf").exists()
    r = run(cli_app, ["requests", "list", "due", "--within", "30", "--today", "2026-05-07",
                      "--export", str(tmp_path / "d.xlsx")])
    assert r.exit_code == 0 and (tmp_path / "d.xlsx").read_bytes()[:2] == b"PK"


def test_requests_case_update_and_list_cli(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from gongkai.cli import app as cli_app

    monkeypatch.setenv("GONGKAI_DB", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("GONGKAI_AGENCY", AG)
    run = CliRunner().invoke
    r = run(cli_app, ["requests", "case", "add", "--kind", "复议", "--filed", "2026-04-01"])
    assert r.exit_code == 0 and "已登记表四案件 1" in r.output
    r = run(cli_app, ["requests", "case", "list", "--pending"])
    assert "行政复议" in r.output and "尚未审结" in r.output
    r = run(cli_app, ["requests", "case", "update", "1", "--result", "维持"])
    assert r.exit_code == 1 and "审结日期" in r.output
    r = run(cli_app, ["requests", "case", "update", "1", "--result", "维持", "--result-date", "2026-06-01"])
    assert r.exit_code == 0 and "结果维持" in r.output
    r = run(cli_app, ["requests", "year-end", "table4", "--year", "2026", "--json"])
    assert '"review": [\n    1,\n    0,\n    0,\n    0,\n    1' in r.output
    r = run(cli_app, ["requests", "import", "--template", str(tmp_path / "t.xlsx")])
    assert r.exit_code == 0 and (tmp_path / "t.xlsx").exists()


def test_compose_register_fees_ignore_a_stored_zero_yuan_notice(eng):
    """A 0-yuan notice stored before the refusal (crash 3 of issue 13) is neither a notice nor a fee collected."""
    from datetime import datetime

    from sqlalchemy.orm import Session

    from gongkai.requests import audit
    from gongkai.store.requests_tables import RequestEvent

    v = new(eng, date(2026, 3, 2))
    with Session(eng) as s, s.begin():   # as an older gongkai stored them: on the audit chain, one version each
        for version, action in ((2, "fee_notice"), (3, "fee_paid")):
            audit.append(s, RequestEvent(request_id=v.id, action=action, actor="old", at=datetime(2026, 3, 3),
                                         on_date=date(2026, 3, 3), before_state="registered", after_state="registered",
                                         payload={"method": "per_item", "amount": 0} if action == "fee_notice" else {},
                                         before={}, after={}, version=version))
    f = yearend.fees_collected(eng, AG, 2026)
    assert (f.charged, f.amount_yuan, f.notices) == (0, 0, 0)


def test_pause_after_the_deadline_does_not_hide_that_the_request_was_overdue(eng):
    """Same class as the late extension: an act that stops the clock after the deadline. A fee notice is refused
    (109号: within the period); a consultation is recorded with a finding, and the request stays in the lists."""
    v = new(eng, date(2026, 5, 6))
    with pytest.raises(R.TransitionError, match="收费通知应在答复期限内发出.*2026-06-02"):
        R.act(eng, AG, v.number, "fee_notice", actor="a", on=date(2026, 6, 4), payload={"method": "按量计收",
                                                                                         "pages": 50})
    v = R.act(eng, AG, v.number, "consult", actor="a", on=date(2026, 6, 4), payload={"party": "某公司"})
    assert [(f.code, f.days) for f in v.finding_list()] == [("request.pause-after-deadline", 2)]
    [item] = duelists.paused(eng, AG, date(2026, 6, 5))
    assert "暂停计时前已逾期" in item.findings[0]


def test_calendar_recompute_fixes_deadlines_stored_before_the_statutory_holidays_were_counted(tmp_path, monkeypatch):
    from sqlalchemy import update
    from typer.testing import CliRunner

    from gongkai.cli import app as cli_app
    from gongkai.store.requests_tables import RequestRow

    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("GONGKAI_DB", url)
    eng = connect(url)
    v = new(eng, date(2026, 12, 10))
    assert v.due_date == date(2027, 1, 8)          # 2027-01-01 元旦 is not a working day
    with eng.begin() as c:                          # as stored by a version that counted 元旦 as a working day
        c.execute(update(RequestRow).values(due_date=date(2027, 1, 7)))
    r = CliRunner().invoke(cli_app, ["requests", "calendar", "recompute"])
    assert r.exit_code == 0 and "2027-01-07" in r.output and "2027-01-08" in r.output
    assert R.get(eng, AG, v.number).due_date == date(2027, 1, 8)
