"""Statutory deadline cases, each worked out by hand (reasoning next to the expected date)."""
from __future__ import annotations

from datetime import date

import pytest

from gongkai.requests import register as R
from gongkai.requests.calendar_load import load_notice
from gongkai.workdays.notice import NoticeError
from gongkai.requests.receipt import ReceiptError
from gongkai.store.db import connect

AG = "测试局"


@pytest.fixture
def eng(tmp_path):
    return connect(f"sqlite:///{tmp_path / 'reg.db'}")


def new(eng, channel="当面", **dates):
    if not dates:
        dates = {"submitted_on": date(2026, 3, 2)}
    applicant = R.Applicant("natural", "张三", "身份证", "110101199001011234", "13812345678")
    return R.intake(eng, AG, R.RequestIn(channel=channel, content="某项目环评批复", applicant=applicant, **dates),
                    "clerk")


RECEIPT_CASES = [
    # (channel, recorded dates, expected receipt, expected due, reasoning)
    ("当面", {"submitted_on": date(2026, 9, 25)}, date(2026, 9, 25), date(2026, 10, 29),
     "提交之日; 9-26/27 中秋, 9-28..30=3, 国庆 10-1..7, 10-8..9=5, 10-10 调休=6, 10-12..16=11, 19..23=16, 26..29=20"),
    ("邮寄", {"signed_on": date(2025, 1, 20), "confirmed_on": date(2025, 1, 22)}, date(2025, 1, 20),
     date(2025, 2, 21),
     "签收之日优先; 1-21..24=4, 1-26 调休(周日)=5, 1-27=6, 春节 1-28..2-4, 2-5..7=9, 2-8 调休=10, 2-10..14=15, 17..21=20"),
    ("邮寄", {"confirmed_on": date(2025, 1, 20)}, date(2025, 1, 20), date(2025, 2, 21),
     "平信无需签收: 当日确认之日, 同上"),
    ("网络", {"confirmed_on": date(2026, 2, 10)}, date(2026, 2, 10), date(2026, 3, 16),
     "双方确认之日; 2-11..13=3, 2-14 调休=4, 春节 2-15..23, 2-24..27=8, 2-28 调休=9, 3-2..6=14, 9..13=19, 3-16=20"),
    ("传真", {"confirmed_on": date(2025, 9, 26)}, date(2025, 9, 26), date(2025, 10, 30),
     "双方确认之日; 9-28 调休(周日)=1, 9-29..30=3, 国庆中秋 10-1..8, 10-9..10=5, 10-11 调休=6, 13..17=11, 20..24=16, 27..30=20"),
    ("电子邮件", {"confirmed_on": date(2025, 12, 15)}, date(2025, 12, 15), date(2026, 1, 13),
     "跨年: 12-16..19=4, 22..26=9, 29..31=12, 元旦 1-1..3, 1-4 调休(周日)=13, 1-5..9=18, 1-12..13=20"),
]


@pytest.mark.parametrize("channel,dates,receipt,due,why", RECEIPT_CASES, ids=[c[0] + str(c[2]) for c in RECEIPT_CASES])
def test_receipt_by_channel_and_reply_deadline(eng, channel, dates, receipt, due, why):
    v = new(eng, channel, **dates)
    assert v.received_date == receipt, why
    assert v.due_date == due, why
    assert "第三十一条" in v.receipt_basis


def test_channel_without_its_deciding_date_is_refused(eng):
    with pytest.raises(ReceiptError, match="双方确认日期"):
        new(eng, "传真", submitted_on=date(2026, 3, 2))


def test_correction_restarts_the_clock(eng):
    v = new(eng, submitted_on=date(2026, 3, 2))
    v = R.act(eng, AG, v.number, "request_correction", actor="a", on=date(2026, 3, 4), version=v.version,
              payload={"items": "请明确文件名称", "correction_due": "2026-03-20"})
    assert v.state == "correction" and v.due_date is None and v.wait_until == date(2026, 3, 20)
    v = R.act(eng, AG, v.number, "receive_correction", actor="a", on=date(2026, 3, 10), version=v.version)
    # restart from 3-10: 3-11..13=3, 16..20=8, 23..27=13, 30..4-3=18, 清明 4-4..6, 4-7=19, 4-8=20
    assert v.due_date == date(2026, 4, 8)
    dl = R.explain(eng, AG, v.number)
    assert [ln.kind for ln in dl.lines[:2]] == ["received", "restarted"]
    assert dl.lines[1].day == date(2026, 3, 10)


def test_late_correction_notice_is_recorded(eng):
    v = new(eng, submitted_on=date(2026, 3, 2))
    # 7 working days after 3-2 = 3-11; a notice on 3-12 is late
    R.act(eng, AG, v.number, "request_correction", actor="a", on=date(2026, 3, 12),
          payload={"items": "x", "correction_due": "2026-03-30"})
    ev = R.history(eng, AG, v.number, "handler")[-1]
    assert "2026-03-11" in ev.payload["late_notice"]


def test_third_party_consultation_pauses_the_clock(eng):
    v = new(eng, submitted_on=date(2026, 4, 13))
    v = R.act(eng, AG, v.number, "consult", actor="a", on=date(2026, 4, 24), version=v.version,
              payload={"party": "某某有限公司"})
    # paused: no reply deadline; the third party has 15 working days from 4-24:
    # 4-27..30=4, 劳动节 5-1..5, 5-6..8=7, 5-9 调休=8, 5-11..15=13, 5-18..19=15
    assert v.due_date is None and v.wait_until == date(2026, 5, 19)
    dl = R.explain(eng, AG, v.number)
    assert dl.status == "paused" and dl.counted == 9        # 4-14..17=4, 4-20..24=9
    v = R.act(eng, AG, v.number, "consult_done", actor="a", on=date(2026, 5, 8), version=v.version,
              payload={"opinion": "不同意公开"})
    # 4-25..5-8 not counted; 5-9 调休=10, 5-11..15=15, 5-18..22=20
    assert v.due_date == date(2026, 5, 22)
    lines = {ln.day: ln for ln in R.explain(eng, AG, v.number).lines}
    assert lines[date(2026, 5, 1)].kind == "paused"      # 劳动节 falls inside the pause: shown as paused
    assert lines[date(2026, 5, 9)].kind == "makeup" and lines[date(2026, 5, 9)].count == 10


def test_extension_once_by_at_most_twenty_days(eng):
    v = new(eng, submitted_on=date(2026, 6, 1))
    # 6-2..5=4, 8..12=9, 15..18=13, 端午 6-19..21, 22..26=18, 29..30=20
    assert v.due_date == date(2026, 6, 30)
    with pytest.raises(R.TransitionError, match="最长不得超过20"):
        R.act(eng, AG, v.number, "extend", actor="a", on=date(2026, 6, 20),
              payload={"approver": "李主任", "reason": "需调档", "days": 21})
    v = R.act(eng, AG, v.number, "extend", actor="a", on=date(2026, 6, 22),
              payload={"approver": "李主任", "reason": "需调档", "days": 20})
    # +20: 7-1..3=3, 6..10=8, 13..17=13, 20..24=18, 27..28=20
    assert v.due_date == date(2026, 7, 28)
    lines = R.explain(eng, AG, v.number).lines
    assert [ln.count for ln in lines if ln.kind == "extended"][0] == 21
    with pytest.raises(R.TransitionError, match="只能延长一次"):
        R.act(eng, AG, v.number, "extend", actor="a", on=date(2026, 6, 23),
              payload={"approver": "李主任", "reason": "again", "days": 5})


def test_deadline_past_the_known_calendar_warns_then_moves_when_the_year_is_loaded(eng):
    v = new(eng, submitted_on=date(2026, 12, 10))
    # 12-11=1, 14..18=6, 21..25=11, 28..31=15, 2027-01-01 元旦 (statutory, off even before the notice),
    # 1-4..8=20
    assert v.due_date == date(2027, 1, 8)
    assert "2027年" in v.due_warning and "只有调休" in v.due_warning
    # a notice written for this test (not the real 2027 notice): 元旦 1-1..1-3 off, 1-4 off too (补休)
    text = ("国务院办公厅关于2027年部分节假日安排的通知\n"
            "一、元旦：1月1日（周五）至4日（周一）放假，共4天。\n")
    with pytest.raises(NoticeError, match="缺少：春节、清明节、劳动节、端午节、中秋节、国庆节"):
        load_notice(eng, text, "office")
    res = load_notice(eng, text, "office", partial=True)
    moved = {m.number: m for m in res.moved}
    assert moved[v.number].old == date(2027, 1, 8) and moved[v.number].new == date(2027, 1, 11)
    v = R.get(eng, AG, v.number)
    assert v.due_date == date(2027, 1, 11) and v.due_warning is None


def test_fee_and_correction_lapses_only_after_their_deadlines(eng):
    v = new(eng, submitted_on=date(2026, 3, 2))
    v = R.act(eng, AG, v.number, "fee_notice", actor="a", on=date(2026, 3, 2), payload={"method": "per_page",
                                                                                     "pages": 40})
    # pay by: 20 working days from the day after 3-2 = 3-30
    assert v.wait_until == date(2026, 3, 30)
    with pytest.raises(R.TransitionError, match="2026-03-30"):
        R.act(eng, AG, v.number, "fee_lapsed", actor="a", on=date(2026, 3, 30))
    v = R.act(eng, AG, v.number, "fee_lapsed", actor="a", on=date(2026, 3, 31))
    assert (v.state, v.outcome, v.concluded_date) == ("closed", "other.no_fee", date(2026, 3, 31))

    w = new(eng, submitted_on=date(2026, 3, 2))
    R.act(eng, AG, w.number, "request_correction", actor="a", on=date(2026, 3, 3),
          payload={"items": "x", "correction_due": "2026-03-20"})
    with pytest.raises(R.TransitionError, match="2026-03-20"):
        R.act(eng, AG, w.number, "correction_lapsed", actor="a", on=date(2026, 3, 20))
    w = R.act(eng, AG, w.number, "correction_lapsed", actor="a", on=date(2026, 3, 23))
    assert (w.state, w.outcome) == ("closed", "other.no_correction")
