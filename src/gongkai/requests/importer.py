"""Import an existing register from an Excel sheet: every row checked, errors listed, nothing half-imported.

The first row holds headers; the columns an office register has are declared in ``vocab.yaml``
(``import_columns``, with the names offices use for them). A header that is none of them is refused by name, so no
column is dropped in silence. A request with 答复时间 and 答复结果 comes in answered (and 送达 when 送达日期 is given),
checked like any action: an answer after the deadline carries its 逾期答复 finding. The office's own numbering is
kept. Rows are validated one by one into :class:`RowError` (row, column, reason); only when there is no error at
all are the requests registered, in one transaction. ``template`` writes the sheet to fill in.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from gongkai.store.requests_tables import RequestRow

from .receipt import ReceiptError, normalise_channel
from .register import Applicant, PastAction, RegisterError, RequestIn, intake_many, validate_intake
from .vocab import (APPLICANT_TYPES, CHANNELS, DELIVERY_METHODS, DELIVERY_VOCAB, OUTCOME_VOCAB, OUTCOMES,
                    VocabError, _data, _norm)


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    required: bool
    help: str
    aliases: tuple[str, ...]


COLUMNS: tuple[Column, ...] = tuple(
    Column(c["header"], c["field"], bool(c.get("required")), c.get("help", ""), tuple(c.get("aliases") or ()))
    for c in _data()["import_columns"])
BY_NAME: dict[str, Column] = {_norm(n): c for c in COLUMNS for n in (c.header, *c.aliases)}

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


_DATE_TEXT = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*(?:\d{1,2}:\d{2}(?::\d{2})?)?\s*$")


def _date(v: Any) -> date:
    if isinstance(v, datetime):
        return v.date()
    if isinstance(v, date):
        return v
    m = _DATE_TEXT.match(str(v))
    if not m:
        raise ValueError(str(v))
    return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))


def _text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def _header(ws) -> tuple[dict[str, int], list[RowError]]:
    """Column index per field, or the errors: unknown headers by name, a column given twice, required ones missing."""
    first = next(ws.iter_rows(min_row=1, max_row=1, values_only=True), ())
    idx: dict[str, int] = {}
    errors: list[RowError] = []
    for i, h in enumerate(_text(h) for h in first):
        if not h:
            continue
        col = BY_NAME.get(_norm(h))
        if col is None:
            errors.append(RowError(1, h, f"未知的列“{h}”，不会导入；可用的列：{'、'.join(c.header for c in COLUMNS)}"
                                         f"（或删去该列后重新导入）"))
        elif col.field in idx:
            errors.append(RowError(1, h, f"与另一列同为“{col.header}”"))
        else:
            idx[col.field] = i
    errors += [RowError(1, c.header, "缺少必需的列") for c in COLUMNS if c.required and c.field not in idx]
    return idx, errors


def _past_actions(n: int, get: dict[str, Any], received: date, delivery: str,
                  errors: list[RowError]) -> list[PastAction]:
    """The 答复 (and 送达) an old register records for the request."""
    head = {c.field: c.header for c in COLUMNS}
    answered, outcome = _text(get.get("answered")), _text(get.get("outcome"))
    delivered = _text(get.get("delivered"))
    if not answered and not outcome:
        if delivered:
            errors.append(RowError(n, head["delivered"], "有送达日期但没有答复时间和答复结果"))
        return []
    if not answered or not outcome:
        missing = head["answered"] if not answered else head["outcome"]
        errors.append(RowError(n, missing, f"{head['answered']}和{head['outcome']}须一起填写"))
        return []
    try:
        on = _date(get["answered"])
    except (ValueError, TypeError):
        errors.append(RowError(n, head["answered"], f"“{answered}”不是有效日期"))
        return []
    if on < received:
        errors.append(RowError(n, head["answered"], f"答复时间 {on} 早于收到日期 {received}"))
        return []
    try:
        key = OUTCOME_VOCAB.resolve(outcome)
    except VocabError as exc:
        errors.append(RowError(n, head["outcome"], str(exc)))
        return []
    payload: dict[str, Any] = {"outcome": key}
    if _text(get.get("remarks")):
        payload["remarks"] = _text(get.get("remarks"))
    out = [PastAction("answer", on, payload)]
    if delivered:
        try:
            d_on = _date(get["delivered"])
        except (ValueError, TypeError):
            errors.append(RowError(n, head["delivered"], f"“{delivered}”不是有效日期"))
            return out
        if d_on < on:
            errors.append(RowError(n, head["delivered"], f"送达日期 {d_on} 早于答复时间 {on}"))
            return out
        try:
            method = DELIVERY_VOCAB.resolve(delivery)
        except VocabError as exc:
            errors.append(RowError(n, head["delivery"], str(exc)))
            return out
        tracking = _text(get.get("tracking_no"))
        if method == "邮寄" and not tracking:
            errors.append(RowError(n, head["tracking_no"], "邮寄送达须填写邮件号（国办公开办函〔2016〕235号）"))
            return out
        out.append(PastAction("deliver", d_on, {"method": method, "tracking_no": tracking}))
    return out


def read_rows(data: bytes) -> tuple[list[tuple[int, RequestIn]], list[RowError]]:
    from ..read import ReadError
    from ..read.limits import check_zip

    try:
        check_zip(data, "Excel")  # openpyxl inflates members whole: their sizes are checked first
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (ReadError, OSError, ValueError, KeyError) as e:
        return [], [RowError(0, "文件", f"不是可读取的 Excel 文件：{getattr(e, 'reason', e)}")]
    ws = wb.worksheets[0]
    idx, errors = _header(ws)
    if errors:
        return [], errors
    head = {c.field: c.header for c in COLUMNS}
    out: list[tuple[int, RequestIn]] = []
    for n, values in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2):
        if all(v is None or _text(v) == "" for v in values):
            continue
        get = {f: (values[i] if i < len(values) else None) for f, i in idx.items()}
        row_errors = [RowError(n, c.header, "不能为空") for c in COLUMNS if c.required and _text(get.get(c.field)) == ""]
        if row_errors:
            errors.extend(row_errors)
            continue
        try:
            received = _date(get["received"])
        except (ValueError, TypeError):
            errors.append(RowError(n, head["received"], f"“{_text(get['received'])}”不是有效日期"))
            continue
        try:
            channel = normalise_channel(_text(get["channel"]))
        except ReceiptError as exc:
            errors.append(RowError(n, head["channel"], str(exc)))
            continue
        delivery = _text(get.get("delivery")) or "邮寄"
        before = len(errors)
        actions = _past_actions(n, get, received, delivery, errors)
        if len(errors) > before:
            continue
        req = RequestIn(
            channel=channel, content=_text(get["content"]),
            form=_text(get.get("form")) or "纸质", delivery=delivery,
            number=_text(get.get("number")) or None, actions=actions,
            applicant=Applicant(type=_text(get["applicant_type"]), name=_text(get["name"]),
                                id_type=_text(get.get("id_type")), id_number=_text(get.get("id_number")),
                                phone=_text(get.get("phone")), email=_text(get.get("email")),
                                address=_text(get.get("address"))))
        setattr(req, CHANNEL_DATE_FIELD[channel], received)
        try:
            validate_intake(req)
        except (RegisterError, ReceiptError) as exc:
            msg = str(exc)
            col = (head["applicant_type"] if "申请人类型" in msg else head["number"] if "编号" in msg else
                   head["phone"] if "联系方式" in msg else head["name"] if "姓名" in msg else head["content"])
            errors.append(RowError(n, col, msg))
            continue
        out.append((n, req))
    seen: dict[str, int] = {}
    for n, r in out:
        if r.number:
            if r.number in seen:
                errors.append(RowError(n, head["number"], f"编号 {r.number} 与第{seen[r.number]}行重复"))
            seen.setdefault(r.number, n)
    return out, errors


def import_register(engine: Engine, agency: str, data: bytes, actor: str) -> ImportResult:
    try:
        rows, errors = read_rows(data)
    except Exception as exc:  # not a workbook openpyxl can read: one clear error, nothing imported
        return ImportResult([], [RowError(0, "", f"无法读取 Excel 文件：{exc}")])
    numbers = [r.number for _, r in rows if r.number]
    if numbers:
        with Session(engine) as s:
            taken = set(s.scalars(select(RequestRow.number).where(RequestRow.agency == agency,
                                                                   RequestRow.number.in_(numbers))))
        errors.extend(RowError(n, "编号", f"编号 {r.number} 已在登记簿中") for n, r in rows if r.number in taken)
    if errors:
        return ImportResult([], sorted(errors, key=lambda e: (e.row, e.column)))
    try:
        return ImportResult(intake_many(engine, agency, [r for _, r in rows], actor), [])
    except RegisterError as exc:   # an act the workflow refuses (the message names the request)
        return ImportResult([], [RowError(0, "", str(exc))])


def template() -> bytes:
    """The import sheet: one column per field (required ones marked), a 填写说明 sheet, and lists to pick from."""
    wb = Workbook()
    ws = wb.active
    ws.title = "登记簿"
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="FFF2CC")
    for i, c in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=1, column=i, value=c.header)
        cell.font = bold
        if c.required:
            cell.fill = fill
        ws.column_dimensions[cell.column_letter].width = max(10, 2 * len(c.header) + 4)
    ws.freeze_panes = "A2"
    lists = wb.create_sheet("可选值")
    choices = {"channel": list(CHANNELS), "applicant_type": list(APPLICANT_TYPES.values()),
               "delivery": list(DELIVERY_METHODS), "outcome": [o.label for o in OUTCOMES.values()]}
    for j, (field, values) in enumerate(choices.items(), start=1):
        col = next(c for c in COLUMNS if c.field == field)
        lists.cell(row=1, column=j, value=col.header).font = bold
        for k, v in enumerate(values, start=2):
            lists.cell(row=k, column=j, value=v)
        letter = lists.cell(row=1, column=j).column_letter
        target = ws.cell(row=1, column=[c.field for c in COLUMNS].index(field) + 1).column_letter
        dv = DataValidation(type="list", formula1=f"'可选值'!${letter}$2:${letter}${len(values) + 1}",
                            allow_blank=True, showErrorMessage=False)
        dv.add(f"{target}2:{target}5000")
        ws.add_data_validation(dv)
    notes = wb.create_sheet("填写说明")
    notes.append(["列", "必填", "说明", "也可写作"])
    for c in COLUMNS:
        notes.append([c.header, "是" if c.required else "", c.help, "、".join(c.aliases)])
    for cell in notes[1]:
        cell.font = bold
    for letter, width in zip("ABCD", (12, 6, 70, 40)):
        notes.column_dimensions[letter].width = width
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
