"""`gongkai requests ...` commands: a thin adapter over ``gongkai.requests`` (no logic lives here).

What a person reads is Chinese (field names, states, actions, day categories); internal keys appear only with
``--json``. Tables fold long cells instead of cutting them, so nothing is lost at 80 columns or in a pipe.
"""
from __future__ import annotations

import json
import os
import sys
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from gongkai.requests import duelists, importer, letters, register, yearend
from gongkai.requests.calendar_load import load_notice
from gongkai.requests.vocab import (APPLICANT_TYPES, CASE_KINDS, CASE_RESULTS, CHANNELS,
                                    DEADLINE_STATUS, DELIVERY_METHODS, DUE_LISTS, EXPLAIN_KINDS, FEE_METHODS, REQUEST_FIELDS,
                                    T3_COLUMNS, T3_ROWS_2021, action_field, field_label)
from gongkai.requests.workflow import STATES, TRANSITIONS
from gongkai.store.db import connect
from gongkai.workdays.notice import NoticeError, parse_notice
from gongkai.workdays.store import active_calendar, versions

from .show import cells, esc  # user text printed literally

# Help in click's plain layout (rich panels cut Chinese help with "…"): cli/__init__.py's _plain_help sets it for
# every group, this one included.
_HELP = {"no_args_is_help": True}
app = typer.Typer(help="依申请公开登记簿：登记、办理、期限、信函、表三", **_HELP)
calendar_app = typer.Typer(help="工作日日历：载入国务院节假日通知、查看", **_HELP)
list_app = typer.Typer(help="期限清单：即将到期、已逾期（含逾期答复）、暂停计时", **_HELP)
yearend_app = typer.Typer(help="年度统计：表三、表四、第四十四条转主动公开候选", **_HELP)
case_app = typer.Typer(help="表四案件（行政复议、行政诉讼）：登记、更新结果、列出", **_HELP)
app.add_typer(calendar_app, name="calendar")
app.add_typer(list_app, name="list")
app.add_typer(yearend_app, name="year-end")
app.add_typer(case_app, name="case")

console = Console()

DbOpt = typer.Option(None, "--db", help="数据库（默认 GONGKAI_DB 或 sqlite:///gongkai.db）")
AgencyOpt = typer.Option(None, "--agency", help="机关（默认 GONGKAI_AGENCY；未设置时为登记簿中唯一的机关）")
ActorOpt = typer.Option(None, "--actor", help="经办人（默认当前用户）")
RoleOpt = typer.Option("handler", "--role", help="查看者角色；非 handler/office_head 时个人信息打码")
JsonOpt = typer.Option(False, "--json", help="输出 JSON（内部键名）")
NumberArg = typer.Argument(..., help="申请编号，如 2026-0001（导入的登记簿用其原有编号）")
TodayOpt = typer.Option(None, "--today", help="以哪天为今天 YYYY-MM-DD（默认今天）")


def _engine_agency(db: str | None, agency: str | None):
    eng = connect(db)
    try:
        return eng, register.default_agency(eng, agency or os.environ.get("GONGKAI_AGENCY"))
    except register.RegisterError as exc:
        _fail(exc)


def _actor(a: str | None) -> str:
    return a or os.environ.get("USER", "unknown")


def _day(v: str | None, what: str = "日期") -> date | None:
    if not v:
        return None
    try:
        return date.fromisoformat(v)
    except ValueError:
        _fail(ValueError(f"{what}“{v}”不是有效日期（YYYY-MM-DD）"))


def _fail(exc: Exception) -> None:
    console.print(f"[red]{escape(str(exc))}[/red]")
    raise typer.Exit(1)


def _table(title: str | None, *columns: str, show_header: bool = True, right: tuple[str, ...] = ()) -> Table:
    """A table whose cells fold onto the next line rather than being cut with “…”."""
    t = Table(title=title, show_header=show_header)
    for c in columns:
        t.add_column(c, overflow="fold", justify="right" if c in right else "left")
    return t


WIDE = 120   # below this many columns, a list of wide records is printed one record per block


def _records(title: str, headers: tuple[str, ...] | list[str], rows: list[list[Any]], lead: int = 3) -> None:
    """Rows as a table on a wide terminal; on a narrow one (or 80 columns in a pipe) each row as a block: the first
    ``lead`` values on one line, then one line per other non-empty field, wrapped, never cut."""
    if console.width >= WIDE:
        t = _table(title, *headers)
        for r in rows:
            t.add_row(*(_cell(v) for v in r))
        console.print(t)
        return
    console.print(f"[bold]{escape(title)}[/bold]")
    for r in rows:
        console.print("  ".join(_cell(v) for v in r[:lead]))
        for h, v in zip(headers[lead:], r[lead:]):
            if v not in (None, ""):
                console.print(f"    {h}：{_cell(v)}")


def _cell(v: Any) -> str:
    return "" if v is None else escape(str(v))


def _print_json(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def _show(view: register.RequestView, role: str, today: date | None = None, cal=None) -> None:
    d = view.to_dict(role)
    t = _table(f"申请 {view.number}", "项目", "内容", show_header=False)
    for k, label in REQUEST_FIELDS.items():
        if k == "findings":
            v = "\n".join(f.text for f in view.finding_list(cal, today)) or "无"
        elif k == "allowed_actions":
            v = "、".join(f"{t.label}（{t.action.replace('_', '-')}）" for t in register.allowed(view.state)) or "无"
        else:
            v = d.get(k)
        t.add_row(label, _cell(v))
    console.print(t)


def _applicant_help() -> str:
    return "、".join(APPLICANT_TYPES.values())


@app.command("intake")
def intake_cmd(
    channel: str = typer.Option(..., help="申请渠道：" + "、".join(CHANNELS)),
    applicant_type: str = typer.Option(..., help="申请人类型：" + _applicant_help()),
    name: str = typer.Option(..., help="申请人姓名或名称"),
    content: str = typer.Option(..., help="申请公开的政府信息"),
    id_type: str = typer.Option("", help="证件类型"),
    id_number: str = typer.Option("", help="证件号码"),
    phone: str = typer.Option("", help="联系电话（电话、电子邮箱、地址至少填一项）"),
    email: str = typer.Option("", help="电子邮箱"), address: str = typer.Option("", help="地址"),
    form: str = typer.Option("纸质", help="获取信息的形式"),
    delivery: str = typer.Option("邮寄", help="获取方式：" + "、".join(DELIVERY_METHODS)),
    attachment: list[str] = typer.Option([], help="附件（可重复）"),
    submitted_on: Optional[str] = typer.Option(None, help="当面：提交日期"),
    signed_on: Optional[str] = typer.Option(None, help="邮寄：签收日期"),
    confirmed_on: Optional[str] = typer.Option(None, help="网络、传真、电子邮件：双方确认日期；平信：确认日期"),
    received_on: Optional[str] = typer.Option(None, help="其他渠道：收到日期"),
    db: Optional[str] = DbOpt, agency: Optional[str] = AgencyOpt, actor: Optional[str] = ActorOpt,
) -> None:
    """登记一件政府信息公开申请。

    收到日期按第三十一条确定：当面填 --submitted-on，邮寄填 --signed-on，网络、传真、电子邮件填 --confirmed-on，
    其他填 --received-on。须填：--channel、--applicant-type、--name、--content，以及电话、电子邮箱、地址之一。"""
    req = register.RequestIn(channel=channel, content=content, form=form, delivery=delivery,
                             attachments=list(attachment), submitted_on=_day(submitted_on, "提交日期"),
                             signed_on=_day(signed_on, "签收日期"), confirmed_on=_day(confirmed_on, "确认日期"),
                             received_on=_day(received_on, "收到日期"),
                             applicant=register.Applicant(applicant_type, name, id_type, id_number, phone, email,
                                                          address))
    eng, ag = _engine_agency(db, agency)
    try:
        view = register.intake(eng, ag, req, _actor(actor))
    except (register.RegisterError, ValueError) as exc:
        _fail(exc)
    console.print(f"已登记 [bold]{escape(view.number)}[/bold]（{escape(ag)}），收到日期 {view.received_date}，"
                  f"答复期限 {view.due_date}")
    if view.due_warning:
        console.print(f"[yellow]{escape(view.due_warning)}[/yellow]")


app.command("register", help="同 intake。")(intake_cmd)


@app.command("show")
def show_cmd(number: str = NumberArg, db: Optional[str] = DbOpt, agency: Optional[str] = AgencyOpt, role: str = RoleOpt,
             today: Optional[str] = TodayOpt, as_json: bool = JsonOpt) -> None:
    """查看一件申请：各项信息、期限、办理提示（逾期答复、补正告知逾期、已逾期）和允许的操作。"""
    eng, ag = _engine_agency(db, agency)
    day = _day(today, "今天") or date.today()
    try:
        view = register.get(eng, ag, number)
    except register.RegisterError as exc:
        _fail(exc)
    cal = active_calendar(eng)
    if as_json:
        d = view.to_dict(role)
        d["findings"] = [f.to_dict() for f in view.finding_list(cal, day)]
        _print_json(d)
        return
    _show(view, role, day, cal)


@app.command("history")
def history_cmd(number: str = NumberArg, db: Optional[str] = DbOpt, agency: Optional[str] = AgencyOpt,
                role: str = RoleOpt, as_json: bool = JsonOpt) -> None:
    """办理全过程记录（只增不改）。"""
    eng, ag = _engine_agency(db, agency)
    try:
        events = register.history(eng, ag, number, role)
    except register.RegisterError as exc:
        _fail(exc)
    if as_json:
        _print_json([asdict(e) for e in events])
        return
    rows = []
    for e in events:
        before = STATES[e.before_state].label if e.before_state in STATES else "—"
        content = "；".join(f"{field_label(k)}：{_payload_value(k, v)}"
                           for k, v in e.payload.items() if k not in ("imported",))
        rows.append([str(e.on_date), e.label, f"{before} → {STATES[e.after_state].label}", f"第{e.version}版",
                     f"{e.at:%Y-%m-%d %H:%M:%S}", e.actor, content + ("（导入）" if e.payload.get("imported") else "")])
    _records(f"{number} 办理记录", ("日期", "操作", "状态", "版本", "记录时间", "经办人", "内容"), rows)


def _payload_value(key: str, v: Any) -> str:
    if key == "outcome" and v in register.OUTCOMES:
        return register.OUTCOMES[v].label
    if key == "method" and v in FEE_METHODS.labels:
        return FEE_METHODS.labels[v]
    return str(v)


def _field_help(t) -> str:
    def one(k: str) -> str:
        f = action_field(k, t.action)
        return f"{f['label']}（{k}）：{f['help']}"

    names = [one(k) for k in t.requires]
    opt = [one(k) for k in t.optional]
    parts = []
    if names:
        parts.append("须填：" + "；".join(names))
    if opt:
        parts.append("可填：" + "；".join(opt))
    return "。".join(parts) or "无须填写字段"


def _make_action(action: str):
    t = TRANSITIONS[action]
    fields = _field_help(t)

    def cmd(number: str = NumberArg,
            on: str = typer.Option(..., help="办理日期 YYYY-MM-DD"),
            version: Optional[int] = typer.Option(None, help="您看到的版本号（防止覆盖他人修改）"),
            set_: list[str] = typer.Option([], "--set", help="字段=值，字段可写中文名。" + fields),
            db: Optional[str] = DbOpt, agency: Optional[str] = AgencyOpt, actor: Optional[str] = ActorOpt,
            role: str = RoleOpt) -> None:
        bad = [kv for kv in set_ if "=" not in kv]
        if bad:
            _fail(ValueError(f"--set 应为 字段=值，收到：{'、'.join(bad)}。{fields}"))
        payload = dict(kv.split("=", 1) for kv in set_)
        eng, ag = _engine_agency(db, agency)
        try:
            view = register.act(eng, ag, number, action, actor=_actor(actor),
                                on=_day(on, "办理日期"), version=version, payload=payload)
        except (register.RegisterError, ValueError) as exc:
            _fail(exc)
        console.print(f"{t.label}：{escape(number)} → {view.state_label}（版本 {view.version}）")
        _show(view, role, date.fromisoformat(on), active_calendar(eng))

    cmd.__doc__ = (f"{t.label}（允许自：{'、'.join(STATES[s].label for s in t.sources)}）。\n\n"
                   f"{fields}。字段用 --set 字段=值 给出，字段可写中文名（如 --set 补正期限=2026-03-20）。")
    return cmd


for _action in TRANSITIONS:
    app.command(_action.replace("_", "-"))(_make_action(_action))


@app.command("due")
def due_cmd(number: str = NumberArg, explain: bool = typer.Option(False, "--explain", help="逐日说明"),
            today: Optional[str] = TodayOpt, as_json: bool = JsonOpt,
            db: Optional[str] = DbOpt, agency: Optional[str] = AgencyOpt) -> None:
    """答复期限和办理提示；--explain 逐日列出计入、节假日、调休上班、暂停、重新起算、延期。"""
    eng, ag = _engine_agency(db, agency)
    day = _day(today, "今天") or date.today()
    try:
        dl = register.explain(eng, ag, number, day)
        view = register.get(eng, ag, number)
    except register.RegisterError as exc:
        _fail(exc)
    found = view.finding_list(active_calendar(eng), day)
    if as_json:
        _print_json({**asdict(dl), "findings": [f.to_dict() for f in found]})
        return
    console.print(f"{number}：{DEADLINE_STATUS[dl.status]}；起算日 {dl.start}；期限 {dl.limit} 个工作日；"
                  f"答复期限 [bold]{dl.due or '—'}[/bold]")
    for w in dl.warnings:
        console.print(f"[yellow]注意：{escape(w)}[/yellow]")
    for f in found:
        console.print(f"[{'red' if f.severity == 'error' else 'yellow'}]{escape(f.text)}[/]")
    if explain:
        t = _table(None, "日期", "星期", "类别", "计数", "说明")
        for ln in dl.lines:
            t.add_row(str(ln.day), "一二三四五六日"[ln.day.weekday()], EXPLAIN_KINDS.get(ln.kind, ln.kind),
                      "" if ln.count is None else str(ln.count), _cell(ln.text))
        console.print(t)


LimitOpt = typer.Option(50, "--limit", min=1, help="每页件数")
PageOpt = typer.Option(1, "--page", min=1, help="页码")


def _due_table(items: list[duelists.DueItem], title: str) -> None:
    _records(title, duelists.HEADERS, [list(duelists.row_values(i)) for i in items])
    if not items:
        console.print("  （无）")


def _lists(kind: str, within: int, day: date, eng, ag, shown: dict) -> list[tuple[str, list[duelists.DueItem]]]:
    """The list (a page of it, counted and ordered by the database) and, for overdue, this year's late answers."""
    if kind == "due":
        return [(f"{within}个工作日内到期", duelists.due_within(eng, ag, within, day, **shown))]
    if kind == "overdue":
        return [("已逾期（尚未答复）", duelists.overdue(eng, ag, day, **shown)),
                (f"逾期答复（{day.year}年已答复）", duelists.answered_late(eng, ag, day))]
    return [("暂停计时", duelists.paused(eng, ag, day, **shown))]


def _list(kind: str, within: int, today: str | None, db, agency, export: Path | None, as_json: bool = False,
          limit: int = 50, page: int = 1) -> None:
    eng, ag = _engine_agency(db, agency)
    day = _day(today, "今天") or date.today()
    # the screen shows a page; an export or --json holds the whole list
    whole = export is not None or as_json
    parts = _lists(kind, within, day, eng, ag, {"limit": None, "offset": 0} if whole else
                   {"limit": limit, "offset": (page - 1) * limit})
    if as_json:
        _print_json({title: [asdict(i) for i in items] for title, items in parts})
    else:
        total = duelists.counts(eng, ag, day, within)[kind]
        for title, items in parts:
            if items or title == parts[0][0]:
                n = total if title == parts[0][0] else len(items)
                _due_table(items, f"{title}（{n} 件）")
        pages = max(1, -(-total // limit))
        if pages > 1:
            console.print(f"第 {min(page, pages)}/{pages} 页，共 {total} 件（--page 翻页）")
    if export:
        items = [i for _, its in parts for i in its]
        try:
            export.write_bytes(duelists.export(items, parts[0][0], export.suffix))
        except ValueError as exc:
            _fail(exc)
        console.print(f"已导出 {escape(str(export))}")


ExportOpt = typer.Option(None, "--export", help="导出到文件：.xlsx 或 .csv（申请人姓名打码）")


@list_app.command("due")
def list_due(within: int = typer.Option(5, help="N 个工作日内"), today: Optional[str] = TodayOpt,
             export: Optional[Path] = ExportOpt, as_json: bool = JsonOpt,
             db: Optional[str] = DbOpt, agency: Optional[str] = AgencyOpt,
             limit: int = LimitOpt, page: int = PageOpt) -> None:
    """N 个工作日内到期的申请。"""
    _list("due", within, today, db, agency, export, as_json, limit, page)


@list_app.command("overdue")
def list_overdue(today: Optional[str] = TodayOpt, export: Optional[Path] = ExportOpt, as_json: bool = JsonOpt,
                 db: Optional[str] = DbOpt, agency: Optional[str] = AgencyOpt,
                 limit: int = LimitOpt, page: int = PageOpt) -> None:
    """已超过答复期限尚未答复的申请，以及本年逾期答复的申请（逾期几个工作日）。"""
    _list("overdue", 0, today, db, agency, export, as_json, limit, page)


@list_app.command("paused")
def list_paused(today: Optional[str] = TodayOpt, export: Optional[Path] = ExportOpt, as_json: bool = JsonOpt,
                db: Optional[str] = DbOpt, agency: Optional[str] = AgencyOpt,
                limit: int = LimitOpt, page: int = PageOpt) -> None:
    """暂停计时的申请（补正、征求意见、收费）。"""
    _list("paused", 0, today, db, agency, export, as_json, limit, page)


@app.command("export")
def export_cmd(kind: str = typer.Argument(..., help="due（即将到期）| overdue（已逾期）| paused（暂停计时）"),
               out: Path = typer.Option(..., help="导出文件：.xlsx 或 .csv"),
               within: int = typer.Option(5, help="due：N 个工作日内"), today: Optional[str] = TodayOpt,
               db: Optional[str] = DbOpt, agency: Optional[str] = AgencyOpt) -> None:
    """导出期限清单（.xlsx 或 .csv，按后缀；申请人姓名打码）。"""
    kinds = {**{k: k for k in DUE_LISTS}, **{v: k for k, v in DUE_LISTS.items()}}
    if kind not in kinds:
        _fail(ValueError("清单种类应为 " + "、".join(f"{k}（{v}）" for k, v in DUE_LISTS.items())))
    if out.suffix.lower() not in duelists.EXPORT_FORMATS:
        _fail(ValueError(f"不支持导出为“{out.suffix or '（无后缀）'}”：请用 {'、'.join(duelists.EXPORT_FORMATS)} 后缀"))
    _list(kinds[kind], within, today, db, agency, out)


@app.command("letter")
def letter_cmd(number: str = NumberArg, kind: str = typer.Argument(..., help="、".join(f"{k}（{v.title}）"
                                                                        for k, v in letters.LETTER_KINDS.items())),
               out: Optional[Path] = typer.Option(None, help="另存到文件"),
               letter_date: Optional[str] = typer.Option(None, "--date", help="落款日期（默认为信函所记办理事项之日）"),
               db: Optional[str] = DbOpt, agency: Optional[str] = AgencyOpt, actor: Optional[str] = ActorOpt) -> None:
    """出具信函（DOCX），并随申请留存。"""
    eng, ag = _engine_agency(db, agency)
    kinds = {v.title: k for k, v in letters.LETTER_KINDS.items()}
    try:
        rec = letters.render(eng, ag, number, kinds.get(kind, kind), actor=_actor(actor),
                             letter_date=_day(letter_date, "落款日期"))
        if out:
            out.write_bytes(letters.letter_content(eng, ag, number, rec.id)[1])
    except register.RegisterError as exc:
        _fail(exc)
    console.print(f"已出具 {escape(rec.filename)}（信函 {rec.id}）" + (f"，另存 {escape(str(out))}" if out else ""))


@app.command("letters")
def letters_cmd(number: str = NumberArg, db: Optional[str] = DbOpt, agency: Optional[str] = AgencyOpt) -> None:
    """列出随申请留存的信函。"""
    eng, ag = _engine_agency(db, agency)
    t = _table(f"{number} 信函", "编号", "种类", "文件", "出具时间", "经办人", "字节")
    try:
        for l in letters.list_letters(eng, ag, number):
            t.add_row(str(l.id), letters.LETTER_KINDS[l.kind].title, _cell(l.filename),
                      f"{l.created_at:%Y-%m-%d %H:%M}", _cell(l.created_by), str(l.size))
    except register.RegisterError as exc:
        _fail(exc)
    console.print(t)


@calendar_app.command("load")
def calendar_load(file: str = typer.Argument(..., help="通知全文的文本文件，- 为标准输入"),
                  year: Optional[int] = typer.Option(None, help="年份（默认从标题识别）"),
                  yes: bool = typer.Option(False, "--yes", help="不询问，直接保存"),
                  partial: bool = typer.Option(False, "--partial",
                                               help="通知缺少部分节日时仍保存：缺少的节日按《全国年节及纪念日放假办法》"
                                                    "的法定节假日计，其调休仍未知"),
                  db: Optional[str] = DbOpt, actor: Optional[str] = ActorOpt) -> None:
    """粘贴国务院办公厅节假日安排通知，解析、确认后保存为新版本，并重算未办结申请的期限。"""
    try:
        text = sys.stdin.read() if file == "-" else Path(file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        _fail(ValueError(f"无法读取通知文件 {file}：{exc}"))
    try:
        notice = parse_notice(text, year)
    except NoticeError as exc:
        _fail(exc)
    console.print(f"[bold]{notice.year}年节假日安排[/bold]")
    for line in notice.summary():
        console.print("  " + escape(line))
    for p in notice.problems():
        console.print(f"[yellow]注意：{escape(p)}[/yellow]")
    if notice.missing() and not partial:
        _fail(NoticeError("请粘贴通知全文；确实只载入这部分时加 --partial（缺少的节日按《全国年节及纪念日放假办法》的"
                          "法定节假日计，其调休仍未知）"))
    if not yes and not typer.confirm("以上解析结果是否与通知一致并保存？"):
        raise typer.Exit(1)
    try:
        res = load_notice(connect(db), text, _actor(actor), notice.year, partial=partial)
    except NoticeError as exc:
        _fail(exc)
    console.print(f"已保存为 {notice.year} 年第 {res.version} 版日历")
    _moved_table(res.moved)


def _moved_table(moved: list[register.Moved]) -> None:
    t = _table(f"期限变动的申请（{len(moved)} 件）", "编号", "原期限", "新期限")
    for m in moved:
        t.add_row(_cell(m.number), str(m.old or ""), str(m.new or ""))
    console.print(t)


@calendar_app.command("recompute")
def calendar_recompute(db: Optional[str] = DbOpt) -> None:
    """按现行日历重算所有未办结申请的期限和办理提示（升级 gongkai 后或怀疑期限有误时使用）。"""
    _moved_table(register.recompute_open(connect(db)))


@calendar_app.command("show")
def calendar_show(year: int, db: Optional[str] = DbOpt) -> None:
    """某年的节假日、调休上班日和日历版本。"""
    from gongkai.workdays.counting import unknown_year_warning
    from gongkai.workdays.statutory import statutory_days

    eng = connect(db)
    cal = active_calendar(eng)
    t = _table(f"{year}年", "日期", "星期", "类别", "节日")
    if year not in cal.years:
        console.print(f"[yellow]{escape(unknown_year_warning(year))}；请用 calendar load 载入国务院通知[/yellow]")
        for d, n in statutory_days(year).items():
            t.add_row(str(d), "一二三四五六日"[d.weekday()], "法定节假日（推算）", n)
    hol, mk = cal.year_days(year)
    for d in sorted(set(hol) | set(mk)):
        t.add_row(str(d), "一二三四五六日"[d.weekday()], "调休上班" if d in mk else "放假", _cell((mk | hol)[d]))
    console.print(t)
    for v in versions(eng, year):
        console.print(f"第{v.version}版：{escape(v.source)}，{v.created_at:%Y-%m-%d %H:%M} {escape(v.created_by)}，"
                      f"放假{v.holidays}天，调休上班{v.makeup}天")


@yearend_app.command("table3")
def table3_cmd(year: int = typer.Option(..., help="年度"), as_json: bool = JsonOpt,
               db: Optional[str] = DbOpt, agency: Optional[str] = AgencyOpt) -> None:
    """由登记簿计算表三（收到和处理政府信息公开申请情况），并列出本年逾期答复的申请。"""
    eng, ag = _engine_agency(db, agency)
    t3 = yearend.table3(eng, ag, year)
    late = yearend.late_answers(eng, ag, year)
    if as_json:
        _print_json(t3)
        return
    heads = [yearend.COLUMN_LABELS[c] for c in T3_COLUMNS]
    if console.width < WIDE:   # narrow: column names two characters a line, so the row names keep their room
        heads = ["\n".join(h[i:i + 2] for i in range(0, len(h), 2)) for h in heads]
    t = _table(f"{year}年 表三（{ag}）", "行", *heads, right=tuple(heads))
    for r in T3_ROWS_2021:
        t.add_row(*cells(yearend.row_label(r), *t3[r]))
    console.print(t)
    for msg in yearend.identities(t3):
        console.print(f"[red]{escape(msg)}[/red]")
    if late:
        lt = _table(f"{year}年逾期答复 {len(late)} 件（第三十三条）", "编号", "答复期限", "答复日期", "逾期工作日")
        for a in late:
            lt.add_row(_cell(a.number), str(a.due), str(a.answered), str(a.days))
        console.print(lt)
    else:
        console.print(f"{year}年没有逾期答复的申请")


@yearend_app.command("table4")
def table4_cmd(year: int = typer.Option(..., help="年度"), as_json: bool = JsonOpt,
               db: Optional[str] = DbOpt, agency: Optional[str] = AgencyOpt) -> None:
    """由登记的复议、诉讼案件计算表四。"""
    eng, ag = _engine_agency(db, agency)
    t4 = yearend.table4(eng, ag, year)
    if as_json:
        _print_json(t4)
        return
    heads = [yearend.CASE_RESULTS.get(c, "总计") for c in yearend.T4_COLUMNS]
    t = _table(f"{year}年 表四（{ag}）", "类别", *heads, right=tuple(heads))
    for k, row in t4.items():
        t.add_row(*cells(yearend.CASE_KINDS[k], *row))
    console.print(t)
    pending = [c for c in register.list_cases(eng, ag, year, pending_only=True)]
    if pending:
        console.print(f"[yellow]尚未审结 {len(pending)} 件：审结后用 requests case update 案件编号 --result 维持|纠正|其他 "
                      f"--result-date 日期 更新[/yellow]")


@yearend_app.command("candidates")
def candidates_cmd(year: int = typer.Option(..., help="年度"), min_applicants: int = typer.Option(2, help="至少几位申请人"),
                   db: Optional[str] = DbOpt, agency: Optional[str] = AgencyOpt) -> None:
    """多人申请同一信息：依申请转主动公开候选（第四十四条）。"""
    eng, ag = _engine_agency(db, agency)
    t = _table(f"{year}年 第四十四条候选", "申请内容", "申请人数", "申请编号")
    for c in yearend.proactive_candidates(eng, ag, year, min_applicants):
        t.add_row(_cell(c.content), str(c.applicants), "、".join(c.numbers))
    console.print(t)


KindOpt = typer.Option(..., "--kind", help="案件类型：" + CASE_KINDS.choices() + "（或 review、litigation、"
                                           "litigation_after_review）")
ResultHelp = "案件结果：" + CASE_RESULTS.choices() + "（可写 维持、纠正、其他、未审结）"


@case_app.command("add")
def case_add(kind: str = KindOpt,
             filed: str = typer.Option(..., help="立案/申请日期 YYYY-MM-DD"),
             request: Optional[str] = typer.Option(None, help="关联的申请编号"),
             result: str = typer.Option("尚未审结", help=ResultHelp),
             result_date: Optional[str] = typer.Option(None, help="审结日期（有结果时必填）"),
             note: str = typer.Option("", help="备注"),
             db: Optional[str] = DbOpt, agency: Optional[str] = AgencyOpt) -> None:
    """登记表四案件，可关联申请编号。"""
    eng, ag = _engine_agency(db, agency)
    try:
        cid = register.register_case(eng, ag, kind=kind, filed_date=_day(filed, "立案日期"),
                                     request_number=request, result=result,
                                     result_date=_day(result_date, "审结日期"), note=note)
    except register.RegisterError as exc:
        _fail(exc)
    console.print(f"已登记表四案件 {esc(cid)}")


@case_app.command("update")
def case_update(case_id: int = typer.Argument(..., help="案件编号（case add 给出，case list 可查）"),
                result: str = typer.Option(..., help=ResultHelp),
                result_date: Optional[str] = typer.Option(None, help="审结日期（有结果时必填）"),
                note: Optional[str] = typer.Option(None, help="备注（不填则不变）"),
                db: Optional[str] = DbOpt, agency: Optional[str] = AgencyOpt) -> None:
    """更新表四案件的结果（审结后由“尚未审结”改为维持、纠正或其他）。"""
    eng, ag = _engine_agency(db, agency)
    try:
        c = register.set_case_result(eng, ag, case_id, result, _day(result_date, "审结日期"), note)
    except register.RegisterError as exc:
        _fail(exc)
    console.print(f"表四案件 {c.id}（{c.kind_label}）：{c.result_label}" + (f"，{c.result_date}" if c.result_date else ""))


@case_app.command("list")
def case_list(year: Optional[int] = typer.Option(None, help="立案年度"),
              pending: bool = typer.Option(False, "--pending", help="只列尚未审结的"), as_json: bool = JsonOpt,
              db: Optional[str] = DbOpt, agency: Optional[str] = AgencyOpt) -> None:
    """列出表四案件。"""
    eng, ag = _engine_agency(db, agency)
    cases = register.list_cases(eng, ag, year, pending)
    if as_json:
        _print_json([asdict(c) for c in cases])
        return
    t = _table(f"表四案件（{ag}，{len(cases)} 件）", "编号", "类型", "立案日期", "结果", "审结日期", "申请编号", "备注")
    for c in cases:
        t.add_row(str(c.id), c.kind_label, str(c.filed_date), c.result_label, str(c.result_date or ""),
                  _cell(c.request_number), _cell(c.note))
    console.print(t)


@app.command("import")
def import_cmd(file: Optional[Path] = typer.Argument(None, help="原有登记簿的 Excel 文件（.xlsx）"),
               template: Optional[Path] = typer.Option(None, "--template",
                                                       help="不导入，写出导入模板（.xlsx）：每列的名称、是否必填、可选值"),
               db: Optional[str] = DbOpt, agency: Optional[str] = AgencyOpt,
               actor: Optional[str] = ActorOpt) -> None:
    if template is not None:
        template.write_bytes(importer.template())
        console.print(f"已写出导入模板 {escape(str(template))}（{len(importer.COLUMNS)} 列，必填列底色标黄）")
        return
    if file is None:
        _fail(ValueError("请给出要导入的 Excel 文件，或用 --template 文件名 写出导入模板"))
    try:
        data = file.read_bytes()
    except OSError as exc:
        _fail(ValueError(f"无法读取 {file}：{exc}"))
    eng, ag = _engine_agency(db, agency)
    res = importer.import_register(eng, ag, data, _actor(actor))
    if res.errors:
        t = _table(f"导入失败：以下错误更正后请重新导入（未导入任何记录）：{file}", "行", "列", "原因")
        for e in res.errors:
            t.add_row(str(e.row or ""), _cell(e.column), _cell(e.reason))
        console.print(t)
        raise typer.Exit(1)
    console.print(f"已导入 {len(res.imported)} 件（{escape(ag)}）：{escape(res.imported[0])} … {escape(res.imported[-1])}"
                  if res.imported else "表中没有数据")


import_cmd.__doc__ = ("从 Excel 导入原有登记簿（含答复时间、答复结果、送达）；有任何错误则一条也不导入，并逐行列出错误。"
                      "可用的列：" + "、".join(c.header + ("（必填）" if c.required else "") for c in importer.COLUMNS)
                      + "。--template 写出模板。")
@app.command("verify-audit")
def verify_audit_cmd(db: Optional[str] = DbOpt,
                     agency: Optional[str] = typer.Option(None, "--agency", help="只核对此机关（默认全部机关）"),
                     as_json: bool = typer.Option(False, "--json", help="以 JSON 输出")) -> None:
    """核对办理记录（每件申请一条哈希链）和安全日志的哈希链：指出第一处被改动、删除或伪造的记录；有则退出码 1。"""
    from gongkai.requests import audit
    from gongkai.store import security_log

    eng = connect(db)
    rep = audit.verify(eng, agency)
    n_log, log_break = security_log.verify(eng)
    if as_json:
        print(json.dumps({"requests": rep.requests, "events": rep.events,
                          "breaks": [b.__dict__ for b in rep.breaks], "security_log_entries": n_log,
                          "security_log_break": log_break.__dict__ if log_break else None}, ensure_ascii=False))
    else:
        console.print(f"办理记录：{rep.requests} 件申请，{rep.events} 条事件；安全日志：{n_log} 条")
        for b in rep.breaks:
            console.print(f"[red]哈希链断裂：{escape(b.text())}[/red]")
        if log_break:
            console.print(f"[red]哈希链断裂：{escape(log_break.text())}[/red]")
        if rep.ok and log_break is None:
            console.print("[green]哈希链完整，未发现改动[/green]")
    if not rep.ok or log_break is not None:
        raise typer.Exit(1)
