"""Parse the text of a 国务院办公厅关于YYYY年部分节假日安排的通知.

Handles the current style ("1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。"), older ones
("星期六", no weekday at all, "1月2日（星期一）补休", explicit years across the year end) and both full- and
half-width brackets and colons. The weekday printed in brackets is checked against the date, so a mistyped notice
is refused rather than stored.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}

ITEM = re.compile(r"^\s*[一二三四五六七八九十]+\s*[、.．]\s*([^：:]+?)\s*[：:](.*)$")
DATE = re.compile(r"(?:(\d{4})\s*年)?\s*(?:(\d{1,2})\s*月)?\s*(\d{1,2})\s*日\s*(?:[（(]([^）)]*)[）)])?")
YEAR_IN_TITLE = re.compile(r"(\d{4})\s*年\s*(?:部分)?节假日")
CLAUSE_SPLIT = re.compile(r"[，,。；;]")


class NoticeError(ValueError):
    """A notice that cannot be read unambiguously; the message says where."""


@dataclass(frozen=True)
class NoticeItem:
    name: str
    off: list[date]
    makeup: list[date]
    text: str


@dataclass
class NoticeYear:
    year: int
    items: list[NoticeItem] = field(default_factory=list)

    @property
    def holidays(self) -> dict[date, str]:
        return {d: it.name for it in self.items for d in it.off}

    @property
    def makeup(self) -> dict[date, str]:
        return {d: it.name for it in self.items for d in it.makeup}

    def festivals(self) -> set[str]:
        """The festivals of 《全国年节及纪念日放假办法》 the notice's items name (中秋节、国庆节 names two)."""
        from .statutory import FESTIVALS

        return {f.name for f in FESTIVALS for it in self.items if any(a in it.name for a in f.aliases)}

    def missing(self) -> list[str]:
        """Festivals a full notice has an item for and this text has not (a notice pasted in part)."""
        from .statutory import FESTIVALS

        have = self.festivals()
        return [f.name for f in FESTIVALS if f.name not in have]

    def problems(self) -> list[str]:
        """What does not fit the 放假办法: festivals missing, statutory days a festival's item leaves working."""
        from .statutory import statutory_days

        out = []
        if self.missing():
            out.append(f"通知只载明了{len(self.festivals())}个节日（{'、'.join(sorted(self.festivals(), key=_order)) or '无'}），"
                       f"缺少：{'、'.join(self.missing())}")
        off = self.holidays
        for d, name in statutory_days(self.year).items():
            if d not in off and any(f in self.festivals() for f in name.split("、")):
                out.append(f"{name}的法定节假日 {d.month}月{d.day}日 不在通知的放假日期中，请核对原文")
        return out

    def with_statutory_for_missing(self) -> "NoticeYear":
        """This notice with the missing festivals' statutory days added (their 调休 stays unknown)."""
        from .statutory import statutory_days

        missing = set(self.missing())
        extra: dict[str, list[date]] = {}
        for d, name in statutory_days(self.year).items():
            for n in name.split("、"):
                if n in missing:
                    extra.setdefault(n, []).append(d)
        items = list(self.items) + [NoticeItem(n, ds, [], "（通知未载明，按《全国年节及纪念日放假办法》的法定节假日计）")
                                    for n, ds in extra.items()]
        return NoticeYear(self.year, items)

    def summary(self) -> list[str]:
        """One line per item, for the office to confirm before the year is stored."""
        out = []
        for it in self.items:
            off = "、".join(f"{d:%m-%d}" for d in it.off)
            mk = "、".join(f"{d:%m-%d}" for d in it.makeup) or "无"
            out.append(f"{it.name}：放假 {off}（{len(it.off)}天）；调休上班 {mk}")
        return out


def _order(name: str) -> int:
    from .statutory import FESTIVALS

    return next(i for i, f in enumerate(FESTIVALS) if f.name == name)


def _weekday_in(bracket: str | None) -> int | None:
    if not bracket:
        return None
    m = re.search(r"(?:星期|周|礼拜)([一二三四五六日天])", bracket)
    return WEEKDAYS[m.group(1)] if m else None


def _dates(clause: str, year: int, month: int | None, item_name: str) -> tuple[list[tuple[date, int]], int | None, int]:
    """Dates in a clause with their positions; carries month and year forward as the notice does."""
    found: list[tuple[date, int]] = []
    for m in DATE.finditer(clause):
        y = int(m.group(1)) if m.group(1) else year
        if m.group(2):
            new_month = int(m.group(2))
            # "12月31日至1月2日" without years crosses into the next year; other months going back
            # (国庆 "10月1日…。9月20日上班") stay in the same year
            if month == 12 and new_month == 1 and not m.group(1):
                y = year + 1
            month = new_month
        if month is None:
            raise NoticeError(f"{item_name}：日期“{m.group(0)}”没有月份")
        try:
            d = date(y, month, int(m.group(3)))
        except ValueError as exc:
            raise NoticeError(f"{item_name}：日期“{m.group(0)}”不存在") from exc
        wd = _weekday_in(m.group(4))
        if wd is not None and wd != d.weekday():
            raise NoticeError(f"{item_name}：{d:%Y年%m月%d日}是星期{'一二三四五六日'[d.weekday()]}，"
                              f"通知写作“{m.group(4)}”，请核对原文")
        year = y
        found.append((d, m.start()))
    return found, month, year


def parse_notice(text: str, year: int | None = None) -> NoticeYear:
    """Parse the notice; ``year`` is taken from the title ("2026年部分节假日") when not given."""
    if year is None:
        m = YEAR_IN_TITLE.search(text)
        if not m:
            raise NoticeError("未能从通知中识别年份（应含“XXXX年部分节假日”），请指定年份")
        year = int(m.group(1))
    result = NoticeYear(year=year)
    for raw in text.splitlines():
        line = raw.strip()
        m = ITEM.match(line)
        if not m:
            continue
        name, body = m.group(1).strip(), m.group(2)
        off: list[date] = []
        makeup: list[date] = []
        month: int | None = None
        cur_year = year
        for clause in CLAUSE_SPLIT.split(body):
            if not clause.strip():
                continue
            dates, month, cur_year = _dates(clause, cur_year, month, name)
            if not dates:
                continue
            if "上班" in clause:
                makeup.extend(d for d, _ in dates)
            elif "放假" in clause or "补休" in clause or "休息" in clause:
                if "至" in clause and len(dates) == 2:
                    a, b = dates[0][0], dates[1][0]
                    if b < a:
                        raise NoticeError(f"{name}：放假区间 {a} 至 {b} 起止颠倒")
                    off.extend(a + timedelta(days=i) for i in range((b - a).days + 1))
                else:
                    off.extend(d for d, _ in dates)
            else:
                raise NoticeError(f"{name}：无法判断“{clause.strip()}”是放假还是上班")
        if not off:
            raise NoticeError(f"{name}：没有找到放假日期")
        result.items.append(NoticeItem(name=name, off=sorted(set(off)), makeup=sorted(set(makeup)), text=line))
    if not result.items:
        raise NoticeError("通知中没有找到“一、元旦：……”形式的放假安排条目")
    return result
