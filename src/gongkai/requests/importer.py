"""Import an existing register from an Excel sheet: every row checked, errors listed, nothing half-imported.

The first row holds headers (Chinese, see ``COLUMNS``). Rows are validated one by one into :class:`RowError`
(row, column, reason); only when there is no error at all are the requests registered, in one transaction.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime

from openpyxl import load_workbook
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from gongkai.store.requests_tables import RequestRow

from .receipt import ReceiptError
from .register import Applicant, RegisterError, RequestIn, intake_many, validate_intake

# header -> (field, required)
COLUMNS: dict[str, tuple[str, bool]] = {
    "编号": ("number", False),
    "渠道": ("channel", True),
    "收到日期": ("received", True),
    "申请人类型": ("applicant_type", True),
    "申请人": ("name", True),
    "证件类型": ("id_type", False),
    "证件号码": ("id_number", False),
    "联系电话": ("phone", False),
    "电子邮箱": ("email", False),
    "地址": ("address", False),
    "申请内容": ("content", True),
    "获取方式": ("form", False),
    "送达方式": ("delivery", False),
}

# The one recorded date of an old register is the date the office counted as receipt; it is filed under the
# field the channel's rule reads (第三十一条), so the basis shown later is still the right article.
CHANNEL_DATE_FIELD = {"当面": "submitted_on", "邮寄": "signed_on", "网络": "confirmed_on", "传真": "confirmed_on",
                      "电子邮件": "confirmed_on", "其他": "received_on"}


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    reason: str


@dataclass
class ImportResult:
    imported: list[str]
    errors: list[RowError]


def _date(v) -> date:
    if isinstance(v, datetime):
        return v.date()
    if isinstance(v, date):
        return v
    text = str(v).strip().replace("年", "-").replace("月", "-").replace("日", "").replace("/", "-").replace(".", "-")
    y, m, d = (int(x) for x in text.split("-"))
    return date(y, m, d)


def _text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def read_rows(data: bytes) -> tuple[list[tuple[int, RequestIn]], list[RowError]]:
    from .receipt import normalise_channel

    from ..read import ReadError
    from ..read.limits import check_zip

    try:
        check_zip(data, "Excel")  # openpyxl inflates members whole: their sizes are checked first
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (ReadError, OSError, ValueError, KeyError) as e:
        return [], [RowError(0, "文件", f"不是可读取的 Excel 文件：{getattr(e, 'reason', e)}")]
    ws = wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    header = [_text(h) for h in next(rows, ())]
    errors: list[RowError] = []
    missing = [h for h, (_, req) in COLUMNS.items() if req and h not in header]
    for h in missing:
        errors.append(RowError(1, h, "缺少必需的列"))
    if missing:
        return [], errors
    idx = {h: header.index(h) for h in COLUMNS if h in header}
    out: list[tuple[int, RequestIn]] = []
    for n, values in enumerate(rows, start=2):
        if all(v is None or _text(v) == "" for v in values):
            continue
        get = {h: (values[i] if i < len(values) else None) for h, i in idx.items()}
        row_errors = [RowError(n, h, "不能为空") for h, (_, req) in COLUMNS.items()
                      if req and _text(get.get(h)) == ""]
        if row_errors:
            errors.extend(row_errors)
            continue
        try:
            received = _date(get["收到日期"])
        except (ValueError, TypeError):
            errors.append(RowError(n, "收到日期", f"“{_text(get['收到日期'])}”不是有效日期"))
            continue
        try:
            channel = normalise_channel(_text(get["渠道"]))
        except ReceiptError as exc:
            errors.append(RowError(n, "渠道", str(exc)))
            continue
        req = RequestIn(
            channel=channel, content=_text(get["申请内容"]),
            form=_text(get.get("获取方式")) or "纸质", delivery=_text(get.get("送达方式")) or "邮寄",
            number=_text(get.get("编号")) or None,
            applicant=Applicant(type=_text(get["申请人类型"]), name=_text(get["申请人"]),
                                id_type=_text(get.get("证件类型")), id_number=_text(get.get("证件号码")),
                                phone=_text(get.get("联系电话")), email=_text(get.get("电子邮箱")),
                                address=_text(get.get("地址"))))
        setattr(req, CHANNEL_DATE_FIELD[channel], received)
        try:
            validate_intake(req)
        except (RegisterError, ReceiptError) as exc:
            msg = str(exc)
            col = ("申请人类型" if "申请人类型" in msg else "编号" if "编号" in msg else
                   "联系电话" if "联系方式" in msg else "申请人" if "姓名" in msg else "申请内容")
            errors.append(RowError(n, col, msg))
            continue
        out.append((n, req))
    seen: dict[str, int] = {}
    for n, r in out:
        if r.number:
            if r.number in seen:
                errors.append(RowError(n, "编号", f"编号 {r.number} 与第{seen[r.number]}行重复"))
            seen.setdefault(r.number, n)
    return out, errors


def import_register(engine: Engine, agency: str, data: bytes, actor: str) -> ImportResult:
    rows, errors = read_rows(data)
    numbers = [r.number for _, r in rows if r.number]
    if numbers:
        with Session(engine) as s:
            taken = set(s.scalars(select(RequestRow.number).where(RequestRow.agency == agency,
                                                                   RequestRow.number.in_(numbers))))
        errors.extend(RowError(n, "编号", f"编号 {r.number} 已在登记簿中") for n, r in rows if r.number in taken)
    if errors:
        return ImportResult([], sorted(errors, key=lambda e: (e.row, e.column)))
    return ImportResult(intake_many(engine, agency, [r for _, r in rows], actor), [])
