"""Invented report figures written out in the arrangements converters produce (issue 11).

Nothing here is copied from a real report: one invented office's figures (with sums that hold and
with rows that differ, so a wrong order shows) are laid out as a text converter would lay them out —
labels before or after their values, all labels first and the numbers row by row or column by
column, a table split by a page break with its header repeated and a page number between, a row
printed twice, labels broken over lines, a vertical label one character per line, and so on.
"""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from gongkai.check import check_path
from gongkai.formats import load_format
from gongkai.model import Kind

FMT = load_format("2021")
T3_ROWS = [r for r in FMT.table3.rows_for("split")]

TABLE2 = {
    "regulations": [0, 0, 0],
    "normative_documents": [2, 1, 15],
    "licensing": [120],
    "penalty": [35],
    "coercion": [2],
    "fees": [Decimal("1.5")],
}
_Z = [0] * 7
TABLE3 = {r.key: list(_Z) for r in T3_ROWS}
TABLE3.update({
    "new_received": [5, 1, 0, 0, 1, 0, 7],
    "carried_over": [1, 0, 0, 0, 0, 0, 1],
    "granted": [3, 1, 0, 0, 0, 0, 4],
    "partial": [1, 0, 0, 0, 0, 0, 1],
    "denied.process_info": [1, 0, 0, 0, 0, 0, 1],
    "unable.not_held": [1, 0, 0, 0, 1, 0, 2],
    "total": [6, 1, 0, 0, 1, 0, 8],
})
TABLE4 = {"review": [1, 0, 0, 1, 2], "litigation_direct": [0, 0, 0, 0, 0], "litigation_after_review": [0, 0, 0, 0, 0]}

T2_LABELS = {"regulations": "规章", "normative_documents": "行政规范性文件", "licensing": "行政许可",
             "penalty": "行政处罚", "coercion": "行政强制", "fees": "行政事业性收费"}
T3_HEADER = ["申请人情况", "自然人", "法人或其他组织", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
T4_HEADER = ["行政复议", "行政诉讼", "未经复议直接起诉", "复议后起诉"] + ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 3

HEAD = ["示例县林业局2025年政府信息公开工作年度报告", "一、总体情况", "本局依法做好政府信息公开工作。",
        "二、主动公开政府信息情况"]
MID = ["三、收到和处理政府信息公开申请情况", "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"]
TAIL = ["五、存在的主要问题及改进情况", "工作仍有不足，下一步将加以改进。", "六、其他需要报告的事项", "无。"]


def t3_label(key: str) -> str:
    return next(r.label for r in T3_ROWS if r.key == key)


def _s(v) -> str:
    return "" if v is None else str(v)


def table2_lines() -> list[str]:
    out = ["第二十条第（一）项", "信息内容 本年制发件数 本年废止件数 现行有效件数"]
    for key in ("regulations", "normative_documents"):
        out.append(f"{T2_LABELS[key]} " + " ".join(map(_s, TABLE2[key])))
    for head, keys in (("第二十条第（五）项", ["licensing"]), ("第二十条第（六）项", ["penalty", "coercion"]),
                       ("第二十条第（八）项", ["fees"])):
        out += [head, "信息内容 本年处理决定数量" if keys != ["fees"] else "信息内容 本年收费金额（单位：万元）"]
        out += [f"{T2_LABELS[k]} " + " ".join(map(_s, TABLE2[k])) for k in keys]
    return out


def table4_lines() -> list[str]:
    return ["四、政府信息公开行政复议、行政诉讼情况", " ".join(T4_HEADER),
            " ".join(_s(v) for g in TABLE4.values() for v in g)]


def report(table3_lines: list[str], t3=None) -> str:
    return "\n".join(HEAD + table2_lines() + MID + table3_lines + table4_lines() + TAIL) + "\n"


def rows(t3: dict | None = None) -> list[tuple[str, list]]:
    t3 = t3 or TABLE3
    return [(t3_label(r.key), t3[r.key]) for r in T3_ROWS]


# ---- arrangements of 表三 -----------------------------------------------------------------------
def labels_before(t3: dict | None = None) -> list[str]:
    return [" ".join(T3_HEADER)] + [f"{lab} " + " ".join(map(_s, vals)) for lab, vals in rows(t3)]


def labels_after() -> list[str]:
    return [" ".join(T3_HEADER)] + [x for lab, vals in rows() for x in (" ".join(map(_s, vals)), lab)]


def labels_first(column_major: bool, pages: int = 1) -> list[str]:
    """All labels of a page's part of the table, then its numbers one per line."""
    rs = rows()
    cut = [len(rs) * k // pages for k in range(pages + 1)]
    out: list[str] = []
    for p in range(pages):
        part = rs[cut[p]:cut[p + 1]]
        out += T3_HEADER if p == 0 else []
        out += [lab for lab, _ in part]
        if column_major:
            out += [_s(vals[c]) for c in range(7) for _, vals in part]
        else:
            out += [_s(v) for _, vals in part for v in vals]
        if p < pages - 1:
            out.append(f"- {p + 3} -")
    return out


def split_by_page(repeat_header: bool = True) -> list[str]:
    lines = labels_before()
    half = 1 + len(T3_ROWS) // 2
    extra = ["— 3 —"] + ([" ".join(T3_HEADER)] if repeat_header else [])
    return lines[:half] + extra + lines[half:]


def row_printed_twice() -> list[str]:
    lines = labels_before()
    return lines[:6] + [lines[5]] + lines[6:]


def broken_labels() -> list[str]:
    """Every long label broken over two lines, as a narrow PDF cell wraps it (pdfium, pdftotext)."""
    out = [" ".join(T3_HEADER)]
    for lab, vals in rows():
        if len(lab) > 9:
            out += [lab[:9], lab[9:] + " " + " ".join(map(_s, vals))]
        else:
            out.append(f"{lab} " + " ".join(map(_s, vals)))
    return out


def broken_around_values() -> list[str]:
    """A long label's second half printed after its values (pdfplumber)."""
    out = [" ".join(T3_HEADER)]
    for lab, vals in rows():
        if len(lab) > 12:
            out += [lab[:10], " ".join(map(_s, vals)), lab[10:]]
        else:
            out.append(f"{lab} " + " ".join(map(_s, vals)))
    return out


def vertical_label() -> list[str]:
    """三、本年度办理结果 printed one character per line, interleaved with the rows it spans."""
    out = labels_before()
    chars = list("三、本年度办理结果")
    k = 3
    for ch in chars:
        out.insert(k, ch)
        k += 2
    return out


def blanks_dropped() -> tuple[list[str], dict]:
    """A converter writing one cell per line leaves blank cells out: a row printed with blanks."""
    t3 = {k: list(v) for k, v in TABLE3.items()}
    t3["carried_over"] = [1, None, None, None, None, None, 1]
    out = [x for x in T3_HEADER]
    for lab, vals in rows(t3):
        out.append(lab)
        out += [_s(v) for v in vals if v is not None]
    return out, t3


def check_text(tmp_path: Path, text: str, name: str = "r.txt"):
    """``text`` written as a file and checked; its report (the check must have read it)."""
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    res = check_path(p)
    assert res.status in ("ok", "errors"), (res.status, res.error)
    return res.report


def values(cells, text: bool = False) -> list:
    """Cells as the truth writes them: the number, None for a blank, else the kind (``text``: a text cell's text)."""
    return [c.value if c.kind is Kind.NUMBER else (None if c.kind is Kind.BLANK else
                                                   (c.text if text and c.kind is Kind.TEXT else c.kind.value))
            for c in cells]
