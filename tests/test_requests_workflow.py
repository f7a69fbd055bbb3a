"""Workflow table, illegal transitions, audit trail, masking, fees, letters, import."""
from __future__ import annotations

import io
from datetime import date

import docx
import pytest
from openpyxl import Workbook
from sqlalchemy import text

from gongkai.requests import fees, importer, letters, register as R
from gongkai.requests.masking import mask_record
from gongkai.requests.workflow import STATES, TRANSITIONS
from gongkai.store.db import connect

AG = "测试局"


@pytest.fixture
def eng(tmp_path):
    return connect(f"sqlite:///{tmp_path / 'reg.db'}")


def new(eng, on=date(2026, 3, 2), name="张三", id_number="110101199001011234", content="某项目环评批复"):
    return R.intake(eng, AG, R.RequestIn(channel="当面", content=content, submitted_on=on,
                                         applicant=R.Applicant("natural", name, "身份证", id_number,
                                                               "13812345678", address="北京市东城区某街道1号")),
                    "clerk")


def test_every_state_is_reachable_and_every_transition_declared_once():
    reachable = {"registered"} | {t.target for t in TRANSITIONS.values() if t.target}
    assert reachable == set(STATES)


def test_illegal_transition_lists_the_allowed_ones(eng):
    v = new(eng)
    with pytest.raises(R.TransitionError) as exc:
        R.act(eng, AG, v.number, "deliver", actor="a", on=date(2026, 3, 3), payload={"method": "当面"})
    msg = str(exc.value)
    assert "不能执行“送达”" in msg
    for allowed in ("request_correction", "consult", "extend", "fee_notice", "answer", "withdraw"):
        assert allowed in msg
    assert "archive" not in msg
    with pytest.raises(R.TransitionError, match="未知的操作"):
        R.act(eng, AG, v.number, "delete", actor="a", on=date(2026, 3, 3))


def test_full_path_to_archive_with_post_delivery(eng):
    v = new(eng)
    with pytest.raises(R.RegisterError, match="outcome"):
        R.act(eng, AG, v.number, "answer", actor="a", on=date(2026, 3, 5))
    with pytest.raises(R.RegisterError, match="表三"):
        R.act(eng, AG, v.number, "answer", actor="a", on=date(2026, 3, 5), payload={"outcome": "granted_partly"})
    v = R.act(eng, AG, v.number, "answer", actor="a", on=date(2026, 3, 5), payload={"outcome": "partial"})
    with pytest.raises(R.TransitionError, match="邮件号"):
        R.act(eng, AG, v.number, "deliver", actor="a", on=date(2026, 3, 6), payload={"method": "邮寄"})
    v = R.act(eng, AG, v.number, "deliver", actor="a", on=date(2026, 3, 6),
              payload={"method": "邮寄", "tracking_no": "EMS123"})
    v = R.act(eng, AG, v.number, "close", actor="a", on=date(2026, 3, 9))
    v = R.act(eng, AG, v.number, "archive", actor="a", on=date(2026, 3, 10))
    assert (v.state, v.outcome, v.concluded_date, v.version) == ("archived", "partial", date(2026, 3, 5), 5)
    with pytest.raises(R.RegisterError, match="早于"):
        R.act(eng, AG, v.number, "reopen", actor="a", on=date(2026, 3, 1), payload={"case_id": 1})


def test_reopen_needs_a_registered_case_and_keeps_the_first_conclusion(eng):
    v = new(eng)
    R.act(eng, AG, v.number, "answer", actor="a", on=date(2026, 3, 5), payload={"outcome": "unable.not_held"})
    with pytest.raises(R.RegisterError, match="表四案件"):
        R.act(eng, AG, v.number, "reopen", actor="a", on=date(2026, 5, 5), payload={"case_id": 99})
    cid = R.register_case(eng, AG, kind="review", filed_date=date(2026, 4, 1), request_number=v.number)
    R.set_case_result(eng, AG, cid, "corrected", date(2026, 5, 1))
    v = R.act(eng, AG, v.number, "reopen", actor="a", on=date(2026, 5, 6), payload={"case_id": cid})
    # a reopened request counts again from the decision day: 5-7..8=2, 5-9 调休=3, 5-11..15=8, 18..22=13,
    # 25..29=18, 6-1..2=20
    assert (v.state, v.case_id, v.concluded_date, v.due_date) == ("registered", cid, date(2026, 3, 5),
                                                                   date(2026, 6, 2))


def test_withdrawal_is_a_state_and_rows_cannot_be_deleted(eng):
    v = new(eng)
    v = R.act(eng, AG, v.number, "withdraw", actor="a", on=date(2026, 3, 3))
    assert (v.state, v.outcome) == ("withdrawn", "other.other")
    with eng.begin() as c, pytest.raises(Exception, match="never deleted"):
        c.execute(text("DELETE FROM req_requests"))


def test_audit_trail_is_append_only_masked_and_complete(eng):
    v = new(eng)
    R.act(eng, AG, v.number, "consult", actor="李四", on=date(2026, 3, 3), payload={"party": "王五"})
    events = R.history(eng, AG, v.number, role="statistics")
    assert [e.action for e in events] == ["register", "consult"]
    assert events[1].actor == "李四" and events[1].before == {"state": "registered", "due_date": "2026-03-30",
                                                               "wait_until": None}
    assert events[1].after["state"] == "consulting"
    assert events[1].payload["party"] == "王*"
    assert R.history(eng, AG, v.number, role="handler")[1].payload["party"] == "王五"
    stored = events[0].after
    assert stored["applicant_name"] == "张*" and "1234" not in stored["id_number"] and "5678" in stored["phone"]
    assert "13812345678" not in str(stored) and "东城区某街道" not in str(stored)
    with eng.begin() as c, pytest.raises(Exception, match="append-only"):
        c.execute(text("UPDATE req_events SET actor='x'"))
    with eng.begin() as c, pytest.raises(Exception, match="append-only"):
        c.execute(text("DELETE FROM req_events"))


def test_viewer_roles_see_masked_personal_data(eng):
    v = new(eng)
    assert v.to_dict("handler")["applicant_name"] == "张三"
    public = v.to_dict("public")
    assert public["applicant_name"] == "张*" and public["id_number"] == "11**************34"
    assert public["address"] == "北京市东城区****"


def test_stale_version_is_a_conflict(eng):
    v = new(eng)
    R.act(eng, AG, v.number, "consult", actor="a", on=date(2026, 3, 3), version=1, payload={"party": "x"})
    with pytest.raises(R.ConflictError, match="当前版本 2"):
        R.act(eng, AG, v.number, "withdraw", actor="b", on=date(2026, 3, 4), version=1)


def test_fee_bands():
    assert [fees.per_item_rate(p) for p in (1, 10, 11, 30, 31, 40, 41, 51)] == [0, 0, 100, 100, 200, 200, 300, 400]
    assert fees.per_item_fee(1, 35) == 10 * 0 + 20 * 100 + 5 * 200      # the 109号 worked example: 3000
    assert fees.per_page_fee(30) == 0
    assert fees.per_page_fee(31) == 10
    assert fees.per_page_fee(250) == 70 * 10 + 100 * 20 + 50 * 40


def test_fee_notice_counts_the_applicants_applications_in_the_calendar_month(eng):
    for _ in range(11):
        last = new(eng, on=date(2026, 3, 2))
    other_person = new(eng, on=date(2026, 3, 2), name="赵六", id_number="220101199001011111")
    april = new(eng, on=date(2026, 4, 1))
    v = R.act(eng, AG, last.number, "fee_notice", actor="a", on=date(2026, 3, 3), payload={"method": "per_item"})
    assert R.history(eng, AG, v.number, "handler")[-1].payload["amount"] == 100   # 11th in March
    # the other person's first and the new month's first application are free: no fee notice at all
    with pytest.raises(R.RegisterError, match="0元.*第四十二条"):
        R.act(eng, AG, other_person.number, "fee_notice", actor="a", on=date(2026, 3, 3),
              payload={"method": "per_item"})
    with pytest.raises(R.RegisterError, match="第1件申请，计0元"):
        R.act(eng, AG, april.number, "fee_notice", actor="a", on=date(2026, 4, 2), payload={"method": "按件计收"})
    assert R.get(eng, AG, april.number).state == "registered"


def _text(data: bytes) -> str:
    return "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)


def test_letters_render_from_templates_and_are_kept(eng, tmp_path, monkeypatch):
    v = new(eng)
    with pytest.raises(R.RegisterError, match="尚无"):
        letters.render(eng, AG, v.number, "extension", actor="a", letter_date=date(2026, 3, 3))
    R.act(eng, AG, v.number, "extend", actor="a", on=date(2026, 3, 20),
          payload={"approver": "李主任", "reason": "涉及档案调取", "days": 15})
    R.act(eng, AG, v.number, "answer", actor="a", on=date(2026, 4, 1), payload={"outcome": "denied.third_party"})
    made = {k: letters.render(eng, AG, v.number, k, actor="a", letter_date=date(2026, 4, 1))
            for k in ("receipt", "extension", "answer")}
    ext = _text(letters.letter_content(eng, AG, v.number, made["extension"].id)[1])
    assert "涉及档案调取" in ext and "李主任" in ext and "延长15个工作日" in ext and "{{" not in ext
    ans = _text(letters.letter_content(eng, AG, v.number, made["answer"].id)[1])
    assert "第十五条" in ans and "第三方合法权益" in ans and "2026年4月1日" in ans
    assert [l.kind for l in letters.list_letters(eng, AG, v.number)] == ["receipt", "extension", "answer"]
    # an office's own template for one outcome wins over the shipped one
    custom = docx.Document()
    custom.add_paragraph("本局专用：{{ number }} {{ article }}")
    custom.save(tmp_path / "answer_denied.third_party.docx")
    monkeypatch.setenv("GONGKAI_LETTER_TEMPLATES", str(tmp_path))
    rec = letters.render(eng, AG, v.number, "answer", actor="a", letter_date=date(2026, 4, 2))
    assert _text(letters.letter_content(eng, AG, v.number, rec.id)[1]) == f"本局专用：{v.number} 第十五条"


def test_every_outcome_letter_cites_its_article(eng):
    from gongkai.requests.vocab import OUTCOMES

    for key, outcome in OUTCOMES.items():
        v = new(eng)
        R.act(eng, AG, v.number, "answer", actor="a", on=date(2026, 3, 5), payload={"outcome": key})
        rec = letters.render(eng, AG, v.number, "answer", actor="a", letter_date=date(2026, 3, 5))
        body = _text(letters.letter_content(eng, AG, v.number, rec.id)[1])
        assert outcome.article in body and outcome.decision in body, key


def _sheet(rows: list[list]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["编号", "渠道", "收到日期", "申请人类型", "申请人", "证件号码", "联系电话", "申请内容"])
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_import_reports_every_bad_row_and_imports_nothing(eng):
    data = _sheet([
        ["2025-0007", "信函", "2025-11-03", "自然人", "甲", "", "1390000", "文件一"],
        ["", "飞鸽", "2025-11-04", "自然人", "乙", "", "1390001", "文件二"],
        ["", "网络", "2025年13月1日", "自然人", "丙", "", "1390002", "文件三"],
        ["", "网络", "2025-11-05", "外星人", "丁", "", "1390003", "文件四"],
        ["", "当面", "2025-11-05", "商业企业", "某公司", "", "1390004", ""],
        ["2025-0007", "当面", "2025-11-06", "自然人", "戊", "", "1390005", "文件五"],
    ])
    res = importer.import_register(eng, AG, data, "a")
    assert res.imported == []
    assert [(e.row, e.column) for e in res.errors] == [(3, "渠道"), (4, "收到日期"), (5, "申请人类型"),
                                                       (6, "申请内容"), (7, "编号")]
    with eng.connect() as c:
        assert c.execute(text("SELECT count(*) FROM req_requests")).scalar() == 0


def test_import_all_good_rows_keeps_numbers_and_numbering_continues(eng):
    data = _sheet([
        ["2025-0007", "信函", "2025-11-03", "自然人", "甲", "", "1390000", "文件一"],
        ["", "网络", "2025/11/04", "商业企业", "某公司", "", "1390001", "文件二"],
    ])
    res = importer.import_register(eng, AG, data, "a")
    assert res.errors == [] and res.imported == ["2025-0007", "2025-0008"]
    assert R.get(eng, AG, "2025-0008").applicant_type == "business"
    again = importer.import_register(eng, AG, _sheet([["2025-0007", "当面", "2025-11-03", "自然人", "甲", "", "1",
                                                         "x"]]), "a")
    assert again.errors[0].reason == "编号 2025-0007 已在登记簿中"


def test_masking_functions_leave_no_full_value():
    m = mask_record({"applicant_name": "欧阳娜娜", "id_number": "110101199001011234", "phone": "13812345678",
                     "email": "alice@example.cn", "address": "上海市浦东新区某路100号"})
    assert m == {"applicant_name": "欧***", "id_number": "11**************34", "phone": "138****5678",
                 "email": "a***@example.cn", "address": "上海市浦东新****"}
