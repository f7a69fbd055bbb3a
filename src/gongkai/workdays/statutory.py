"""The statutory holidays of 《全国年节及纪念日放假办法》, computed offline for any year.

Before the State Council's notice for a year is out (it comes each November), only the 调休 of that year is unknown:
the statutory days themselves follow from the 办法. As amended in 2024 (国务院令第795号, in force 2025-01-01), every
citizen has 13 days off: 元旦 1 day (1 January), 春节 4 days (除夕 to 正月初三), 清明节 1 day (the day of the solar
term), 劳动节 2 days (1–2 May), 端午节 1 day (五月初五), 中秋节 1 day (八月十五), 国庆节 3 days (1–3 October).
Before 2025 (the 2013 version) 春节 was 3 days (初一 to 初三) and 劳动节 1 day. Lunar dates and the 清明 solar term
come from ``sxtwl`` (寿星天文历, computed, no table to go stale), on Beijing time.

The 7 festivals are data here (``FESTIVALS``): the notice parser uses the same list to say which are missing.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import sxtwl

QINGMING = 7          # sxtwl's solar-term index: 0 = 冬至 … 6 = 春分, 7 = 清明
AMENDED_2024 = 2025   # first year under the 2024 amendment


@dataclass(frozen=True)
class Festival:
    name: str
    aliases: tuple[str, ...]   # how notices name it


FESTIVALS: tuple[Festival, ...] = (
    Festival("元旦", ("元旦",)),
    Festival("春节", ("春节",)),
    Festival("清明节", ("清明节", "清明")),
    Festival("劳动节", ("劳动节", "五一")),
    Festival("端午节", ("端午节", "端午")),
    Festival("中秋节", ("中秋节", "中秋")),
    Festival("国庆节", ("国庆节", "国庆")),
)


def _lunar(year: int, month: int, day: int) -> date:
    d = sxtwl.fromLunar(year, month, day)
    return date(d.getSolarYear(), d.getSolarMonth(), d.getSolarDay())


def qingming(year: int) -> date:
    """The day of the 清明 solar term (Beijing time): 4, 5 or 6 April."""
    for day in (3, 4, 5, 6):
        d = sxtwl.fromSolar(year, 4, day)
        if d.hasJieQi() and d.getJieQi() == QINGMING:
            return date(year, 4, day)
    raise ValueError(f"{year}年清明日期未能算出")  # pragma: no cover - 清明 is always 4–6 April


@lru_cache(maxsize=64)
def statutory_days(year: int) -> dict[date, str]:
    """Every statutory holiday of ``year`` (not the 调休 or 补休 the notice adds), with its festival's name."""
    new_year = _lunar(year, 1, 1)            # 正月初一 falls in ``year``'s January or February
    spring_first = new_year - timedelta(days=1) if year >= AMENDED_2024 else new_year
    days: dict[date, str] = {date(year, 1, 1): "元旦"}
    d = spring_first
    while d <= new_year + timedelta(days=2):
        days[d] = "春节"
        d += timedelta(days=1)
    days[qingming(year)] = "清明节"
    days[date(year, 5, 1)] = "劳动节"
    if year >= AMENDED_2024:
        days[date(year, 5, 2)] = "劳动节"
    days[_lunar(year, 5, 5)] = "端午节"
    days[_lunar(year, 8, 15)] = "中秋节"
    for n in (1, 2, 3):   # 中秋 on 1–3 October is both festivals on one day (the notice then adds a 补休 day)
        g = date(year, 10, n)
        days[g] = "中秋节、国庆节" if days.get(g) == "中秋节" else "国庆节"
    # 除夕 of ``year``'s Spring Festival can be 31 December of the year before: keep only ``year``'s own days
    return {k: v for k, v in sorted(days.items()) if k.year == year}


def statutory_text(year: int) -> str:
    """The statutory days of a year, as a person reads them: 元旦1月1日、春节2月5日至8日 …"""
    by_name: dict[str, list[date]] = {}
    for d, n in statutory_days(year).items():
        by_name.setdefault(n, []).append(d)
    parts = []
    for n, ds in by_name.items():
        a, b = ds[0], ds[-1]
        parts.append(f"{n}{a.month}月{a.day}日" + (f"至{b.month}月{b.day}日" if b != a else ""))
    return "、".join(parts)
