"""表二 in words for 二、主动公开政府信息情况, and 表四 in words for 四、行政复议、行政诉讼情况.

Only number cells are written; a blank, "/", "-" or text cell is left out (a prompt says so) and a
row or group whose every cell is 0 is said in words (未作出行政许可、行政处罚、行政强制处理决定).
"""
from __future__ import annotations

from ..model import Kind, Number, Report
from .prose_common import Claim, Prompt, fmt_number, number_at, phrases

T2_SECTION = "proactive"
T4_SECTION = "review_litigation"


# ---- 表二 ------------------------------------------------------------------------------------
def proactive_paragraph(report: Report) -> tuple[str, list[Claim], list[Prompt]]:
    spec = report.spec
    data = phrases()["proactive"]
    fmt = data[report.format]
    claims: list[Claim] = []
    prompts: list[Prompt] = []
    sentences: list[str] = []
    for group in fmt["groups"]:
        rows = [spec.table2_row(k) for k in group["rows"] if k in report.table2]
        if not rows:
            continue
        numbers = {f"t2.{r.key}.{c.key}": number_at(report, f"t2.{r.key}.{c.key}") for r in rows for c in r.columns}
        for key, v in numbers.items():
            if v is None:
                prompts.append(_t2_prompt(report, key))
        present = {k: v for k, v in numbers.items() if v is not None}
        if not present:
            continue
        if "all_zero" in group and len(present) == len(numbers) and all(v == 0 for v in present.values()):
            labels = "、".join(r.label for r in rows)
            sentences.append(group["all_zero"].format(labels=labels))
            claims += [Claim(T2_SECTION, None, 0, (k,)) for k in present]
            continue
        texts = []
        for r in rows:
            clauses = []
            for c in r.columns:
                key = f"t2.{r.key}.{c.key}"
                v = present.get(key)
                if v is None:
                    continue
                clause = _clause(report, fmt, r.label, c.key, key, v)
                if clause.endswith("{unit}"):
                    clause = clause[: -len("{unit}")]
                    prompts.append(Prompt(T2_SECTION, "compose.t2-unit-missing",
                                          f"表二“{r.label}·{c.label}”未注明单位，正文只写了数字；请注明（元或万元）。",
                                          f"{key} has no unit: the prose states the bare number"))
                clauses.append(clause)
                claims.append(Claim(T2_SECTION, fmt.get("statement_kinds", {}).get(key), v, (key,)))
            if clauses:
                intro = fmt.get("row_intro", "").format(label=r.label)
                texts.append(intro + "，".join(clauses))
        sentences.append(group.get("intro", "") + group.get("row_join", "；").join(texts))
    if not sentences:
        return "", claims, prompts
    return "".join(data["sentence_intro"] + s + "。" for s in sentences), claims, prompts


def _clause(report: Report, fmt: dict, label: str, column: str, key: str, v: Number) -> str:
    template = fmt["columns"][column]
    if isinstance(template, dict):  # 本年增/减: the sign chooses the words
        word = "up" if v > 0 else "down" if v < 0 else "zero"
        return template[word].format(n=fmt_number(abs(v)))
    # No unit anywhere: leave the field for the caller to notice (a bare amount needs a prompt).
    unit = report.cell(key).unit or fmt.get("units", {}).get(column) or "{unit}"
    return template.format(label=label, n=fmt_number(v), unit=unit)


def _t2_prompt(report: Report, key: str) -> Prompt:
    cell = report.cell(key)
    what = {Kind.BLANK: "空白", Kind.SLASH: "“/”", Kind.DASH: "“-”", Kind.TEXT: f"文字“{cell.text}”"}.get(
        cell.kind, "未确定的值")
    _, row, col = key.split(".")
    r = report.spec.table2_row(row)
    col_label = next(c.label for c in r.columns if c.key == col)
    return Prompt(T2_SECTION, "compose.t2-not-number",
                  f"表二“{r.label}·{col_label}”为{what}，正文未写该项；如适用请填数字（含0）。",
                  f"{key} is {cell.kind.value}: left out of the prose")


# ---- 表四 ------------------------------------------------------------------------------------
def review_litigation_paragraph(report: Report) -> tuple[str, list[Claim], list[Prompt]]:
    p = phrases()["review_litigation"]
    claims: list[Claim] = []
    prompts: list[Prompt] = []
    review = number_at(report, "t4.review.total")
    direct = number_at(report, "t4.litigation_direct.total")
    after = number_at(report, "t4.litigation_after_review.total")
    litigation = None if direct is None or after is None else direct + after
    lit_cells = ("t4.litigation_direct.total", "t4.litigation_after_review.total")
    if review is None:
        prompts.append(_t4_prompt("review", "行政复议"))
    if litigation is None:
        prompts.append(_t4_prompt("litigation", "行政诉讼"))

    if review == 0 and litigation == 0:
        claims += [Claim(T4_SECTION, "review", 0, ("t4.review.total",)),
                   Claim(T4_SECTION, "litigation", 0, lit_cells)]
        return p["sentence_intro"] + p["none"] + "。", claims, prompts
    clauses: list[str] = []
    if review == 0:
        clauses.append(p["no_review"])
        claims.append(Claim(T4_SECTION, "review", 0, ("t4.review.total",)))
    elif review is not None:
        clauses.append(p["review"].format(n=fmt_number(review)) + _parts(report, ("review",)))
        claims.append(Claim(T4_SECTION, "review", review, ("t4.review.total",)))
    if litigation == 0:
        clauses.append(p["no_litigation"])
        claims.append(Claim(T4_SECTION, "litigation", 0, lit_cells))
    elif litigation is not None:
        text = p["litigation"].format(n=fmt_number(litigation))
        if direct and after:
            text += "，" + p["litigation_split"].format(direct=fmt_number(direct), after=fmt_number(after))
        else:
            text += "，" + p["litigation_only_direct" if direct else "litigation_only_after"]
        text += _parts(report, ("litigation_direct", "litigation_after_review"))
        clauses.append(text)
        claims.append(Claim(T4_SECTION, "litigation", litigation, lit_cells))
    if not clauses:
        return "", claims, prompts
    return p["sentence_intro"] + "；".join(clauses) + "。", claims, prompts


def _parts(report: Report, groups: tuple[str, ...]) -> str:
    """，其中结果维持3件、尚未审结4件: the non-zero results, summed over the groups named."""
    p = phrases()["review_litigation"]
    out = []
    for part in p["parts"]:
        values = [number_at(report, f"t4.{g}.{part['key']}") for g in groups]
        numbers = [v for v in values if v is not None]
        if numbers and sum(numbers):
            out.append(p["part"].format(label=part["label"], n=fmt_number(sum(numbers))))
    return "，" + p["parts_intro"] + "、".join(out) if out else ""


def _t4_prompt(group: str, label: str) -> Prompt:
    return Prompt(T4_SECTION, "compose.t4-not-number",
                  f"表四{label}总计未填数字（空白、“/”或文字），正文未写{label}情况，请核实表格。",
                  f"表四 {group} total holds no number: the prose leaves it out")
