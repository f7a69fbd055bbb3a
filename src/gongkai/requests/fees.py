"""信息处理费 under 国办函〔2020〕109号: 按件 and 按量 bands, progressive over the excess, as data."""
from __future__ import annotations

from dataclasses import dataclass

from .vocab import FEE_METHODS


@dataclass(frozen=True)
class Band:
    first: int          # first unit (application or page) in the band, 1-based
    last: int | None    # last unit, None = open-ended
    rate: int           # 元 per unit


# 第五条 按量计收 (per page)
PER_PAGE_BANDS: tuple[Band, ...] = (Band(1, 30, 0), Band(31, 100, 10), Band(101, 200, 20), Band(201, None, 40))

# 第四条 按件计收 (per application, per applicant per calendar month): 1–10 free, 11–30 at 100 元; from 31 on,
# each further band of 10 applications costs 100 元 more per application.
PER_ITEM_FREE = 10
PER_ITEM_FIRST_BAND = (11, 30, 100)
PER_ITEM_STEP_SIZE = 10
PER_ITEM_STEP_RATE = 100

METHODS = FEE_METHODS.labels   # per_item: 按件计收, per_page: 按量计收


def per_item_rate(position: int) -> int:
    """Rate for the ``position``-th application (1-based) by one applicant in one calendar month."""
    if position <= PER_ITEM_FREE:
        return 0
    first, last, rate = PER_ITEM_FIRST_BAND
    if position <= last:
        return rate
    return rate + PER_ITEM_STEP_RATE * ((position - last - 1) // PER_ITEM_STEP_SIZE + 1)


def per_item_fee(first_position: int, units: int = 1) -> int:
    """Fee for ``units`` applications occupying positions first_position … first_position+units-1 in the month."""
    return sum(per_item_rate(p) for p in range(first_position, first_position + units))


def per_page_fee(pages: int) -> int:
    total = 0
    for b in PER_PAGE_BANDS:
        hi = pages if b.last is None else min(pages, b.last)
        if hi >= b.first:
            total += (hi - b.first + 1) * b.rate
    return total


@dataclass(frozen=True)
class FeeQuote:
    method: str
    amount: int
    basis: str          # how the amount was reached, for the 收费通知


def quote(method: str, *, month_position: int = 1, units: int = 1, pages: int = 0) -> FeeQuote:
    """The fee by ``method`` (key, 按件计收 / 按量计收 or an alias); an unknown method raises ``VocabError``."""
    method = FEE_METHODS.resolve(method)
    if method == "per_item":
        amt = per_item_fee(month_position, units)
        last = month_position + units - 1
        span = f"第{month_position}件" if units == 1 else f"第{month_position}至{last}件"
        return FeeQuote(method, amt, f"按件计收：本自然月内该申请人{span}申请，计{amt}元")
    amt = per_page_fee(pages)
    return FeeQuote(method, amt, f"按量计收：共{pages}页，计{amt}元")
