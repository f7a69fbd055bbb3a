"""The date of receipt by channel (第三十一条), as a table of which recorded date decides and why."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .vocab import CHANNEL_ALIASES, CHANNELS


class ReceiptError(ValueError):
    pass


@dataclass(frozen=True)
class ReceiptRule:
    fields: tuple[str, ...]    # the recorded dates that may decide, in order of preference
    basis: str


RULES: dict[str, ReceiptRule] = {
    "当面": ReceiptRule(("submitted_on",), "第三十一条第（一）项：以申请人提交之日为收到申请之日"),
    "邮寄": ReceiptRule(("signed_on", "confirmed_on"),
                      "第三十一条第（二）项：以签收之日为收到申请之日；平常信函等无需签收的，以与申请人确认之日为准"),
    "网络": ReceiptRule(("confirmed_on",), "第三十一条第（三）项：以双方确认之日为收到申请之日"),
    "传真": ReceiptRule(("confirmed_on",), "第三十一条第（三）项：以双方确认之日为收到申请之日"),
    # e-mail is an internet channel under the 2019 条例, so the both-sides confirmation decides as well
    "电子邮件": ReceiptRule(("confirmed_on",), "第三十一条第（三）项（互联网渠道）：以双方确认之日为收到申请之日"),
    "其他": ReceiptRule(("received_on",), "以实际收到之日为收到申请之日（其他渠道，需在登记时说明）"),
}
assert set(RULES) == set(CHANNELS)

FIELD_LABEL = {"submitted_on": "提交日期", "signed_on": "签收日期", "confirmed_on": "双方确认日期",
               "received_on": "收到日期"}


def normalise_channel(channel: str) -> str:
    c = channel.strip()
    c = CHANNEL_ALIASES.get(c, c)
    if c not in RULES:
        raise ReceiptError(f"未知的申请渠道“{channel}”，可选：{'、'.join(CHANNELS)}")
    return c


def receipt_date(channel: str, dates: dict[str, date | None]) -> tuple[date, str]:
    """(date of receipt, legal basis) for a channel, from the dates recorded at intake."""
    rule = RULES[normalise_channel(channel)]
    for f in rule.fields:
        if dates.get(f):
            return dates[f], rule.basis  # type: ignore[return-value]
    need = "或".join(FIELD_LABEL[f] for f in rule.fields)
    raise ReceiptError(f"{channel}渠道须填写{need}（{rule.basis}）")
