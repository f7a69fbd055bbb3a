"""Seed years from the chinesecalendar package (which lags the State Council's November notice)."""
from __future__ import annotations

from datetime import date

from chinese_calendar import constants

from .calendar import Calendar

# chinesecalendar names holidays in English; the register shows them in Chinese.
NAME_ZH = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


def _zh(name: object) -> str:
    text = getattr(name, "value", None)
    raw = text if isinstance(text, str) else str(name)
    # Holiday enum values look like "New Year's Day,元旦,1"; plain strings come from older releases.
    parts = raw.split(",")
    if len(parts) >= 2 and parts[1]:
        return parts[1]
    return NAME_ZH.get(raw, raw)


def package_years() -> list[int]:
    return sorted({d.year for d in constants.holidays})


def package_version() -> str:
    try:
        from importlib.metadata import version

        return f"chinesecalendar {version('chinesecalendar')}"
    except Exception:  # pragma: no cover - metadata always present when installed with pip
        return "chinesecalendar"


def package_year(year: int) -> tuple[dict[date, str], dict[date, str]]:
    """(off days, make-up workdays) for one year, names in Chinese."""
    holidays = {d: _zh(n) for d, n in constants.holidays.items() if d.year == year}
    makeup = {d: _zh(n) for d, n in constants.workdays.items() if d.year == year}
    return holidays, makeup


def package_calendar() -> Calendar:
    cal = Calendar()
    for y in package_years():
        h, m = package_year(y)
        cal = cal.with_year(y, h, m)
    return cal
