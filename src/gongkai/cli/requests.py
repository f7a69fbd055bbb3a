"""`gongkai requests ...` commands: a thin adapter over ``gongkai.requests`` (no logic lives here)."""
from __future__ import annotations

import json
import os
import sys
from datetime import date
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from gongkai.requests import duelists, importer, letters, register, yearend
from gongkai.requests.calendar_load import load_notice
from gongkai.requests.vocab import APPLICANT_TYPES, T3_COLUMNS, T3_ROWS_2021
from gongkai.requests.workflow import TRANSITIONS
from gongkai.store.db import connect
from gongkai.workdays.notice import NoticeError, parse_notice
from gongkai.workdays.store import active_calendar, versions

app = typer.Typer(help="依申请公开登记簿：登记、办理、期限、信函、表三", no_args_is_help=True)
calendar_app = typer.Typer(help="工作日日历：载入国务院节假日通知、查看", no_args_is_help=True)
list_app = typer.Typer(help="期限清单：即将到期、已逾期、暂停计时", no_args_is_help=True)
yearend_app = typer.Typer(help="年度统计：表三、表四、第四十四条转主动公开候选", no_args_is_help=True)
case_app = typer.Typer(help="表四案件（行政复议、行政诉讼）", no_args_is_help=True)
app.add_typer(calendar_app, name="calendar")
app.add_typer(list_app, name="list")
app.add_typer(yearend_app, name="year-end")
app.add_typer(case_app, name="case")

console = Console()

DbOpt = typer.Option(None, "--db", help="数据库（默认 GONGKAI_DB 或 sqlite:///gongkai.db）")
AgencyOpt = typer.Option(None, "--agency", help="机关（默认 GONGKAI_AGENCY 或“本机关”）")
ActorOpt = typer.Option(None, "--actor", help="经办人（默认当前用户）")
RoleOpt = typer.Option("handler", "--role", help="查看者角色；非 handler/office_head 时个人信息打码")


def _agency(a: str | None) -> str:
    return a or os.environ.get("GONGKAI_AGENCY", "本机关")


def _actor(a: str | None) -> str:
    return a or os.environ.get("USER", "unknown")


def _day(v: str | None) -> date | None:
    return date.fromisoformat(v) if v else None


def _fail(exc: Exception) -> None:
    console.print(f"[red]{exc}[/red]")
    raise typer.Exit(1)


def _show(view: register.RequestView, role: str) -> None:
    d = view.to_dict(role)
    t = Table(title=f"申请 {view.number}", show_header=False)
    for k in ("number", "state_label", "channel", "received_date", "receipt_basis", "applicant_type_label",
              "applicant_name", "id_number", "phone", "email", "address", "content", "form", "delivery",
              "outcome_label", "due_date", "due_warning", "wait_until", "version", "allowed_actions"):
        t.add_row(k, str(d.get(k) if d.get(k) is not None else ""))
    console.print(t)


@app.command("intake")
def intake_cmd(
    channel: str = typer.Option(..., help="当面、邮寄、网络、传真、电子邮件、其他"),
    applicant_type: str = typer.Option(..., help="、".join(APPLICANT_TYPES.values()) + "（或英文键）"),
    name: str = typer.Option(..., help="申请人姓名或名称"),
    content: str = typer.Option(..., help="申请公开的政府信息"),
    id_type: str = typer.Option("", help="证件类型"),
    id_number: str = typer.Option("", help="证件号码"),
    phone: str = typer.Option(""), email: str = typer.Option(""), address: str = typer.Option(""),
    form: str = typer.Option("纸质", help="获取信息的形式"), delivery: str = typer.Option("邮寄", help="获取方式"),
    attachment: list[str] = typer.Option([], help="附件（可重复）"),
    submitted_on: Optional[str] = typer.Option(None, help="当面提交日期"),
    signed_on: Optional[str] = typer.Option(None, help="邮寄签收日期"),
    confirmed_on: Optional[str] = typer.Option(None, help="网络/传真/电子邮件双方确认日期；平信确认日期"),
    received_on: Optional[str] = typer.Option(None, help="其他渠道收到日期"),
    db: Optional[str] = DbOpt, agency: Optional[str] = AgencyOpt, actor: Optional[str] = ActorOpt,
) -> None:
    """登记一件政府信息公开申请（收到日期按第三十一条确定）。"""
    req = register.RequestIn(channel=channel, content=content, form=form, delivery=delivery,
                             attachments=list(attachment), submitted_on=_day(submitted_on),
                             signed_on=_day(signed_on), confirmed_on=_day(confirmed_on),
                             received_on=_day(received_on),
                             applicant=register.Applicant(applicant_type, name, id_type, id_number, phone, email,
                                                          address))
    try:
        view = register.intake(connect(db), _agency(agency), req, _actor(actor))
    except (register.RegisterError, ValueError) as exc:
        _fail(exc)
    console.print(f"已登记 [bold]{view.number}[/bold]，收到日期 {view.received_date}，答复期限 {view.due_date}")
    if view.due_warning:
        console.print(f"[yellow]{view.due_warning}[/yellow]")


app.command("register", help="同 intake。")(intake_cmd)


@app.command("show")
def show_cmd(number: str, db: Optional[str] = DbOpt, agency: Optional[str] = AgencyOpt, role: str = RoleOpt) -> None:
    """查看一件申请。"""
    try:
        _show(register.get(connect(db), _agency(agency), number), role)
    except register.RegisterError as exc:
        _fail(exc)


@app.command("history")
def history_cmd(number: str, db: Optional[str] = DbOpt, agency: Optional[str] = AgencyOpt,
                role: str = RoleOpt) -> None:
    """办理全过程记录（只增不改）。"""
    try:
        events = register.history(connect(db), _agency(agency), number, role)
    except register.RegisterError as exc:
        _fail(exc)
    t = Table(title=f"{number} 办理记录")
    for c in ("版本", "时间", "日期", "操作", "经办人", "状态", "内容"):
        t.add_column(c)
    for e in events:
        t.add_row(str(e.version), f"{e.at:%Y-%m-%d %H:%M:%S}", str(e.on_date), e.label, e.actor,
                  f"{e.before_state or ''} → {e.after_state}", json.dumps(e.payload, ensure_ascii=False))
    console.print(t)


def _make_action(action: str):
    t = TRANSITIONS[action]

    def cmd(number: str,
            on: str = typer.Option(..., help="办理日期 YYYY-MM-DD"),
            version: Optional[int] = typer.Option(None, help="您看到的版本号（防止覆盖他人修改）"),
            set_: list[str] = typer.Option([], "--set", help="字段=值" + (f"；须填 {', '.join(t.requires)}"
                                                                          if t.requires else "")),
            db: Optional[str] = DbOpt, agency: Optional[str] = AgencyOpt, actor: Optional[str] = ActorOpt,
            role: str = RoleOpt) -> None:
        payload = dict(kv.split("=", 1) for kv in set_)
        try:
            view = register.act(connect(db), _agency(agency), number, action, actor=_actor(actor),
                                on=date.fromisoformat(on), version=version, payload=payload)
        except (register.RegisterError, ValueError) as exc:
            _fail(exc)
        console.print(f"{t.label}：{number} → {view.state_label}（版本 {view.version}）")
        _show(view, role)

    cmd.__doc__ = f"{t.label}（允许自：{'、'.join(t.sources)}）"
    return cmd


for _action in TRANSITIONS:
    app.command(_action.replace("_", "-"))(_make_action(_action))


@app.command("due")
def due_cmd(number: str, explain: bool = typer.Option(False, "--explain", help="逐日说明"),
            today: Optional[str] = typer.Option(None, help="以哪天为今天（默认今天）"),
            db: Optional[str] = DbOpt, agency: Optional[str] = AgencyOpt) -> None:
    """答复期限；--explain 逐日列出计入、节假日、调休上班、暂停、重新起算、延期。"""
    try:
        dl = register.explain(connect(db), _agency(agency), number, _day(today) or date.today())
    except register.RegisterError as exc:
        _fail(exc)
    state = {"running": "计时中", "waiting": "待补正（停止计时）", "paused": "暂停计时", "stopped": "已办结"}[dl.status]
    console.print(f"{number}：{state}；起算日 {dl.start}；期限 {dl.limit} 个工作日；"
                  f"答复期限 [bold]{dl.due or '—'}[/bold]")
    for w in dl.warnings:
        console.print(f"[yellow]注意：{w}[/yellow]")
    if explain:
        t = Table()
        for c in ("日期", "星期", "类别", "计数", "说明"):
            t.add_column(c)
        for ln in dl.lines:
            t.add_row(str(ln.day), "一二三四五六日"[ln.day.weekday()], ln.kind,
                      "" if ln.count is None else str(ln.count), ln.text)
        console.print(t)


LimitOpt = typer.Option(50, "--limit", min=1, help="每页件数")
PageOpt = typer.Option(1, "--page", min=1, help="页码")


def _due_table(items: list[duelists.DueItem], title: str) -> None:
    t = Table(title=title)
    for c in duelists.HEADERS:
        t.add_column(c)
    for i in items:
        t.add_row(i.number, i.applicant, i.state, str(i.due_date or ""), str(i.wait_until or ""),
                  "" if i.days_left is None else str(i.days_left), i.warning or "")
    console.print(t)


def _list(kind: str, within: int, today: str | None, db, agency, export: Path | None,
          limit: int = 50, page: int = 1) -> None:
    eng, ag, day = connect(db), _agency(agency), _day(today) or date.today()
    # the screen shows a page (counted and ordered by the database); an export holds the whole list
    shown = {"limit": None, "offset": 0} if export else {"limit": limit, "offset": (page - 1) * limit}
    if kind == "due":
        items, title = duelists.due_within(eng, ag, within, day, **shown), f"{within}个工作日内到期"
    elif kind == "overdue":
        items, title = duelists.overdue(eng, ag, day, **shown), "已逾期"
    else:
        items, title = duelists.paused(eng, ag, day, **shown), "暂停计时"
    total = duelists.counts(eng, ag, day, within)[kind]
    _due_table(items[:limit] if export else items, title)
    pages = max(1, -(-total // limit))
    console.print(f"第 {min(page, pages)}/{pages} 页，共 {total} 件")
    if export:
        export.write_bytes(duelists.export_xlsx(items, title))
        console.print(f"已导出 {export}")


@list_app.command("due")
def list_due(within: int = typer.Option(5, help="N 个工作日内"), today: Optional[str] = None,
             export: Optional[Path] = typer.Option(None, help="导出为 .xlsx"),
             db: Optional[str] = DbOpt, agency: Optional[str] = AgencyOpt,
             limit: int = LimitOpt, page: int = PageOpt) -> None:
    """N 个工作日内到期的申请。"""
    _list("due", within, today, db, agency, export, limit, page)


@list_app.command("overdue")
def list_overdue(today: Optional[str] = None, export: Optional[Path] = typer.Option(None),
                 db: Optional[str] = DbOpt, agency: Optional[str] = AgencyOpt,
             limit: int = LimitOpt, page: int = PageOpt) -> None:
    """已超过答复期限的申请。"""
    _list("overdue", 0, today, db, agency, export, limit, page)


@list_app.command("paused")
def list_paused(today: Optional[str] = None, export: Optional[Path] = typer.Option(None),
                db: Optional[str] = DbOpt, agency: Optional[str] = AgencyOpt,
             limit: int = LimitOpt, page: int = PageOpt) -> None:
    """暂停计时的申请（补正、征求意见、收费）。"""
    _list("paused", 0, today, db, agency, export, limit, page)


@app.command("export")
def export_cmd(kind: str = typer.Argument(..., help="due | overdue | paused"), out: Path = typer.Option(...),
               within: int = 5, today: Optional[str] = None,
               db: Optional[str] = DbOpt, agency: Optional[str] = AgencyOpt) -> None:
    """导出期限清单（.xlsx，申请人姓名打码）。"""
    if kind not in ("due", "overdue", "paused"):
        _fail(ValueError("kind 应为 due、overdue 或 paused"))
    _list(kind, within, today, db, agency, out)


@app.command("letter")
def letter_cmd(number: str, kind: str = typer.Argument(..., help="、".join(letters.LETTER_KINDS)),
               out: Optional[Path] = typer.Option(None, help="另存到文件"),
               letter_date: Optional[str] = typer.Option(None, "--date", help="落款日期（默认今天）"),
               db: Optional[str] = DbOpt, agency: Optional[str] = AgencyOpt, actor: Optional[str] = ActorOpt) -> None:
    """出具信函（DOCX），并随申请留存。"""
    eng = connect(db)
    try:
        rec = letters.render(eng, _agency(agency), number, kind, actor=_actor(actor),
                             letter_date=_day(letter_date) or date.today())
        if out:
            out.write_bytes(letters.letter_content(eng, _agency(agency), number, rec.id)[1])
    except register.RegisterError as exc:
        _fail(exc)
    console.print(f"已出具 {rec.filename}（信函 {rec.id}）" + (f"，另存 {out}" if out else ""))


@app.command("letters")
def letters_cmd(number: str, db: Optional[str] = DbOpt, agency: Optional[str] = AgencyOpt) -> None:
    """列出随申请留存的信函。"""
    t = Table(title=f"{number} 信函")
    for c in ("编号", "种类", "文件", "出具时间", "经办人", "字节"):
        t.add_column(c)
    for l in letters.list_letters(connect(db), _agency(agency), number):
        t.add_row(str(l.id), l.kind, l.filename, f"{l.created_at:%Y-%m-%d %H:%M}", l.created_by, str(l.size))
    console.print(t)


@calendar_app.command("load")
def calendar_load(file: str = typer.Argument(..., help="通知全文的文本文件，- 为标准输入"),
                  year: Optional[int] = typer.Option(None, help="年份（默认从标题识别）"),
                  yes: bool = typer.Option(False, "--yes", help="不询问，直接保存"),
                  db: Optional[str] = DbOpt, actor: Optional[str] = ActorOpt) -> None:
    """粘贴国务院办公厅节假日安排通知，解析、确认后保存为新版本，并重算未办结申请的期限。"""
    text = sys.stdin.read() if file == "-" else Path(file).read_text(encoding="utf-8")
    try:
        notice = parse_notice(text, year)
    except NoticeError as exc:
        _fail(exc)
    console.print(f"[bold]{notice.year}年节假日安排[/bold]")
    for line in notice.summary():
        console.print("  " + line)
    if not yes and not typer.confirm("以上解析结果是否与通知一致并保存？"):
        raise typer.Exit(1)
    res = load_notice(connect(db), text, _actor(actor), notice.year)
    console.print(f"已保存为 {notice.year} 年第 {res.version} 版日历")
    t = Table(title=f"期限变动的申请（{len(res.moved)} 件）")
    for c in ("编号", "原期限", "新期限"):
        t.add_column(c)
    for m in res.moved:
        t.add_row(m.number, str(m.old or ""), str(m.new or ""))
    console.print(t)


@calendar_app.command("show")
def calendar_show(year: int, db: Optional[str] = DbOpt) -> None:
    """某年的节假日、调休上班日和日历版本。"""
    eng = connect(db)
    cal = active_calendar(eng)
    if year not in cal.years:
        console.print(f"[yellow]{year}年的节假日安排尚未载入；期限将按周末推算，请用 calendar load 载入国务院通知[/yellow]")
    hol, mk = cal.year_days(year)
    t = Table(title=f"{year}年")
    for c in ("日期", "星期", "类别", "节日"):
        t.add_column(c)
    for d in sorted(set(hol) | set(mk)):
        t.add_row(str(d), "一二三四五六日"[d.weekday()], "调休上班" if d in mk else "放假", (mk | hol)[d])
    console.print(t)
    for v in versions(eng, year):
        console.print(f"第{v.version}版：{v.source}，{v.created_at:%Y-%m-%d %H:%M} {v.created_by}，"
                      f"放假{v.holidays}天，调休上班{v.makeup}天")


@yearend_app.command("table3")
def table3_cmd(year: int = typer.Option(...), as_json: bool = typer.Option(False, "--json"),
               db: Optional[str] = DbOpt, agency: Optional[str] = AgencyOpt) -> None:
    """由登记簿计算表三（收到和处理政府信息公开申请情况）。"""
    t3 = yearend.table3(connect(db), _agency(agency), year)
    if as_json:
        console.print_json(json.dumps(t3, ensure_ascii=False))
        return
    t = Table(title=f"{year}年 表三")
    t.add_column("行")
    for c in T3_COLUMNS:
        t.add_column(yearend.COLUMN_LABELS[c], justify="right")
    for r in T3_ROWS_2021:
        t.add_row(yearend.row_label(r), *(str(v) for v in t3[r]))
    console.print(t)
    for msg in yearend.identities(t3):
        console.print(f"[red]{msg}[/red]")


@yearend_app.command("table4")
def table4_cmd(year: int = typer.Option(...), db: Optional[str] = DbOpt, agency: Optional[str] = AgencyOpt) -> None:
    """由登记的复议、诉讼案件计算表四。"""
    t4 = yearend.table4(connect(db), _agency(agency), year)
    t = Table(title=f"{year}年 表四")
    t.add_column("类别")
    for c in yearend.T4_COLUMNS:
        t.add_column(yearend.CASE_RESULTS.get(c, "总计"), justify="right")
    for k, row in t4.items():
        t.add_row(yearend.CASE_KINDS[k], *(str(v) for v in row))
    console.print(t)


@yearend_app.command("candidates")
def candidates_cmd(year: int = typer.Option(...), min_applicants: int = 2,
                   db: Optional[str] = DbOpt, agency: Optional[str] = AgencyOpt) -> None:
    """多人申请同一信息：依申请转主动公开候选（第四十四条）。"""
    t = Table(title=f"{year}年 第四十四条候选")
    for c in ("申请内容", "申请人数", "申请编号"):
        t.add_column(c)
    for c in yearend.proactive_candidates(connect(db), _agency(agency), year, min_applicants):
        t.add_row(c.content, str(c.applicants), "、".join(c.numbers))
    console.print(t)


@case_app.command("add")
def case_add(kind: str = typer.Option(..., help="review | litigation | litigation_after_review"),
             filed: str = typer.Option(..., help="立案/申请日期"), request: Optional[str] = None,
             result: str = "pending", result_date: Optional[str] = None, note: str = "",
             db: Optional[str] = DbOpt, agency: Optional[str] = AgencyOpt) -> None:
    """登记表四案件，可关联申请编号。"""
    try:
        cid = register.register_case(connect(db), _agency(agency), kind=kind, filed_date=date.fromisoformat(filed),
                                     request_number=request, result=result, result_date=_day(result_date),
                                     note=note)
    except register.RegisterError as exc:
        _fail(exc)
    console.print(f"已登记表四案件 {cid}")


@app.command("import")
def import_cmd(file: Path, db: Optional[str] = DbOpt, agency: Optional[str] = AgencyOpt,
               actor: Optional[str] = ActorOpt) -> None:
    """从 Excel 导入原有登记簿；有任何错误则一条也不导入，并逐行列出错误。"""
    res = importer.import_register(connect(db), _agency(agency), file.read_bytes(), _actor(actor))
    if res.errors:
        t = Table(title="导入失败：以下错误更正后请重新导入（未导入任何记录）")
        for c in ("行", "列", "原因"):
            t.add_column(c)
        for e in res.errors:
            t.add_row(str(e.row), e.column, e.reason)
        console.print(t)
        raise typer.Exit(1)
    console.print(f"已导入 {len(res.imported)} 件：{res.imported[0]} … {res.imported[-1]}" if res.imported
                  else "表中没有数据")
