"""The working-day calendar: the notice parser against chinesecalendar, and statutory counting."""
from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import chinese_calendar
import pytest

from gongkai.workdays import Calendar, NoticeError, add_workdays, parse_notice
from gongkai.workdays.seed import package_calendar, package_year

FIX = Path(__file__).resolve().parent / "fixtures" / "requests"


def test_2026_notice_reproduces_the_package_table_exactly():
    notice = parse_notice((FIX / "notice_2026.txt").read_text(encoding="utf-8"))
    holidays, makeup = package_year(2026)
    assert notice.year == 2026
    assert notice.holidays == holidays          # same days, same holiday names
    assert notice.makeup == makeup
    assert sorted(notice.makeup) == [date(2026, 1, 4), date(2026, 2, 14), date(2026, 2, 28), date(2026, 5, 9),
                                     date(2026, 9, 20), date(2026, 10, 10)]
    assert [len(i.off) for i in notice.items] == [3, 9, 3, 5, 3, 3, 7]   # the notice's own "共N天"


def test_2017_notice_with_xingqi_and_buxiu_matches_every_day_of_the_year():
    notice = parse_notice((FIX / "notice_2017.txt").read_text(encoding="utf-8"))
    cal = Calendar().with_year(2017, notice.holidays, notice.makeup)
    assert date(2017, 1, 2) in notice.holidays      # "1月2日（星期一）补休" is a day off
    day = date(2017, 1, 1)
    while day.year == 2017:
        assert cal.is_workday(day) == chinese_calendar.is_workday(day), day
        day += timedelta(days=1)


def test_notice_without_weekdays_and_with_explicit_years_over_the_year_end():
    text = ("国务院办公厅关于2012年部分节假日安排的通知\n"
            "一、元旦：2012年1月1日至3日放假调休，共3天。2011年12月31日（星期六）上班。\n"
            "二、春节：1月22日至28日放假调休，共7天。1月21日、1月29日上班。\n")
    n = parse_notice(text)
    assert n.year == 2012
    assert n.makeup == {date(2011, 12, 31): "元旦", date(2012, 1, 21): "春节", date(2012, 1, 29): "春节"}
    assert sorted(n.holidays)[:3] == [date(2012, 1, 1), date(2012, 1, 2), date(2012, 1, 3)]
    assert chinese_calendar.is_workday(date(2011, 12, 31))


def test_wrong_weekday_in_notice_is_refused_with_the_date():
    with pytest.raises(NoticeError, match="星期五"):
        parse_notice("2026年部分节假日安排\n一、元旦：1月2日（周四）放假，共1天。")


def test_notice_without_year_or_items_is_refused():
    with pytest.raises(NoticeError, match="年份"):
        parse_notice("一、元旦：1月1日放假。")
    with pytest.raises(NoticeError, match="条目"):
        parse_notice("关于2026年部分节假日安排的通知：无")


def test_twenty_working_days_after_the_mid_autumn_start_2026():
    # 9-25 is the receipt day (not counted); 9-26/27 中秋, 9-28..30 = 3, 10-1..7 国庆, 10-8, 10-9 = 5,
    # 10-10 (Sat, 调休上班) = 6, 10-12..16 = 11, 10-19..23 = 16, 10-26..29 = 20.
    c = add_workdays(package_calendar(), date(2026, 9, 25), 20)
    assert c.due == date(2026, 10, 29)
    assert not c.warnings
    makeup_steps = [s for s in c.steps if s.kind == "makeup"]
    assert [s.day for s in makeup_steps] == [date(2026, 10, 10)]


def test_counting_into_an_unknown_year_skips_statutory_holidays_and_warns_only_of_tiaoxiu():
    cal = package_calendar()
    c = add_workdays(cal, date(2026, 12, 28), 5)
    # 12-29, 30, 31 = 3; 2027-01-01 元旦 (statutory, off before any notice); 01-02/03 weekend; 01-04 = 4, 01-05 = 5
    assert c.due == date(2027, 1, 5)
    assert [s.kind for s in c.steps if s.day == date(2027, 1, 1)] == ["statutory"]
    assert not cal.is_workday(date(2027, 1, 1)) and cal.holiday_name(date(2027, 1, 1)) == "元旦"
    assert c.unknown_years == [2027]
    w = c.warnings[0]
    assert "2027年" in w and "只有调休" in w and "春节2月5日至2月8日" in w and "元旦1月1日" in w


def test_statutory_holidays_match_chinesecalendar_2020_to_2026():
    """The 放假办法's days computed offline (lunar dates, 清明) are each an off day of that year's real notice,
    under the same festival's name; 13 days from 2025 on (2024 amendment), 11 before."""
    from gongkai.workdays.seed import package_year
    from gongkai.workdays.statutory import statutory_days

    for year in range(2020, 2027):
        off, _ = package_year(year)
        days = statutory_days(year)
        # 13 days from 2025 on (2024 amendment), 11 before; one fewer where 中秋 falls on 1–3 October (2020)
        assert len(days) == (13 if year >= 2025 else 11) - (year == 2020), year
        for d, name in days.items():
            assert d in off, (year, d, name)
            assert off[d] in name.split("、") or name.startswith(off[d][:2]), (year, d, name, off[d])
    # known dates: 除夕 2025-01-28, 清明 2024-04-04 and 2025-04-04, 端午 2026-06-19, 中秋 2026-09-25
    assert statutory_days(2025)[date(2025, 1, 28)] == "春节"
    assert statutory_days(2024)[date(2024, 4, 4)] == statutory_days(2025)[date(2025, 4, 4)] == "清明节"
    assert statutory_days(2026)[date(2026, 6, 19)] == "端午节"
    assert statutory_days(2026)[date(2026, 9, 25)] == "中秋节"
    assert statutory_days(2020)[date(2020, 10, 1)] == "中秋节、国庆节"


def test_notice_with_only_two_of_seven_holidays_says_what_is_missing():
    text = ("国务院办公厅关于2027年部分节假日安排的通知\n"
            "一、元旦：1月1日（周五）至3日（周日）放假，共3天。\n"
            "二、春节：2月5日（周五）至11日（周四）放假调休，共7天。2月20日（周六）上班。\n")
    n = parse_notice(text)
    assert n.missing() == ["清明节", "劳动节", "端午节", "中秋节", "国庆节"]
    assert "只载明了2个节日（元旦、春节），缺少：清明节、劳动节、端午节、中秋节、国庆节" in n.problems()[0]
    full = n.with_statutory_for_missing()
    assert full.missing() == [] and date(2027, 10, 3) in full.holidays and date(2027, 4, 5) in full.holidays
    # a festival's statutory day left out of its item is named
    bad = parse_notice("2027年部分节假日\n一、春节：2月6日（周六）至11日（周四）放假调休，共6天。\n")
    assert any("春节的法定节假日 2月5日" in p for p in bad.problems())
