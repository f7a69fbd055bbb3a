"""六、其他需要报告的事项: the office's text, the workplan draft, the 信息处理费 sentence, and prompts.

Section 六 must report the 信息处理费 collected under 国办函〔2020〕109号 (2021 format; the 2019 trial
format predates the measures) and, by the issue's item 6, how the year's 工作要点 were carried out.
The office writes the section; gongkai only adds the fee sentence from figures and says what is missing.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from ..model import Report
from .prose_common import Prompt, fmt_number, phrases

SECTION = "other_matters"
# The draft from gongkai.workplan.draft starts with the section heading; the composed text is body only.
_HEADING = re.compile(r"^\s*六[、.．]\s*其他需要报告的事项[^\n]*\n?")


@dataclass(frozen=True)
class FeeFigures:
    """信息处理费 of the year under 国办函〔2020〕109号.

    ``charged``: requests for which a fee was collected; ``amount_yuan``: the total collected, in 元;
    ``notices``: 收费通知 sent (None when the office does not report it).
    """

    charged: int
    amount_yuan: Decimal | int
    notices: int | None = None

    def __post_init__(self) -> None:
        if self.charged < 0 or self.amount_yuan < 0 or (self.notices is not None and self.notices < 0):
            raise ValueError("信息处理费的件数、金额不能为负数 (fee figures must not be negative)")
        if (self.charged == 0) != (self.amount_yuan == 0):
            raise ValueError("收取信息处理费的件数与金额须同为0或同为正数 (count and amount must both be 0 or both positive)")


def fee_sentence(fees: FeeFigures) -> str:
    p = phrases()["other_matters"]
    text = p["fee_basis"]
    if fees.notices is not None:
        text += p["fee_notices"].format(notices=fees.notices)
    if fees.charged == 0:
        return text + p["fee_none"]
    return text + p["fee_charged"].format(count=fees.charged, amount=fmt_number(fees.amount_yuan))


_SENTENCE = re.compile(r"[^。！？]*(?:[。！？]|$)")


def _without_fee_sentences(paragraphs: list[str], statement: str) -> tuple[list[str], list[str]]:
    """The paragraphs without their sentences on the 信息处理费, and those sentences."""
    kept, dropped = [], []
    for para in paragraphs:
        parts = [s for s in _SENTENCE.findall(para) if s]
        dropped += [s for s in parts if re.search(statement, s)]
        rest = "".join(s for s in parts if not re.search(statement, s)).strip()
        if rest:
            kept.append(rest)
    return kept, dropped


def workplan_body(draft: str) -> str:
    """The workplan draft as body text: heading dropped, one paragraph a line."""
    body = _HEADING.sub("", draft, count=1)
    return "\n".join(line.strip() for line in body.splitlines() if line.strip())


def other_matters(report: Report, office_text: str | None, workplan_draft: str | None,
                  fees: FeeFigures | None) -> tuple[str, list[Prompt]]:
    p = phrases()["other_matters"]
    paragraphs = [line.strip() for line in (office_text or "").splitlines() if line.strip()]
    if workplan_draft:
        paragraphs.append(workplan_body(workplan_draft))
    prompts: list[Prompt] = []
    if fees is not None:
        # The fee is said once: the sentence from the figures replaces the office's own fee sentences.
        paragraphs, dropped = _without_fee_sentences(paragraphs, p["fee_statement"])
        generated = fee_sentence(fees)
        paragraphs.append(generated)
        if dropped and "".join(dropped) != generated:
            prompts.append(Prompt(
                SECTION, "compose.six-fee-replaced",
                f"第六部分原有的信息处理费表述“{''.join(dropped)}”已由按数据生成的句子“{generated}”替换，请核对。",
                "the office's own fee sentence was replaced by the one generated from the figures"))
    text = "\n".join(x for x in paragraphs if x)
    if report.format == "2021" and not re.search(p["fee_statement"], text):
        prompts.append(Prompt(
            SECTION, "compose.six-fee-missing",
            "第六部分未说明信息处理费收取情况：请按《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）"
            "填写本年度收取信息处理费的件数和金额（未收取的写明“本年度未收取信息处理费”）。",
            "section 六 does not state the information processing fees (国办函〔2020〕109号)"))
    if not re.search(p["workplan_statement"], text):
        prompts.append(Prompt(
            SECTION, "compose.six-workplan-missing",
            "第六部分未说明贯彻落实年度政务公开工作要点情况：请补写，或由工作要点任务生成草稿"
            "（gongkai workplan draft-section6）。",
            "section 六 does not report on carrying out the year's 工作要点"))
    return text, prompts
