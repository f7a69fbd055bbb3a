"""Controlled vocabularies of the register, as data.

The 表三 keys and column labels are the core's (``gongkai.formats``), so the register's year-end 表三 uses exactly
the official form's rows and columns.
"""
from __future__ import annotations

from dataclasses import dataclass

from gongkai.formats import T3_COLUMNS, T3_ROWS_2021, load_format

# Applicant type = 表三 column (every column except the total), labelled as the form labels it.
APPLICANT_TYPES: dict[str, str] = {c.key: c.label for c in load_format("2021").table3.columns if c.key != "total"}
APPLICANT_TYPE_BY_LABEL = {v: k for k, v in APPLICANT_TYPES.items()} | {
    "公民": "natural", "个人": "natural", "企业": "business", "其他组织": "other",
}

# Outcome rows a single 答复 may carry (everything between carried_over and total).
OUTCOME_ROWS: tuple[str, ...] = tuple(
    r for r in T3_ROWS_2021 if r not in ("new_received", "carried_over", "total", "carried_forward"))


@dataclass(frozen=True)
class Outcome:
    key: str
    label: str          # the 表三 row label
    article: str        # the 条例 provision the 答复告知书 cites
    decision: str       # the sentence of the letter stating the decision


OUTCOMES: dict[str, Outcome] = {o.key: o for o in (
    Outcome("granted", "（一）予以公开", "第三十六条第（二）项",
            "经审查，您申请的政府信息属于公开范围，现予以公开。"),
    Outcome("partial", "（二）部分公开", "第三十七条",
            "经审查，您申请的政府信息中含有不应当公开的内容，但能够作区分处理，现向您提供可以公开的部分，"
            "不予公开的部分说明理由如下。"),
    Outcome("denied.state_secret", "（三）1.属于国家秘密", "第十四条",
            "经审查，您申请的政府信息属于国家秘密，不予公开。"),
    Outcome("denied.law_forbidden", "（三）2.其他法律行政法规禁止公开", "第十四条",
            "经审查，您申请的政府信息属于法律、行政法规禁止公开的政府信息，不予公开。"),
    Outcome("denied.security_stability", "（三）3.危及“三安全一稳定”", "第十四条",
            "经审查，您申请的政府信息公开后可能危及国家安全、公共安全、经济安全、社会稳定，不予公开。"),
    Outcome("denied.third_party", "（三）4.保护第三方合法权益", "第十五条",
            "经审查，您申请的政府信息涉及商业秘密、个人隐私等，公开会对第三方合法权益造成损害，不予公开。"),
    Outcome("denied.internal_affairs", "（三）5.属于三类内部事务信息", "第十六条第一款",
            "经审查，您申请的政府信息属于行政机关的内部事务信息，不予公开。"),
    Outcome("denied.process_info", "（三）6.属于四类过程性信息", "第十六条第二款",
            "经审查，您申请的政府信息属于行政机关在履行行政管理职能过程中形成的过程性信息，不予公开。"),
    Outcome("denied.enforcement_file", "（三）7.属于行政执法案卷", "第十六条第二款",
            "经审查，您申请的政府信息属于行政执法案卷信息，不予公开。"),
    Outcome("denied.admin_query", "（三）8.属于行政查询事项", "第三十六条第（七）项",
            "经审查，您申请获取的信息属于工商、不动产登记资料等信息，有关法律、行政法规对信息的获取有特别规定，"
            "请您依照有关法律、行政法规的规定办理。"),
    Outcome("unable.not_held", "（四）1.本机关不掌握相关政府信息", "第三十六条第（四）项",
            "经检索查找，本机关未制作或者获取您申请的政府信息，该政府信息不存在。"),
    Outcome("unable.need_creation", "（四）2.没有现成信息需要另行制作", "第三十八条",
            "经审查，您申请的信息需要本机关对现有政府信息进行加工、分析方能形成，本机关不予提供。"),
    Outcome("unable.unclear", "（四）3.补正后申请内容仍不明确", "第三十条",
            "经补正后，您申请公开的政府信息内容仍不明确，本机关无法提供。"),
    Outcome("not_processed.complaint", "（五）1.信访举报投诉类申请", "第三十九条第一款",
            "您以政府信息公开申请的形式进行信访、投诉、举报等活动，请您通过相应渠道提出。"),
    Outcome("not_processed.duplicate", "（五）2.重复申请", "第三十六条第（六）项",
            "您重复申请公开相同政府信息，本机关已经作出答复，且该政府信息未发生变化，不予重复处理。"),
    Outcome("not_processed.publication", "（五）3.要求提供公开出版物", "第三十九条第二款",
            "您申请获取的信息属于公开出版物，请您通过相应渠道获取。"),
    Outcome("not_processed.excessive", "（五）4.无正当理由大量反复申请", "第三十五条",
            "您申请公开政府信息的数量、频次明显超过合理范围，且未说明合理理由，本机关不予处理。"),
    Outcome("not_processed.reconfirm", "（五）5.要求行政机关确认或重新出具已获取信息", "第三十八条",
            "您要求本机关确认或者重新出具已获取的信息，不属于本条例规定的提供政府信息的情形，本机关不予处理。"),
    Outcome("other.no_correction", "（六）1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
            "第三十条", "您无正当理由逾期未补正，视为放弃申请，本机关不再处理该政府信息公开申请。"),
    Outcome("other.no_fee", "（六）2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
            "第四十二条及《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）",
            "您逾期未按收费通知要求缴纳信息处理费，视为放弃申请，本机关不再处理该政府信息公开申请。"),
    Outcome("other.other", "（六）3.其他", "第四十五条", "本机关对您的申请处理如下。"),
)}

assert set(OUTCOMES) == set(OUTCOME_ROWS), "every 表三 outcome row needs wording and an article"

CHANNELS = ("当面", "邮寄", "网络", "传真", "电子邮件", "其他")
CHANNEL_ALIASES = {"信函": "邮寄", "邮寄/信函": "邮寄", "互联网": "网络", "在线": "网络", "网上": "网络",
                   "邮件": "电子邮件", "email": "电子邮件", "现场": "当面"}

DELIVERY_METHODS = ("当面领取", "邮寄", "电子邮件", "网络", "传真", "其他")
